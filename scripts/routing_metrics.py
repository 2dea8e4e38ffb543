"""RouteLLM-style routing-quality metrics (definitions in ../shared/eval/README.md).

A router scores each prompt; sending the k highest-scored prompts to the strong model and the
rest to the weak one gives one point of the sweep (strong share k/n, quality = mean correctness
of the answers actually used). Ties are broken by input order (a stable sort).
"""
import numpy as np


def quality_curve(score, weak, strong):
    order = np.argsort(-np.asarray(score, dtype=float), kind="stable")
    w = np.asarray(weak, dtype=float)[order]
    s = np.asarray(strong, dtype=float)[order]
    gain = np.concatenate([[0.0], np.cumsum(s - w)])
    return np.arange(len(w) + 1) / len(w), (w.sum() + gain) / len(w)


def summarize(share, quality, weak_acc, strong_acc):
    def min_share(target):
        hit = np.nonzero(quality >= target - 1e-12)[0]
        return float(share[hit[0]]) if len(hit) else 1.0

    gap = strong_acc - weak_acc
    pgr = (quality - weak_acc) / gap
    # Area under the performance-gap-recovered curve over strong share 0..1 (trapezoids).
    apgr = float(np.sum((pgr[1:] + pgr[:-1]) / 2 * np.diff(share)))
    return {
        "savings95": 1.0 - min_share(0.95 * strong_acc),
        "cpt50": min_share(weak_acc + 0.5 * gap),
        "cpt80": min_share(weak_acc + 0.8 * gap),
        "apgr": apgr,
    }


def metrics(score, weak, strong):
    share, quality = quality_curve(score, weak, strong)
    return summarize(share, quality, float(np.mean(weak)), float(np.mean(strong)))


def random_metrics(weak, strong):
    """The expected curve of a random router: quality grows linearly with the strong share."""
    n = len(weak)
    wa, sa = float(np.mean(weak)), float(np.mean(strong))
    share = np.arange(n + 1) / n
    return summarize(share, wa + share * (sa - wa), wa, sa)
