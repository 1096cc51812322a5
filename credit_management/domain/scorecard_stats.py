"""Back-test statistics of a score: how well does it separate bad from good?

Plain functions on sequences of scores and outcomes (``bad`` is 1 for a
customer that went bad, 0 otherwise). A higher score means a better (less
risky) customer, as on the credit scorecard. The rank statistics come from
scikit-learn; the rest are the few formulas credit analysts use every day.
"""
from collections import namedtuple
import math

import numpy as np
from sklearn import metrics

GradeStat = namedtuple("GradeStat", "key customers bad bad_rate inversion")
"""One grade of a back-test: ``inversion`` is True when this grade's bad rate
is higher than the bad rate of a worse grade (it should fall as the grade
rises)."""

Separation = namedtuple("Separation", "auc gini ks ks_score")

# smoothing for empty cells (weight of evidence, stability index)
EPSILON = 0.5


def _arrays(scores, bad):
    scores = np.asarray(scores, dtype=float)
    bad = np.asarray(bad, dtype=int)
    if scores.shape != bad.shape:
        raise ValueError("scores and outcomes differ in length")
    if not set(np.unique(bad)) <= {0, 1}:
        raise ValueError("outcomes must be 0 (good) or 1 (bad)")
    return scores, bad


def bad_rate_by_grade(grade_keys, bad, order):
    """Customers, bad count and bad rate per grade, worst grade first.

    ``grade_keys`` is each customer's grade, ``bad`` its outcome, ``order``
    every grade key from the worst to the best (grades nobody got are listed
    with 0 customers). A grade is flagged as an inversion when its bad rate is
    higher than that of any worse grade holding customers.
    """
    counts = {key: [0, 0] for key in order}
    for key, outcome in zip(grade_keys, bad):
        if key not in counts:
            raise ValueError("grade %r is not in the grade order" % (key,))
        counts[key][0] += 1
        counts[key][1] += int(outcome)
    result = []
    worst_rates = []
    for key in order:
        customers, bads = counts[key]
        rate = float(bads) / customers if customers else 0.0
        inversion = bool(customers) and any(rate > r + 1e-12 for r in worst_rates)
        if customers:
            worst_rates.append(rate)
        result.append(GradeStat(key, customers, bads, rate, inversion))
    return result


def is_monotonic(stats):
    """True when no grade of ``bad_rate_by_grade`` is an inversion."""
    return not any(s.inversion for s in stats)


def separation(scores, bad):
    """AUC, Gini and Kolmogorov-Smirnov of ``scores`` against ``bad``.

    AUC is the probability that a good customer scores higher than a bad
    one (0.5 = no better than chance); Gini = 2 AUC - 1; KS is the largest
    gap between the cumulative score distributions of bad and good customers,
    ``ks_score`` the score where it is reached. Needs both outcomes.
    """
    scores, bad = _arrays(scores, bad)
    if bad.sum() == 0 or bad.sum() == len(bad):
        raise ValueError("both good and bad customers are needed")
    # bad is the positive class; a low score should flag it
    auc = float(metrics.roc_auc_score(bad, -scores))
    fpr, tpr, thresholds = metrics.roc_curve(bad, -scores)
    gaps = tpr - fpr
    best = int(np.argmax(gaps))
    return Separation(auc, 2 * auc - 1, float(gaps[best]),
                      float(-thresholds[best]) if best else None)


def roc_points(scores, bad, max_points=50):
    """[(share of good customers, share of bad customers)] below each cut-off,
    for drawing the ROC and KS curves (at most ``max_points`` points)."""
    scores, bad = _arrays(scores, bad)
    fpr, tpr, _thresholds = metrics.roc_curve(bad, -scores)
    if len(fpr) > max_points:
        idx = np.unique(np.linspace(0, len(fpr) - 1, max_points).round().astype(int))
        fpr, tpr = fpr[idx], tpr[idx]
    return [(float(f), float(t)) for f, t in zip(fpr, tpr)]


def psi_from_counts(expected, actual):
    """Population stability index between two distributions given as counts
    over the same buckets (e.g. customers per grade in two periods).

    Below 0.1 the population is stable, 0.1 - 0.25 shifting, above 0.25 it
    has changed and the scorecard should be reviewed."""
    if len(expected) != len(actual):
        raise ValueError("both distributions need the same buckets")
    total_e, total_a = float(sum(expected)), float(sum(actual))
    if not total_e or not total_a:
        raise ValueError("both distributions need customers")
    psi = 0.0
    for e, a in zip(expected, actual):
        pe = max(e, EPSILON) / total_e
        pa = max(a, EPSILON) / total_a
        psi += (pa - pe) * math.log(pa / pe)
    return psi


def psi(expected_scores, actual_scores, buckets=10):
    """Population stability index of two score samples, bucketed on the
    deciles (``buckets`` quantiles) of the expected sample."""
    expected = np.asarray(expected_scores, dtype=float)
    actual = np.asarray(actual_scores, dtype=float)
    if not len(expected) or not len(actual):
        raise ValueError("both samples need scores")
    edges = np.unique(np.quantile(expected, np.linspace(0, 1, buckets + 1)[1:-1]))
    e_counts = np.bincount(np.searchsorted(edges, expected, side="right"),
                           minlength=len(edges) + 1)
    a_counts = np.bincount(np.searchsorted(edges, actual, side="right"),
                           minlength=len(edges) + 1)
    return psi_from_counts(list(e_counts), list(a_counts))


def woe_iv(goods, bads):
    """Weight of evidence per bucket, ln(share of goods / share of bads), and
    the information value of the whole split, from counts per bucket.

    IV below 0.02 says the indicator does not separate; 0.02 - 0.1 weak,
    0.1 - 0.3 medium, above 0.3 strong."""
    total_g, total_b = float(sum(goods)), float(sum(bads))
    if not total_g or not total_b:
        raise ValueError("both good and bad customers are needed")
    woes, iv = [], 0.0
    for g, b in zip(goods, bads):
        pg = max(g, EPSILON) / total_g
        pb = max(b, EPSILON) / total_b
        woe = math.log(pg / pb)
        woes.append(woe)
        iv += (pg - pb) * woe
    return woes, iv


def gains_curve(scores, bad, steps=20):
    """Cumulative shares of bad and good customers among the lowest-scoring
    part of the population: [(population %, bad %, good %)] for population
    0, 100/steps, ..., 100 %. The gap between the two curves is the KS
    chart; a good score catches most bad customers in its lowest part."""
    scores, bad = _arrays(scores, bad)
    total = len(scores)
    if not total:
        raise ValueError("no scores")
    order = np.argsort(scores, kind="mergesort")
    cum_bad = np.concatenate([[0], np.cumsum(bad[order])])
    cum_good = np.concatenate([[0], np.cumsum(1 - bad[order])])
    n_bad, n_good = max(cum_bad[-1], 1), max(cum_good[-1], 1)
    points = []
    for step in range(steps + 1):
        count = int(round(total * step / float(steps)))
        points.append((100.0 * step / steps, 100.0 * cum_bad[count] / n_bad,
                       100.0 * cum_good[count] / n_good))
    return points
