#!/usr/bin/env python3
"""Fit the complexity classifier's weights on the routing dev data.

Usage: scripts/train_classifier.py [--data DIR]      (default DIR: ../shared/eval)

Writes, relative to the repository root (the parent of this script's folder):
  config/classifier-weights.json                     weights, keyword groups, complexity cut points
  Sources/FinOpsCore/DefaultClassifierWeights.swift  the same bytes embedded as a Swift string
and prints the routing-quality table that docs/routing-quality.md quotes.

Label: "needs the strong model" = the WEAK model answered wrong (MMLU: weak_correct False;
MT-Bench: weak score < 8). We also tried "strong right and weak wrong"; it ranked worse on
held-out subjects (leave-one-subject-out APGR 0.51 vs 0.55), because its positives are rare
and noisy. p_strong is therefore P(the small model fails this prompt).

Overfitting guards: features are generic text statistics and small keyword groups (no words
picked from the data); L2 strength is chosen by leave-one-subject-out CV on the training
subjects only; the reported table is on subjects (MMLU) the fit never saw, and for MT-Bench
on categories left out one at a time. Features the data cannot teach (tools, max_tokens,
system prompt) keep hand-set priors, named in PRIORS.

numpy only; the fit is deterministic (Newton's method, no random init).
"""
import argparse
import csv
import json
import math
import random
from pathlib import Path

import numpy as np

from classifier_features import FEATURES, features
from routing_metrics import metrics, random_metrics

ROOT = Path(__file__).resolve().parent.parent

# Small, hand-written vocabularies of generic cues; a two-word entry matches consecutive words.
KEYWORD_GROUPS = {
    "reasoning": "prove proof proofs derive derivation explain why justify analyze analyse analysis compare "
    "contrast evaluate calculate compute solve determine estimate deduce infer implies therefore hence thus "
    "suppose assume assuming consequently reasoning rigorous rigorously optimize optimise tradeoff tradeoffs "
    "design critique|step by|show that|how many|what if|walk through|in detail|first then",
    "math": "equation equations integral integrals derivative derivatives polynomial polynomials matrix matrices "
    "probability theorem lemma prime primes vector vectors eigenvalue eigenvalues logarithm log sqrt modulo mod "
    "subgroup subgroups homomorphism isomorphism ring rings permutation factorial sequence series converge "
    "convergence limit limits algebra calculus geometry triangle angle radius area volume ratio percent "
    "percentage fraction integer integers infinite finite cardinality variance mean median expected "
    "expectation dimension sum sums formula formulas induction irrational divisible remainder inequality "
    "inequalities square squares root roots odd",
    "code": "code function functions def return class import const var int void printf println public static "
    "python javascript typescript java rust swift golang sql select query regex algorithm algorithms array "
    "arrays string strings api json html css bug debug compile compiler runtime recursion recursive complexity "
    "implement implementation program programming script loop pointer pointers struct bash shell unix linux "
    "git docker kubernetes database",
    "law": "court courts law laws legal legally defendant defendants plaintiff plaintiffs statute statutes "
    "contract contracts jury constitutional constitution tort torts liability liable evidence trial appeal "
    "appellate judge judgment testimony negligence negligent breach prosecution prosecutor felony crime "
    "criminal attorney lawyer amendment damages lawsuit sued sue injunction precedent hearsay admissible "
    "verdict convicted conviction guilty property tenant landlord lease ownership easement mortgage deed estate",
    "medical": "patient patients diagnosis diagnose symptoms symptom treatment disease diseases clinical dose "
    "dosage drug drugs medication infection syndrome chronic acute therapy surgery blood cardiac renal hepatic "
    "tumor cancer lesion physician nurse hospital",
    "science": "energy force velocity acceleration mass electron electrons proton molecule molecules atom atoms "
    "reaction reactions circuit voltage current charge magnetic electric temperature pressure wavelength "
    "frequency photon quantum entropy momentum gravity orbit planet chemical compound acid base enzyme protein "
    "gene genes dna cell cells species",
    "economics": "price prices market markets demand supply inflation gdp interest monetary fiscal tax taxes "
    "unemployment elasticity marginal revenue profit cost costs equilibrium tariff currency investment budget "
    "deficit recession",
    "logic": "valid invalid argument arguments premise premises conclusion fallacy fallacies predicate syllogism "
    "tautology contradiction consistent inconsistent entails sufficient necessary counterexample",
    "negation": "not except least never neither nor incorrect false cannot unless without",
    "conditional": "if when whether would could should might",
    "humanities": "history historical century centuries war wars empire king queen dynasty religion religious "
    "god church culture cultural society social president government election colonial revolution ancient "
    "tribe psychology psychologist behavior behaviour personality emotion memory child children development "
    "country countries region population city cities geography climate",
    "simple_task": "hi hello hey thanks thank please write poem story email haiku joke summarize summarise "
    "summary translate rewrite rephrase list describe name tell greet letter blog post tweet slogan title caption",
}

# Logit weights for features the dev data cannot teach: it has no tools, max_tokens, system
# prompts or one-line chat prompts, and only a handful of code fences (too few to fit without
# learning noise). Judgement, not fit: tool use, long requested answers and code favour a
# stronger model; a greeting must not look like a formula just because its words are short.
PRIORS = {"tools": 0.5, "max_tokens": 0.25, "has_system": 0.0, "code_fence": 0.3, "short_prompt": -2.0}
# A feature non-zero in fewer training rows than this keeps its prior instead of being fitted.
MIN_SUPPORT = 30
# Known directions: a reasoning, maths or code cue never makes a prompt easier, and a simple
# task never makes it harder. On exam questions some of these cues come out slightly the other
# way (subject confounds); forcing the sign keeps chat prompts sensible at little held-out cost.
SIGNS = {"kw_reasoning": 1, "kw_math": 1, "kw_code": 1, "kw_logic": 1, "math_symbols": 1,
         "code_symbols": 1, "digit_ratio": 1, "kw_conditional": 1, "kw_negation": 1, "turns": 1,
         "kw_simple_task": -1}

# Held-out share of MMLU subjects, and the seed that picks them (fixed, so the table reproduces).
HOLDOUT_FRACTION = 0.3
HOLDOUT_SEED = 5
LAMBDAS = [0.3, 3, 30, 300, 3000]
# MT-Bench has 160 rows next to 7,658 MMLU rows; each counts this much so chat prompts matter.
MT_BENCH_WEIGHT = 5.0

# Self-written prompts (not from the dev data) whose logit the Swift scorer must reproduce.
FIXTURES = [
    {"prompt": "hi"},
    {"prompt": "Write a haiku about autumn leaves."},
    {"prompt": "Prove step by step that the sum of the first n odd numbers is n^2, then derive a closed "
               "form for the sum of squares and explain why induction works here.", "max_tokens": 2048},
    {"prompt": "```python\ndef f(x):\n    return x * 2\n```\nWhy does this_function fail when x is None? "
               "Fix the bug.", "turns": 3, "system": True, "tools": True},
    {"prompt": "If the defendant's contract was breached, could the plaintiff sue for damages? "
               "Explain the court's reasoning. Naïve café résumé — 10% of $5 = 0.5!"},
]


def groups_bytes():
    """Group name -> keywords as bytes; in a spec, entries after the first "|" are phrases."""
    out = {}
    for name, spec in KEYWORD_GROUPS.items():
        words, *phrases = spec.split("|")
        out[name] = {k.encode() for k in words.split()} | {p.strip().encode() for p in phrases}
    return out


def keyword_lists():
    g = groups_bytes()
    return {name: sorted(k.decode() for k in g[name]) for name in sorted(g)}


def load(data_dir):
    groups = groups_bytes()
    examples = []
    with open(data_dir / "mmlu_dev.csv", newline="") as f:
        for r in csv.DictReader(f):
            examples.append(dict(source="mmlu", group=r["domain"], x=features(r["prompt"], groups),
                                 weak=r["weak_correct"] == "True", strong=r["strong_correct"] == "True"))
    with open(data_dir / "mt_bench_dev.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    first = {r["question_id"]: r["turn_prompt"] for r in rows if r["turn"] == "1"}
    for r in rows:
        turn = int(r["turn"])
        # A second turn is routed with the whole conversation; the first answer is not in the data.
        text = r["turn_prompt"] if turn == 1 else first[r["question_id"]] + "\n" + r["turn_prompt"]
        examples.append(dict(source="mt_bench", group="mt:" + r["category"], x=features(text, groups, turns=turn),
                             weak=float(r["score_Mixtral-8x7B-Instruct-v0.1"]) >= 8,
                             strong=float(r["score_gpt-4-1106-preview"]) >= 8))
    return examples


class Model:
    """L2-regularised logistic regression on standardised features, fitted by Newton's method.
    Columns with too little support are left out of the fit and get their PRIORS weight; their
    prior contribution enters the fit as a fixed offset so the other weights do not absorb it."""

    def __init__(self, X, y, sample_weight, lam):
        self.fitted = ((X != 0).sum(0) >= MIN_SUPPORT) & (X.std(0) > 0)
        # Sign constraints by active set: a weight that fits the wrong way is pinned at 0 and
        # the rest refitted, until every constrained weight has its sign (the constrained MLE).
        self.pinned = np.zeros(len(FEATURES), dtype=bool)
        while True:
            self._fit(X, y, sample_weight, lam)
            wrong = [i for i, f in enumerate(FEATURES) if self.fitted[i] and SIGNS.get(f, 0) * self.weights[i] < 0]
            if not wrong:
                break
            self.fitted[wrong] = False
            self.pinned[wrong] = True

    def _fit(self, X, y, sample_weight, lam):
        priors = np.array([PRIORS.get(f, 0.0) for f in FEATURES])
        offset = X[:, ~self.fitted] @ priors[~self.fitted]
        Xf = X[:, self.fitted]
        self.mu, self.sd = Xf.mean(0), Xf.std(0)
        Z = np.c_[np.ones(len(Xf)), (Xf - self.mu) / self.sd]
        b = np.zeros(Z.shape[1])
        ridge = lam * np.eye(Z.shape[1])
        ridge[0, 0] = 0  # the intercept is not shrunk
        for _ in range(100):
            p = 1 / (1 + np.exp(-(Z @ b + offset)))
            grad = Z.T @ (sample_weight * (p - y)) + ridge @ b
            hess = Z.T @ (Z * (sample_weight * p * (1 - p))[:, None]) + ridge
            step = np.linalg.solve(hess, grad)
            b -= step
            if np.abs(step).max() < 1e-12:
                break
        # Back to raw-feature weights, so the runtime computes intercept + sum(w * x) directly.
        self.weights = priors.copy()
        self.weights[self.fitted] = b[1:] / self.sd
        self.intercept = b[0] - float(np.sum(b[1:] * self.mu / self.sd))

    def logit(self, X):
        return self.intercept + X @ self.weights


def arrays(examples):
    X = np.array([e["x"] for e in examples])
    y = np.array([0.0 if e["weak"] else 1.0 for e in examples])
    sw = np.array([MT_BENCH_WEIGHT if e["source"] == "mt_bench" else 1.0 for e in examples])
    return X, y, sw


def grouped_oof(examples, lam, groups_of_interest=None):
    """Out-of-fold logits: each group (subject or category) scored by a fit that never saw it."""
    X, y, sw = arrays(examples)
    g = np.array([e["group"] for e in examples])
    out = np.zeros(len(examples))
    for name in sorted(set(g) if groups_of_interest is None else groups_of_interest):
        test = g == name
        out[test] = Model(X[~test], y[~test], sw[~test], lam).logit(X[test])
    return out


def choose_lambda(train):
    mmlu_groups = sorted({e["group"] for e in train if e["source"] == "mmlu"})
    w = np.array([e["weak"] for e in train]); s = np.array([e["strong"] for e in train])
    mask = np.array([e["source"] == "mmlu" for e in train])
    scores = {lam: metrics(grouped_oof(train, lam, mmlu_groups)[mask], w[mask], s[mask])["apgr"] for lam in LAMBDAS}
    return max(LAMBDAS, key=lambda lam: (round(scores[lam], 4), lam)), scores


def table(title, score, w, s):
    lines = [f"{title} (n={len(w)}, weak acc {w.mean():.3f}, strong acc {s.mean():.3f})", "",
             "| router | savings @95% quality | CPT(50%) | CPT(80%) | APGR |", "|---|---|---|---|---|"]
    rows = [("classifier", metrics(score, w, s)), ("random", random_metrics(w, s)),
            ("oracle", metrics((s & ~w).astype(float), w, s))]
    for name, m in rows:
        lines.append(f"| {name} | {m['savings95']:.1%} | {m['cpt50']:.1%} | {m['cpt80']:.1%} | {m['apgr']:.3f} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval")
    args = parser.parse_args()
    examples = load(args.data)
    mmlu = [e for e in examples if e["source"] == "mmlu"]
    mt = [e for e in examples if e["source"] == "mt_bench"]

    subjects = sorted({e["group"] for e in mmlu})
    random.Random(HOLDOUT_SEED).shuffle(subjects)
    held = set(subjects[: round(len(subjects) * HOLDOUT_FRACTION)])
    train = [e for e in examples if e["group"] not in held]
    test = [e for e in mmlu if e["group"] in held]
    lam, cv = choose_lambda(train)
    print(f"held-out MMLU subjects: {', '.join(sorted(held))}")
    print("leave-one-subject-out APGR by L2 strength: " + ", ".join(f"{k:g}: {v:.3f}" for k, v in cv.items())
          + f" -> {lam:g}\n")

    Xtr, ytr, swtr = arrays(train)
    Xte, _, _ = arrays(test)
    w = np.array([e["weak"] for e in test]); s = np.array([e["strong"] for e in test])
    report = table("MMLU, held-out subjects", Model(Xtr, ytr, swtr, lam).logit(Xte), w, s)
    # MT-Bench: every category scored by a fit on all MMLU plus the other seven categories.
    mt_scores = grouped_oof(examples, lam, sorted({e["group"] for e in mt}))[len(mmlu):]
    wm = np.array([e["weak"] for e in mt]); sm = np.array([e["strong"] for e in mt])
    report += "\n" + table("MT-Bench (correct = score >= 8), leave-one-category-out", mt_scores, wm, sm)

    # Every MMLU subject scored by a fit (on everything else) that never saw it.
    loso = grouped_oof(examples, lam, sorted({e["group"] for e in mmlu}))[: len(mmlu)]
    wa = np.array([e["weak"] for e in mmlu]); sa = np.array([e["strong"] for e in mmlu])
    report += "\n" + table("MMLU, leave-one-subject-out, all 29 subjects", loso, wa, sa)

    X, y, sw = arrays(examples)
    final = Model(X, y, sw, lam)
    report += "\n" + table("MMLU dev, all 29 subjects (in-sample: the shipped weights)", final.logit(X[: len(mmlu)]), wa, sa)
    print(report)
    write_outputs(final, lam, X[len(mmlu):])


def write_outputs(model, lam, X_chat):
    # Complexity 1-10: deciles of the MT-Bench prompts' logits, so each level holds a tenth of
    # real chat requests. Exam questions (MMLU) are longer and denser than chat and mostly land
    # at 7-10 on this scale; deciles of MMLU would put nearly every chat prompt at 1.
    logits = model.logit(X_chat)
    cuts = [float(np.quantile(logits, q / 10)) for q in range(1, 10)]
    groups = groups_bytes()
    fixtures = []
    for fx in FIXTURES:
        x = features(fx["prompt"], groups, turns=fx.get("turns", 1), has_system=fx.get("system", False),
                     max_tokens=fx.get("max_tokens"), tools=fx.get("tools", False))
        fixtures.append(dict(fx, logit=float(model.intercept + np.dot(model.weights, x))))
    doc = {
        "version": 1,
        "label": "weak model wrong (MMLU weak_correct=False; MT-Bench weak score < 8)",
        "l2_lambda": lam,
        "intercept": float(model.intercept),
        "features": [{"name": f, "weight": float(wt),
                      "source": "fit" if fit else "sign constraint" if pin else "prior"}
                     for f, wt, fit, pin in zip(FEATURES, model.weights, model.fitted, model.pinned)],
        "keyword_groups": keyword_lists(),
        "complexity_cutpoints": cuts,
        "fixtures": fixtures,
    }
    text = json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    (ROOT / "config" / "classifier-weights.json").write_text(text)
    swift = SWIFT_TEMPLATE.replace("@JSON@", "\n".join(("    " + l).rstrip() for l in text.splitlines()))
    (ROOT / "Sources" / "FinOpsCore" / "DefaultClassifierWeights.swift").write_text(swift)
    print("wrote config/classifier-weights.json and Sources/FinOpsCore/DefaultClassifierWeights.swift")


SWIFT_TEMPLATE = '''// GENERATED by scripts/train_classifier.py from the routing dev data (../shared/eval).
// Do not edit by hand: change the script and re-run it (it rewrites
// config/classifier-weights.json too).
import Foundation

/// The shipped complexity-classifier weights, embedded so the binary scores prompts with no
/// files on disk. `json` is byte-identical to config/classifier-weights.json
/// (ClassifierWeightsTests checks it).
public enum DefaultClassifierWeights {
    public static let json: String = #"""
@JSON@

    """#

    /// The decoded weights. Decoded once; a test guarantees they are valid.
    public static func weights() -> ClassifierWeights { decoded }

    private static let decoded: ClassifierWeights = {
        do {
            return try ClassifierWeights.decode(json: Data(json.utf8))
        } catch {
            fatalError("built-in classifier weights are invalid: \\(error)")
        }
    }()
}
'''

if __name__ == "__main__":
    main()
