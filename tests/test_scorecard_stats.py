"""Back-test statistics and scorecard fitting on hand-checked numbers (pure domain)."""
import math

import pytest

from odoo.addons.credit_management.domain import scorecard_fit as fit
from odoo.addons.credit_management.domain import scorecard_stats as stats


def test_bad_rate_by_grade_flags_inversions():
    """Bad rate per grade, worst first; a better grade doing worse is flagged."""
    grades = ["D"] * 4 + ["C"] * 5 + ["B"] * 4 + ["A"] * 2
    bad = [1, 1, 1, 0] + [1, 0, 0, 0, 0] + [1, 1, 0, 0] + [0, 0]
    result = stats.bad_rate_by_grade(grades, bad, ["D", "C", "B", "A", "AA"])
    assert [(s.key, s.customers, s.bad) for s in result] == [
        ("D", 4, 3), ("C", 5, 1), ("B", 4, 2), ("A", 2, 0), ("AA", 0, 0)]
    assert result[0].bad_rate == 0.75 and result[1].bad_rate == 0.2
    assert [s.inversion for s in result] == [False, False, True, False, False]
    assert not stats.is_monotonic(result)
    fixed = stats.bad_rate_by_grade(["D", "C", "B"], [1, 0, 0], ["D", "C", "B"])
    assert stats.is_monotonic(fixed)
    with pytest.raises(ValueError):
        stats.bad_rate_by_grade(["Z"], [1], ["D"])


def test_auc_gini_ks_on_known_ranking():
    """AUC counts good-above-bad pairs; KS is the widest gap of the two distributions."""
    scores = [10, 20, 30, 40, 50, 60]
    bad = [1, 1, 0, 1, 0, 0]
    sep = stats.separation(scores, bad)
    # 9 good/bad pairs, the good scores higher in 8 of them
    assert sep.auc == pytest.approx(8.0 / 9)
    assert sep.gini == pytest.approx(2 * 8.0 / 9 - 1)
    # at score 20 two thirds of the bad and none of the good lie at or below
    assert sep.ks == pytest.approx(2.0 / 3)
    assert stats.separation([1, 2, 3, 4], [0, 0, 1, 1]).auc == 0.0
    with pytest.raises(ValueError):
        stats.separation([1, 2], [0, 0])
    points = stats.roc_points(scores, bad)
    assert points[0] == (0.0, 0.0) and points[-1] == (1.0, 1.0)


def test_gains_curve_for_the_ks_chart():
    """Lowest-scoring share of the population against the shares of bad and
    good customers it holds; the largest gap is the KS."""
    scores = [10, 20, 30, 40, 50, 60]
    bad = [1, 1, 0, 1, 0, 0]
    curve = stats.gains_curve(scores, bad, steps=6)
    assert curve[0] == (0.0, 0.0, 0.0) and curve[-1] == (100.0, 100.0, 100.0)
    # the two lowest scores: two of the three bad, none of the good
    assert curve[2] == pytest.approx((100 * 2 / 6.0, 100 * 2 / 3.0, 0.0))
    gap = max(b - g for _p, b, g in curve) / 100.0
    assert gap == pytest.approx(stats.separation(scores, bad).ks)


def test_population_stability_index():
    """PSI is 0 for the same distribution and follows its formula otherwise."""
    assert stats.psi_from_counts([10, 20, 30], [20, 40, 60]) == pytest.approx(0.0)
    expected = (0.5 - 0.2) * math.log(0.5 / 0.2) + (0.5 - 0.8) * math.log(0.5 / 0.8)
    assert stats.psi_from_counts([20, 80], [50, 50]) == pytest.approx(expected)
    assert stats.psi(range(100), range(100)) == pytest.approx(0.0)
    assert stats.psi(range(100), range(50, 150)) > 0.25
    with pytest.raises(ValueError):
        stats.psi_from_counts([1, 2], [1])


def test_woe_and_information_value():
    """WoE = ln(share of goods / share of bads); IV sums (goods - bads) * WoE."""
    woes, iv = stats.woe_iv([80, 20], [20, 80])
    assert woes[0] == pytest.approx(math.log(4)) and woes[1] == pytest.approx(-math.log(4))
    assert iv == pytest.approx(2 * 0.6 * math.log(4))
    _woes, flat = stats.woe_iv([50, 50], [10, 10])
    assert flat == pytest.approx(0.0)


def _history():
    """200 customers: the more days late, the more often bad; every customer
    has the same size, which therefore says nothing."""
    days, size, bad = [], [], []
    for i in range(200):
        d = i % 40
        days.append(float(d))
        size.append(5.0)
        bad.append(1 if (d >= 30 and i % 3) or (d >= 15 and i % 5 == 0) or i % 37 == 0
                   else 0)
    return {"days_late": days, "size": size}, bad


def test_monotonic_binning_direction_and_missing_bin():
    """Bins of a numeric indicator have a bad rate moving one way only."""
    table, bad = _history()
    values = table["days_late"][:-10] + [None] * 10
    binning = fit.bin_numeric("days_late", values, bad)
    assert binning.direction == -1  # more days late, more bad
    numeric = [b for b in binning.bins if not b.missing]
    rates = [b.bads / float(b.goods + b.bads) for b in numeric]
    assert rates == sorted(rates) and len(numeric) >= 2
    assert numeric[0].low == -math.inf and numeric[-1].high == math.inf
    assert binning.bins[-1].missing and binning.bins[-1].goods + binning.bins[-1].bads == 10
    assert all(b.goods + b.bads >= 10 for b in binning.bins)  # 5 % of 200
    assert binning.iv > 0.3
    # a value on an edge goes where the scorecard band (at most the threshold) puts it
    edge = numeric[0].high
    assert fit.bin_index(binning, edge) == 0
    assert fit.bin_index(binning, None) == len(binning.bins) - 1


def test_fit_drops_noise_and_scales_points():
    """The logistic card keeps the telling indicator, drops noise, doubles odds per PDO."""
    table, bad = _history()
    card = fit.fit(table, bad, pdo=20, base_score=600, base_odds=50)
    assert list(card.binnings) == ["days_late"]
    assert "size" in card.dropped
    assert card.coefficients["days_late"] < 0
    factor, offset = fit.scaling(20, 600, 50)
    assert offset + factor * math.log(50) == pytest.approx(600)
    assert offset + factor * math.log(100) == pytest.approx(620)
    points = fit.score(card, table)
    # the implied probability of bad halves... odds double every 20 points
    p1, p2 = fit.probability_of_bad(card, [600, 620])
    assert (1 - p2) / p2 == pytest.approx(2 * (1 - p1) / p1)
    assert stats.separation(points, bad).auc > 0.8


def test_card_bands_rank_like_the_points_and_grades_cut():
    """The 0-100 card (weights add up to 100) ranks customers as the points do."""
    table, bad = _history()
    table["late_again"] = [v * 2 + 1 for v in table["days_late"]]
    table["paid_share"] = [100.0 - v * 2 for v in table["days_late"]]
    card = fit.fit(table, bad)
    indicators = fit.to_card(card)
    assert sum(i.weight for i in indicators) == pytest.approx(100.0)
    assert all(0 < b.percent <= 100 for i in indicators for b in i.bands)
    by_name = {i.name: i for i in indicators}
    if "paid_share" in by_name:
        assert by_name["paid_share"].higher_is_better
    rows = [{n: table[n][k] for n in table} for k in range(200)]
    card_scores = [fit.card_score(indicators, r) for r in rows]
    assert all(0 <= s <= 100 for s in card_scores)
    assert stats.separation(card_scores, bad).auc == pytest.approx(
        stats.separation(fit.score(card, table), bad).auc, abs=1e-6)
    cutoffs = fit.grade_cutoffs(card_scores, [1, 1, 1, 1])
    assert cutoffs[0] == -math.inf and cutoffs == sorted(set(cutoffs))
    grades = [fit.grade_of(s, cutoffs) for s in card_scores]
    assert stats.is_monotonic(stats.bad_rate_by_grade(grades, bad, [0, 1, 2, 3]))


def test_fit_refuses_history_without_both_outcomes():
    """No bad customer, nothing to learn: a clear error."""
    with pytest.raises(ValueError):
        fit.fit({"x": [1.0, 2.0, 3.0]}, [0, 0, 0])
    with pytest.raises(ValueError):
        fit.fit({"x": [1.0, 1.0, 1.0, 1.0]}, [0, 1, 0, 1])
