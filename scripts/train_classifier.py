#!/usr/bin/env python3
"""Fit the complexity classifier's weights on the routing dev data.

Usage: scripts/train_classifier.py [--data DIR] [--vocab-l2 X]   (default DIR: ../shared/eval)
       scripts/train_classifier.py --verify .build/release/finops-router

Writes, relative to the repository root (the parent of this script's folder):
  config/classifier-weights.json                     weights, keyword groups, vocabulary, cut points
  Sources/FinOpsCore/DefaultClassifierWeights.swift  the same bytes embedded as a Swift string
and prints the routing-quality tables that docs/routing-quality.md quotes. `--verify` fits
nothing: it scores every dev prompt in Python and through `finops-router eval --scores` and
fails unless the logits agree to 1e-9.

Model: logistic regression on 31 dense prompt features (classifier_features.py: length, code,
maths, keyword groups, answer-option shape, request fields) plus a vocabulary of word weights
(each word's count / sqrt(words in the prompt)).

Label: "needs the strong model" = the WEAK model answered wrong (MMLU: weak_correct False;
MT-Bench: weak score < 8). We also tried "strong right and weak wrong", and ranking by
P(strong right) - P(weak right); both ranked worse on held-out subjects (the second's two
models are each noisy, and their difference more so). p_strong is P(the small model fails).

Overfitting guards: a word enters the vocabulary only if it occurs in >= 5 training prompts
of >= 3 different subjects (a word of one subject would only memorise that subject); word
weights are L2-penalised, the strength chosen by leave-one-subject-out CV on the training
subjects (by savings at 95% quality, the issue's metric); dense features are standardised and
L2-penalised; some keyword cues have sign constraints; features the data cannot teach
(tools, max_tokens, system prompt) keep hand-set priors, named in PRIORS. Every table is also
given held out: 9 MMLU subjects never seen by the fit, every subject left out in turn, and
MT-Bench categories left out in turn.

numpy and scipy; the fit is deterministic (Newton-CG with exact Hessian products, no random
init), so reruns on one machine give the same bytes.
"""
import argparse
import csv
import json
import math
import random
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from scipy.special import expit

from classifier_features import FEATURES, scan, vocabulary_term
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
# L2 strength of the standardised dense features (the CV curve is flat here) and the grid for
# the word weights, chosen by leave-one-subject-out CV on the training subjects.
DENSE_L2 = 1.0
VOCAB_L2 = [3, 10, 30, 100]
# A word enters the vocabulary only if it occurs in at least this many training prompts and in
# at least this many groups (MMLU subjects; MT-Bench counts as one): words that name a single
# subject would only memorise it.
VOCAB_MIN_PROMPTS = 5
VOCAB_MIN_GROUPS = 3
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
    {"prompt": "A train leaves at 9:40 and covers 150 km at 60 km/h. When does it arrive?\n"
               "A. 11:10\nB) 12:10\nC. half past eleven\nD. It never arrives.\r\nE.no space, not an option\nAnswer:"},
    {"prompt": "Which of the following best describes the role of a court when a statute is ambiguous?\n"
               "A. It must refuse the case\nB. It interprets the statute\nC. It asks the legislature\n"
               "D. It applies the law of another state\nAnswer:"},
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
            x, words = scan(r["prompt"], groups)
            examples.append(dict(source="mmlu", group=r["domain"], x=x, words=words,
                                 weak=r["weak_correct"] == "True", strong=r["strong_correct"] == "True"))
    with open(data_dir / "mt_bench_dev.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    first = {r["question_id"]: r["turn_prompt"] for r in rows if r["turn"] == "1"}
    for r in rows:
        turn = int(r["turn"])
        # A second turn is routed with the whole conversation; the first answer is not in the data.
        text = r["turn_prompt"] if turn == 1 else first[r["question_id"]] + "\n" + r["turn_prompt"]
        x, words = scan(text, groups, turns=turn)
        examples.append(dict(source="mt_bench", group="mt:" + r["category"], x=x, words=words,
                             weak=float(r["score_Mixtral-8x7B-Instruct-v0.1"]) >= 8,
                             strong=float(r["score_gpt-4-1106-preview"]) >= 8))
    return examples


def build_vocabulary(examples):
    """Words frequent enough, and spread over enough groups, to carry a weight."""
    prompts, groups = {}, {}
    for e in examples:
        g = e["group"] if e["source"] == "mmlu" else "mt"
        for w in set(e["words"]):
            prompts[w] = prompts.get(w, 0) + 1
            groups.setdefault(w, set()).add(g)
    kept = sorted(w for w in prompts if prompts[w] >= VOCAB_MIN_PROMPTS and len(groups[w]) >= VOCAB_MIN_GROUPS)
    return {w: i for i, w in enumerate(kept)}


def word_matrix(examples, vocabulary):
    """Row i, column j: occurrences of word j in prompt i / sqrt(words in prompt i)."""
    rows, cols, vals = [], [], []
    for i, e in enumerate(examples):
        counts = {}
        for w in e["words"]:
            j = vocabulary.get(w)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        scale = 1 / math.sqrt(len(e["words"])) if e["words"] else 0.0
        for j, c in sorted(counts.items()):
            rows.append(i); cols.append(j); vals.append(c * scale)
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(examples), len(vocabulary)))


def f32(x):
    """Word weights ship as 32-bit floats (half the table, twice the cache hits); the script
    scores with the rounded values so Python and Swift add the same numbers."""
    return float(np.float32(x))


class Model:
    """L2-regularised logistic regression on standardised dense features plus word weights,
    fitted by Newton-CG (exact Hessian-vector products; deterministic, no random init).
    Dense columns with too little support are left out of the fit and get their PRIORS weight;
    their prior contribution enters the fit as a fixed offset so the other weights do not
    absorb it. Sign constraints by active set: a weight that fits the wrong way is pinned at 0
    and the rest refitted, until every constrained weight has its sign (the constrained MLE)."""

    def __init__(self, train, vocab_l2):
        X = np.array([e["x"] for e in train])
        y = np.array([0.0 if e["weak"] else 1.0 for e in train])
        sw = np.array([MT_BENCH_WEIGHT if e["source"] == "mt_bench" else 1.0 for e in train])
        self.vocabulary = build_vocabulary(train)
        V = word_matrix(train, self.vocabulary)
        self.fitted = ((X != 0).sum(0) >= MIN_SUPPORT) & (X.std(0) > 0)
        self.pinned = np.zeros(len(FEATURES), dtype=bool)
        while True:
            self._fit(X, V, y, sw, vocab_l2)
            wrong = [i for i, f in enumerate(FEATURES) if self.fitted[i] and SIGNS.get(f, 0) * self.weights[i] < 0]
            if not wrong:
                break
            self.fitted[wrong] = False
            self.pinned[wrong] = True

    def _fit(self, X, V, y, sw, vocab_l2):
        priors = np.array([PRIORS.get(f, 0.0) for f in FEATURES])
        offset = X[:, ~self.fitted] @ priors[~self.fitted]
        Xf = X[:, self.fitted]
        self.mu, self.sd = Xf.mean(0), Xf.std(0)
        Z = sp.hstack([sp.csr_matrix(np.c_[np.ones(len(Xf)), (Xf - self.mu) / self.sd]), V]).tocsr()
        ZT = Z.T.tocsr()
        nd = 1 + Xf.shape[1]
        pen = np.r_[0.0, np.full(Xf.shape[1], DENSE_L2), np.full(V.shape[1], float(vocab_l2))]

        def objective(b):
            z = Z @ b + offset
            return float(np.sum(sw * (np.logaddexp(0, z) - y * z)) + 0.5 * np.sum(pen * b * b))

        def gradient(b):
            p = expit(Z @ b + offset)
            return ZT @ (sw * (p - y)) + pen * b

        def hessp(b, v):
            p = expit(Z @ b + offset)
            return ZT @ (sw * p * (1 - p) * (Z @ v)) + pen * v

        b = minimize(objective, np.zeros(Z.shape[1]), jac=gradient, hessp=hessp, method="Newton-CG",
                     options=dict(xtol=1e-10, maxiter=200)).x
        # Back to raw-feature weights, so the runtime computes intercept + sum(w * x) directly.
        self.weights = priors.copy()
        self.weights[self.fitted] = b[1:nd] / self.sd
        self.intercept = float(b[0] - np.sum(b[1:nd] * self.mu / self.sd))
        words = sorted(self.vocabulary, key=self.vocabulary.get)
        self.word_weights = {w: f32(b[nd + j]) for j, w in enumerate(words) if f32(b[nd + j]) != 0.0}

    def logit(self, e):
        return self.intercept + float(np.dot(self.weights, e["x"])) + vocabulary_term(e["words"], self.word_weights)

    def logits(self, examples):
        return np.array([self.logit(e) for e in examples])


def grouped_oof(examples, vocab_l2, groups_of_interest):
    """Out-of-fold logits: each group (subject or category) scored by a fit that never saw it."""
    out = np.full(len(examples), np.nan)
    for name in sorted(groups_of_interest):
        test = [i for i, e in enumerate(examples) if e["group"] == name]
        model = Model([e for e in examples if e["group"] != name], vocab_l2)
        out[test] = model.logits([examples[i] for i in test])
    return out


def labels(examples):
    return np.array([e["weak"] for e in examples]), np.array([e["strong"] for e in examples])


def choose_vocab_l2(train):
    mmlu_groups = sorted({e["group"] for e in train if e["source"] == "mmlu"})
    mask = np.array([e["source"] == "mmlu" for e in train])
    w, s = labels(train)
    scores = {}
    for lam in VOCAB_L2:
        oof = grouped_oof(train, lam, mmlu_groups)
        scores[lam] = metrics(oof[mask], w[mask], s[mask])
    # The metric decides; ties (to 0.1 point) go to the stronger penalty.
    return max(VOCAB_L2, key=lambda lam: (round(scores[lam]["savings95"], 3), lam)), scores


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
    parser.add_argument("--vocab-l2", type=float, help="skip the CV and use this word-weight L2 strength")
    parser.add_argument("--verify", metavar="FINOPS_ROUTER",
                        help="fit nothing: score every dev prompt with the shipped weights in Python and with "
                             "`FINOPS_ROUTER eval --scores` and report the largest difference")
    args = parser.parse_args()
    examples = load(args.data)
    if args.verify:
        verify(args.verify, args.data, examples)
        return
    mmlu = [e for e in examples if e["source"] == "mmlu"]
    mt = [e for e in examples if e["source"] == "mt_bench"]

    subjects = sorted({e["group"] for e in mmlu})
    random.Random(HOLDOUT_SEED).shuffle(subjects)
    held = set(subjects[: round(len(subjects) * HOLDOUT_FRACTION)])
    train = [e for e in examples if e["group"] not in held]
    test = [e for e in mmlu if e["group"] in held]
    print(f"held-out MMLU subjects: {', '.join(sorted(held))}")
    if args.vocab_l2 is None:
        lam, cv = choose_vocab_l2(train)
        print("leave-one-subject-out on the training subjects, by word L2 strength: " + ", ".join(
            f"{k:g}: APGR {v['apgr']:.3f} savings {v['savings95']:.1%}" for k, v in cv.items()) + f" -> {lam:g}\n")
    else:
        lam = args.vocab_l2
        print(f"word L2 strength {lam:g} (given, no CV)\n")

    w, s = labels(test)
    report = table("MMLU, held-out subjects", Model(train, lam).logits(test), w, s)
    # MT-Bench: every category scored by a fit on all MMLU plus the other seven categories.
    mt_scores = grouped_oof(examples, lam, {e["group"] for e in mt})[len(mmlu):]
    report += "\n" + table("MT-Bench (correct = score >= 8), leave-one-category-out", mt_scores, *labels(mt))

    # Every MMLU subject scored by a fit (on everything else) that never saw it.
    loso = grouped_oof(examples, lam, {e["group"] for e in mmlu})[: len(mmlu)]
    report += "\n" + table("MMLU, leave-one-subject-out, all 29 subjects", loso, *labels(mmlu))

    final = Model(examples, lam)
    report += "\n" + table("MMLU dev, all 29 subjects (in-sample: the shipped weights)", final.logits(mmlu), *labels(mmlu))
    report += "\n" + table("MT-Bench (in-sample: the shipped weights)", final.logits(mt), *labels(mt))
    print(report)
    write_outputs(final, lam, mt)


def verify(binary, data_dir, examples):
    """Python and Swift must give every dev prompt the same logit (MT-Bench first turns only:
    `eval` scores each CSV row's own text)."""
    doc = json.loads((ROOT / "config" / "classifier-weights.json").read_text())
    weights = np.array([f["weight"] for f in doc["features"]])
    vocabulary = {k.encode(): v for k, v in doc["vocabulary"].items()}
    groups = {name: {k.encode() for k in words} for name, words in doc["keyword_groups"].items()}
    worst = 0.0
    for name, column in [("mmlu_dev.csv", "prompt"), ("mt_bench_dev.csv", "turn_prompt")]:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "scores.csv"
            cmd = [binary, "eval", "--data", str(data_dir / name), "--prompt-column", column, "--scores", str(out)]
            if name.startswith("mt_"):
                cmd += ["--weak-column", "score_Mixtral-8x7B-Instruct-v0.1", "--strong-column", "score_gpt-4-1106-preview"]
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            with open(out, newline="") as f:
                swift = [float(r["logit"]) for r in csv.DictReader(f)]
        with open(data_dir / name, newline="") as f:
            prompts = [r[column] for r in csv.DictReader(f)]
        assert len(swift) == len(prompts), (name, len(swift), len(prompts))
        for prompt, theirs in zip(prompts, swift):
            x, words = scan(prompt, groups)
            ours = doc["intercept"] + float(np.dot(weights, x)) + vocabulary_term(words, vocabulary)
            worst = max(worst, abs(ours - theirs))
        print(f"{name}: {len(prompts)} prompts compared")
    print(f"largest |Python logit - Swift logit|: {worst:.3g}")
    if worst > 1e-9:
        raise SystemExit("the Swift scorer disagrees with the training features")


def write_outputs(model, lam, chat):
    # Complexity 1-10: deciles of the MT-Bench prompts' logits, so each level holds a tenth of
    # real chat requests. Exam questions (MMLU) are longer and denser than chat and mostly land
    # at 7-10 on this scale; deciles of MMLU would put nearly every chat prompt at 1.
    logits = model.logits(chat)
    cuts = [float(np.quantile(logits, q / 10)) for q in range(1, 10)]
    groups = groups_bytes()
    fixtures = []
    for fx in FIXTURES:
        x, words = scan(fx["prompt"], groups, turns=fx.get("turns", 1), has_system=fx.get("system", False),
                        max_tokens=fx.get("max_tokens"), tools=fx.get("tools", False))
        fixtures.append(dict(fx, logit=model.intercept + float(np.dot(model.weights, x))
                             + vocabulary_term(words, model.word_weights)))
    doc = {
        "version": 2,
        "label": "weak model wrong (MMLU weak_correct=False; MT-Bench weak score < 8)",
        "l2_dense": DENSE_L2,
        "l2_vocabulary": lam,
        "intercept": model.intercept,
        "features": [{"name": f, "weight": float(wt),
                      "source": "fit" if fit else "sign constraint" if pin else "prior"}
                     for f, wt, fit, pin in zip(FEATURES, model.weights, model.fitted, model.pinned)],
        "keyword_groups": keyword_lists(),
        "vocabulary_rule": f"words in >= {VOCAB_MIN_PROMPTS} dev prompts and >= {VOCAB_MIN_GROUPS} subjects; "
                           "logit += sum of the words' weights / sqrt(words in the prompt)",
        "vocabulary": {w.decode(): v for w, v in sorted(model.word_weights.items())},
        "complexity_cutpoints": cuts,
        "fixtures": fixtures,
    }
    text = json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    (ROOT / "config" / "classifier-weights.json").write_text(text)
    swift = SWIFT_TEMPLATE.replace("@JSON@", "\n".join(("    " + l).rstrip() for l in text.splitlines()))
    (ROOT / "Sources" / "FinOpsCore" / "DefaultClassifierWeights.swift").write_text(swift)
    print(f"wrote config/classifier-weights.json and Sources/FinOpsCore/DefaultClassifierWeights.swift "
          f"({len(model.word_weights)} word weights)")


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
