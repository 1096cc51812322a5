"""Risk warning rules: thresholds, levels, trends, penalties and rewards (pure)."""
from datetime import date, timedelta

from odoo.addons.credit_management.domain import risk_warnings as rw

TODAY = date(2026, 11, 29)
TH = rw.DEFAULT_THRESHOLDS


def types(facts, thresholds=TH):
    return {s.warning_type: s for s in rw.evaluate(facts, thresholds)}


def test_nothing_for_a_quiet_customer():
    assert rw.evaluate(rw.make_facts(today=TODAY, limit=1000.0, exposure=100.0)) == []


def test_limit_usage_and_exceeded_are_exclusive():
    assert set(types(rw.make_facts(today=TODAY, limit=1000.0, exposure=800.0))) == {
        "limit_usage"}
    signals = types(rw.make_facts(today=TODAY, limit=1000.0, exposure=1000.0))
    assert set(signals) == {"limit_exceeded"}
    assert signals["limit_exceeded"].severity == "high"
    assert rw.limit_usage(0.0, 50.0) is None


def test_collateral_adds_to_the_credit_a_customer_may_use():
    """Secured credit counts as the order check counts it: 1,700 of exposure
    on a 1,000 limit with 1,000 insured is 85 % (a usage warning), not an
    exceeded limit."""
    facts = rw.make_facts(today=TODAY, limit=1000.0, exposure=1700.0,
                          secured=1000.0)
    signals = types(facts)
    assert set(signals) == {"limit_usage"}
    assert signals["limit_usage"].value == 85.0
    assert set(types(facts._replace(secured=0.0))) == {"limit_exceeded"}
    assert rw.limit_usage(0.0, 50.0, secured=100.0) is None


def test_overdue_day_levels_give_rising_severity():
    assert rw.overdue_days_severity(29, (30, 60, 90)) is None
    assert rw.overdue_days_severity(30, (30, 60, 90)) == "low"
    assert rw.overdue_days_severity(61, (30, 60, 90)) == "medium"
    assert rw.overdue_days_severity(400, (30, 60, 90)) == "high"
    signal = types(rw.make_facts(today=TODAY, overdue_amount=5.0, overdue_days=75))
    assert signal["overdue_days"].threshold == 60


def test_overdue_amount_off_at_zero():
    facts = rw.make_facts(today=TODAY, overdue_amount=5000.0)
    assert "overdue_amount" not in types(facts)
    assert "overdue_amount" in types(facts, TH._replace(overdue_amount=1000.0))


def test_dates_temp_limit_and_review():
    facts = rw.make_facts(today=TODAY, temp_limit_end=TODAY + timedelta(days=10),
                          review_date=TODAY - timedelta(days=40))
    signals = types(facts)
    assert signals["temp_limit_expiring"].value == 10
    assert signals["review_overdue"].severity == "medium"
    facts = facts._replace(temp_limit_end=TODAY + timedelta(days=20),
                           review_date=TODAY)
    assert types(facts) == {}


def test_grade_downgrade():
    facts = rw.make_facts(today=TODAY, grade_score=50.0, best_grade_score=70.0)
    assert "grade_downgraded" in types(facts)
    assert types(facts._replace(grade_score=70.0)) == {}


def test_trends():
    history = [rw.Snapshot(TODAY - timedelta(days=n), o, d, late)
               for n, o, d, late in ((30, 1, 30, 2), (20, 2, 35, 3), (10, 3, 40, 5),
                                     (0, 4, 45, 7))]
    signals = types(rw.make_facts(today=TODAY, history=history))
    assert set(signals) == {"dso_worsening", "days_late_rising", "overdue_growing"}
    assert signals["dso_worsening"].value == 15
    assert rw.grows_in_a_row([1, 2, 3], 3) is False
    assert rw.grows_in_a_row([1, 2, 3, 4], 3) is True
    assert rw.grows_in_a_row([1, 2, 2, 4], 3) is False


def test_broken_promise_only_while_overdue():
    facts = rw.make_facts(today=TODAY, broken_promise=(TODAY, 500.0, 100.0),
                          overdue_amount=900.0)
    assert types(facts)["broken_promise"].value == 400.0
    assert "broken_promise" not in types(facts._replace(overdue_amount=0.0))


def test_severity_order_and_worst():
    assert rw.at_least("critical", "high") and not rw.at_least("medium", "high")
    signals = [rw.Signal("a", "low", 0, 0), rw.Signal("b", "high", 0, 0)]
    assert rw.worst_severity(signals) == "high"
    assert rw.worst_severity([]) is None


def test_limit_proposals_round():
    assert rw.limit_reduction(10000.0, 30.0) == 7000.0
    assert rw.limit_reduction(1050.0, 10.0) == 900.0
    assert rw.limit_increase(10000.0, 20.0) == 12000.0


def test_paid_on_time_rule():
    first = TODAY - timedelta(days=250)
    assert rw.paid_on_time(0, 0, first, TODAY, 6)
    assert not rw.paid_on_time(1, 0, first, TODAY, 6)
    assert not rw.paid_on_time(0, 5, first, TODAY, 6)
    assert not rw.paid_on_time(0, 0, TODAY - timedelta(days=100), TODAY, 6)
    assert not rw.paid_on_time(0, 0, None, TODAY, 6)
