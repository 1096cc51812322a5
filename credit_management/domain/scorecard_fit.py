"""Fit a scorecard from history: bins, weights of evidence, logistic model,
points, grade cut-offs.

Works on any table: ``columns`` maps an indicator name to its values (numbers,
None/NaN for "not available", or text for a categorical indicator), ``bad``
holds each row's outcome (1 bad, 0 good). Steps, as in the credit trade:

1. ``bin_numeric``: monotonic weight-of-evidence binning of each numeric
   indicator (quantile pre-bins, then adjacent bins are merged until the bad
   rate only rises or only falls, no bin is smaller than ``min_share`` and
   there are at most ``max_bins``); ``bin_categorical`` for text values.
2. indicators whose information value is below ``min_iv`` are left out.
3. scikit-learn's logistic regression on the weights of evidence; an
   indicator whose coefficient comes out with the wrong sign (it would give
   more points to the riskier bin) is dropped and the model refitted.
4. points: ``score = offset - factor * ln(odds of bad)``, with ``factor =
   pdo / ln 2`` (points to double the odds) and the offset putting
   ``base_score`` at ``base_odds`` good:bad.
5. ``to_card``: the same model as the addon's scorecard (weights adding up to
   100, each band a share of its indicator's weight); ``grade_cutoffs``
   proposes the minimum score of each grade.
"""
from collections import namedtuple
import math

import numpy as np
from sklearn.linear_model import LogisticRegression

from . import scorecard_stats as stats

Bin = namedtuple("Bin", "low high categories missing goods bads woe")
"""A numeric bin holds values between ``low`` and ``high`` (edges sit
between observed values seen while fitting; a later value on an edge goes
where the scorecard's band rule puts it, see ``bin_index``); a categorical bin
holds ``categories``; the missing bin holds values not available."""

Binning = namedtuple("Binning", "name kind direction bins iv")
"""``kind`` 'numeric' or 'categorical'; ``direction`` +1 when the bad rate
falls as the value rises (higher is better), -1 when it rises, 0 for
categorical indicators."""

FittedCard = namedtuple(
    "FittedCard", "binnings coefficients intercept factor offset base_points "
                  "points dropped")
"""``points[name]`` lists the points of each bin of ``binnings[name]``;
``dropped`` maps a left-out indicator to why."""

CardIndicator = namedtuple("CardIndicator", "name weight higher_is_better bands")
CardBand = namedtuple("CardBand", "threshold percent")


def _is_missing(value):
    return value is None or (isinstance(value, float) and math.isnan(value))


def _split(values, bad):
    present = [i for i, v in enumerate(values) if not _is_missing(v)]
    missing = [i for i, v in enumerate(values) if _is_missing(v)]
    x = np.array([float(values[i]) for i in present], dtype=float)
    y = np.asarray(bad, dtype=int)
    return x, y[present], y[missing]


def _prebin_edges(x, prebins):
    """Cut points between observed values, near the quantiles of ``x``."""
    uniq = np.unique(x)
    if len(uniq) < 2:
        return []
    quantiles = np.quantile(x, np.linspace(0, 1, prebins + 1)[1:-1])
    edges = set()
    for q in quantiles:
        idx = int(np.searchsorted(uniq, q, side="right"))
        if 0 < idx < len(uniq):
            edges.add((uniq[idx - 1] + uniq[idx]) / 2.0)
    return sorted(edges)


def _counts(x, y, edges):
    idx = np.searchsorted(np.asarray(edges, dtype=float), x) if edges else \
        np.zeros(len(x), dtype=int)
    n = len(edges) + 1
    bads = np.bincount(idx, weights=y, minlength=n).astype(int)
    totals = np.bincount(idx, minlength=n)
    return [[int(t - b), int(b)] for t, b in zip(totals, bads)]


def _rate(cell):
    total = cell[0] + cell[1]
    return float(cell[1]) / total if total else 0.0


def _merge(cells, edges, i):
    """Merge bin i with bin i + 1."""
    cells = cells[:i] + [[cells[i][0] + cells[i + 1][0],
                          cells[i][1] + cells[i + 1][1]]] + cells[i + 2:]
    return cells, edges[:i] + edges[i + 1:]


def _monotonic(cells, edges, direction, min_count, max_bins):
    """Merge adjacent bins until the bad rate moves in ``direction``
    (+1: falls as the value rises), every bin has ``min_count`` rows and
    there are at most ``max_bins`` bins."""
    while True:
        rates = [_rate(c) for c in cells]
        # a violation: the bad rate moves against the direction
        worst, worst_gap = None, 0.0
        for i in range(len(cells) - 1):
            gap = (rates[i + 1] - rates[i]) * direction
            if gap >= 0 and (worst is None or gap > worst_gap):
                worst, worst_gap = i, gap
        if worst is not None:
            cells, edges = _merge(cells, edges, worst)
            continue
        sizes = [c[0] + c[1] for c in cells]
        if len(cells) > 1 and (min(sizes) < min_count or len(cells) > max_bins):
            i = int(np.argmin(sizes)) if min(sizes) < min_count else min(
                range(len(cells) - 1), key=lambda k: abs(rates[k] - rates[k + 1]))
            if i == len(cells) - 1:
                i -= 1
            elif 0 < i and min(sizes) < min_count and \
                    abs(rates[i - 1] - rates[i]) < abs(rates[i] - rates[i + 1]):
                i -= 1
            cells, edges = _merge(cells, edges, i)
            continue
        return cells, edges


def bin_numeric(name, values, bad, max_bins=5, min_share=0.05, prebins=20):
    """Monotonic weight-of-evidence binning of one numeric indicator."""
    x, y, y_missing = _split(values, bad)
    total_bad = int(np.sum(bad))
    if not total_bad or total_bad == len(bad):
        raise ValueError("both good and bad outcomes are needed to bin %s" % name)
    min_count = max(int(math.ceil(min_share * len(bad))), 1)
    edges = _prebin_edges(x, prebins) if len(x) else []
    start = _counts(x, y, edges) if len(x) else []
    best = None
    for direction in (1, -1):
        cells, cut = _monotonic(start, list(edges), direction, min_count, max_bins)
        goods, bads = _with_missing(cells, y_missing)
        woes, iv = stats.woe_iv(goods, bads)
        if best is None or iv > best[0] + 1e-12:
            best = (iv, direction, cells, cut, woes)
    iv, direction, cells, cut, woes = best
    if len(cells) < 2:
        direction = 1
    bounds = [-math.inf] + list(cut) + [math.inf]
    bins = [Bin(bounds[i], bounds[i + 1], None, False, c[0], c[1], woes[i])
            for i, c in enumerate(cells)]
    if len(y_missing):
        bins.append(Bin(None, None, None, True,
                        int(len(y_missing) - y_missing.sum()),
                        int(y_missing.sum()), woes[-1]))
    return Binning(name, "numeric", direction, bins, iv)


def _with_missing(cells, y_missing):
    goods = [c[0] for c in cells]
    bads = [c[1] for c in cells]
    if len(y_missing):
        goods.append(int(len(y_missing) - y_missing.sum()))
        bads.append(int(y_missing.sum()))
    return goods, bads


def bin_categorical(name, values, bad):
    """One bin per category (and one for values not available)."""
    groups = {}
    for value, outcome in zip(values, bad):
        key = None if _is_missing(value) else str(value)
        cell = groups.setdefault(key, [0, 0])
        cell[int(outcome)] += 1
    keys = sorted(groups, key=lambda k: (k is None, k or ""))
    woes, iv = stats.woe_iv([groups[k][0] for k in keys], [groups[k][1] for k in keys])
    bins = [Bin(None, None, None if k is None else (k,), k is None,
                groups[k][0], groups[k][1], w) for k, w in zip(keys, woes)]
    return Binning(name, "categorical", 0, bins, iv)


def bin_index(binning, value):
    """Index of the bin ``value`` falls in; None when no bin holds it
    (a category or a missing value not seen while fitting)."""
    if _is_missing(value):
        for i, b in enumerate(binning.bins):
            if b.missing:
                return i
        return None
    if binning.kind == "categorical":
        for i, b in enumerate(binning.bins):
            if b.categories and str(value) in b.categories:
                return i
        return None
    value = float(value)
    for i, b in enumerate(binning.bins):
        if b.missing:
            continue
        # an edge value goes to the band the scorecard gives it: at least
        # the threshold when higher is better, at most it otherwise
        if binning.direction >= 0 and b.low <= value < b.high:
            return i
        if binning.direction < 0 and b.low < value <= b.high:
            return i
    return None


def woe_column(binning, values):
    """The weight of evidence of each value (0 for values no bin holds)."""
    woes = [b.woe for b in binning.bins]
    out = np.zeros(len(values))
    for row, value in enumerate(values):
        i = bin_index(binning, value)
        if i is not None:
            out[row] = woes[i]
    return out


def _is_numeric(values):
    for v in values:
        if _is_missing(v):
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float, np.number)):
            return False
    return True


def bin_table(columns, bad, max_bins=5, min_share=0.05):
    """Binning of every column of the table: {name: Binning}."""
    return {name: (bin_numeric(name, values, bad, max_bins, min_share)
                   if _is_numeric(values) else bin_categorical(name, values, bad))
            for name, values in columns.items()}


def scaling(pdo=20.0, base_score=600.0, base_odds=50.0):
    """(factor, offset) so that ``offset + factor * ln(good:bad odds)`` gives
    ``base_score`` at ``base_odds`` and ``pdo`` more points per doubling."""
    if pdo <= 0 or base_odds <= 0:
        raise ValueError("points to double the odds and base odds must be positive")
    factor = pdo / math.log(2)
    return factor, base_score - factor * math.log(base_odds)


def fit(columns, bad, min_iv=0.02, max_bins=5, min_share=0.05, pdo=20.0,
        base_score=600.0, base_odds=50.0, regularization=1.0):
    """Fit a points scorecard on the table; see the module docstring."""
    bad = np.asarray(bad, dtype=int)
    if not len(bad):
        raise ValueError("the history is empty")
    binnings = bin_table(columns, bad, max_bins, min_share)
    dropped = {}
    names = []
    for name in columns:
        if binnings[name].iv < min_iv:
            dropped[name] = "information value %.3f below %.3f" % (
                binnings[name].iv, min_iv)
        else:
            names.append(name)
    model = None
    while names:
        x = np.column_stack([woe_column(binnings[n], columns[n]) for n in names])
        model = LogisticRegression(C=regularization, max_iter=1000)
        model.fit(x, bad)
        coefs = model.coef_[0]
        # bad is the positive class and a high WoE is good: coefficients < 0
        wrong = int(np.argmax(coefs))
        if coefs[wrong] < 0:
            break
        dropped[names[wrong]] = "coefficient with the wrong sign"
        names.pop(wrong)
        model = None
    if model is None:
        raise ValueError("no indicator separates good from bad in this history")
    factor, offset = scaling(pdo, base_score, base_odds)
    coefficients = dict(zip(names, (float(c) for c in model.coef_[0])))
    intercept = float(model.intercept_[0])
    # ln(odds of bad) = intercept + sum(coef * woe); score = offset - factor * that
    points = {n: [-factor * coefficients[n] * b.woe for b in binnings[n].bins]
              for n in names}
    return FittedCard({n: binnings[n] for n in names}, coefficients, intercept,
                      factor, offset, offset - factor * intercept, points, dropped)


def score(card, columns):
    """Points of every row of ``columns`` on the fitted card."""
    n = len(next(iter(columns.values()))) if columns else 0
    total = np.full(n, card.base_points)
    for name, binning in card.binnings.items():
        pts = card.points[name]
        values = columns[name]
        for row in range(n):
            i = bin_index(binning, values[row])
            if i is not None:
                total[row] += pts[i]
    return total


def probability_of_bad(card, points):
    """Probability of bad implied by ``points`` on the fitted card."""
    log_odds_bad = (card.offset - np.asarray(points, dtype=float)) / card.factor
    return 1.0 / (1.0 + np.exp(-log_odds_bad))


def to_card(card):
    """The fitted card as weights (adding up to 100) and score bands.

    Each indicator's weight is its points range over the total range; each
    numeric bin becomes a band worth its points above the indicator's lowest
    bin, as a share of the weight. The 0 - 100 score is a linear rescaling of
    the points, so it ranks customers identically. Only numeric indicators
    fit the addon's scorecard. A value not available earns nothing there:
    where the fit gave such customers more than the lowest band, the card is
    stricter with them than the fit.
    """
    spans = {}
    for name, binning in card.binnings.items():
        if binning.kind != "numeric":
            raise ValueError("%s is categorical; the scorecard takes numbers" % name)
        pts = [p for b, p in zip(binning.bins, card.points[name]) if not b.missing]
        low = min(pts)
        spans[name] = (low, max(pts) - low)
    total = sum(span for _low, span in spans.values())
    if total <= 0:
        raise ValueError("the fitted card gives every customer the same score")
    result = []
    for name, binning in card.binnings.items():
        low, span = spans[name]
        weight = round(100.0 * span / total, 2)
        higher = binning.direction >= 0
        bands = []
        for b, p in zip(binning.bins, card.points[name]):
            if b.missing:
                continue
            percent = round(100.0 * (p - low) / span, 1) if span else 0.0
            percent = min(max(percent, 0.0), 100.0)
            edge = b.low if higher else b.high
            if percent <= 0 or math.isinf(edge):
                # the lowest band earns nothing: no band needed
                if percent > 0:
                    edge = -1e12 if higher else 1e12
                else:
                    continue
            bands.append(CardBand(float(edge), percent))
        result.append(CardIndicator(name, weight, higher, bands))
    # weights rounded to 2 decimals: put the rounding rest on the largest
    rest = round(100.0 - sum(i.weight for i in result), 2)
    if result and rest:
        big = max(range(len(result)), key=lambda k: result[k].weight)
        result[big] = result[big]._replace(weight=round(result[big].weight + rest, 2))
    return result


def card_score(indicators, row):
    """Score (0 - 100) of one row ({name: value}) on ``to_card`` indicators,
    with the addon's band rule (the first band the value reaches)."""
    total = 0.0
    for ind in indicators:
        value = row.get(ind.name)
        if _is_missing(value):
            continue
        bands = sorted(ind.bands, key=lambda b: b.threshold,
                       reverse=ind.higher_is_better)
        for band in bands:
            hit = value >= band.threshold if ind.higher_is_better else \
                value <= band.threshold
            if hit:
                total += ind.weight * band.percent / 100.0
                break
    return total


def grade_cutoffs(scores, shares):
    """Minimum score of each grade so that the grades hold about ``shares`` of
    the customers (``shares`` from the worst grade to the best; the worst
    grade starts at minus infinity). Cut-offs are distinct scores, so two
    grades never share a score; a grade may stay empty when scores are
    tied."""
    scores = np.sort(np.asarray(scores, dtype=float))
    if not len(scores):
        raise ValueError("no scores to cut")
    total = float(sum(shares))
    if total <= 0:
        raise ValueError("grade shares must be positive")
    cutoffs = [-math.inf]
    cumulated = 0.0
    for share in shares[:-1]:
        cumulated += share / total
        idx = min(int(round(cumulated * len(scores))), len(scores) - 1)
        cut = float(scores[idx])
        cutoffs.append(max(cut, cutoffs[-1]))
    # keep them strictly rising: a tie pushes the next grade up by a hair
    for i in range(1, len(cutoffs)):
        if cutoffs[i] <= cutoffs[i - 1]:
            cutoffs[i] = cutoffs[i - 1] + 0.01
    return cutoffs


def grade_of(score_value, cutoffs):
    """Index of the grade (0 = worst) for a score, given ``grade_cutoffs``."""
    grade = 0
    for i, cut in enumerate(cutoffs):
        if score_value >= cut - 1e-9:
            grade = i
    return grade
