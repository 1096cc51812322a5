"""The order credit decision (pure domain function): each rule alone and combined."""
from odoo.addons.credit_management.domain import decision as d

RULES = d.Rules(tolerance_percent=0.0, grace_days=0, no_limit_action="allow",
                review_overdue_blocks=False)


def rules(**kw):
    return RULES._replace(**kw)


def test_within_limit_passes():
    res = d.decide(d.snapshot(limit=10000, exposure=6000, order_amount=4000), RULES)
    assert res.passed and res.reason_codes == ()
    assert res.exposure_after == 10000 and res.excess == 0


def test_limit_exceeded_reports_excess():
    res = d.decide(d.snapshot(limit=10000, exposure=6000, order_amount=4500), RULES)
    assert not res.passed
    assert res.reason_codes == (d.LIMIT_EXCEEDED,)
    assert res.excess == 500


def test_tolerance_allows_small_excess_only():
    snap = d.snapshot(limit=10000, exposure=6000, order_amount=4500)
    assert d.decide(snap, rules(tolerance_percent=5)).passed
    snap = snap._replace(order_amount=4501)
    assert d.decide(snap, rules(tolerance_percent=5)).reason_codes == (d.LIMIT_EXCEEDED,)


def test_rounding_noise_does_not_fail():
    snap = d.snapshot(limit=0.3, exposure=0.1, order_amount=0.2)
    assert d.decide(snap, RULES).passed


def test_overdue_beyond_grace_days():
    snap = d.snapshot(limit=10000, overdue_amount=100, overdue_days=10)
    assert d.decide(snap, RULES).reason_codes == (d.OVERDUE,)
    assert d.decide(snap, rules(grace_days=10)).passed
    assert d.decide(snap, rules(grace_days=9)).reason_codes == (d.OVERDUE,)


def test_overdue_days_without_amount_pass():
    snap = d.snapshot(limit=10000, overdue_amount=0, overdue_days=40)
    assert d.decide(snap, RULES).passed


def test_customer_on_hold():
    snap = d.snapshot(limit=10000, on_hold=True)
    assert d.decide(snap, RULES).reason_codes == (d.ON_HOLD,)


def test_grade_without_credit_and_credit_term():
    snap = d.snapshot(has_grade=True, grade_allows_credit=False, credit_term=True,
                      order_amount=500)
    assert d.decide(snap, RULES).reason_codes == (d.GRADE_NO_CREDIT,)
    # prepayment term: the grade rule passes, and no limit rule applies
    assert d.decide(snap._replace(credit_term=False), RULES).passed


def test_grade_allowing_credit_with_zero_limit_checks_limit():
    snap = d.snapshot(has_grade=True, grade_allows_credit=True, order_amount=1)
    assert d.decide(snap, RULES).reason_codes == (d.LIMIT_EXCEEDED,)


def test_no_limit_allowed_or_held_by_policy():
    snap = d.snapshot(limit=0, exposure=5000, order_amount=5000)
    assert d.decide(snap, RULES).passed
    assert d.decide(snap, rules(no_limit_action="hold")).reason_codes == (d.NO_LIMIT,)
    graded = snap._replace(has_grade=True, grade_allows_credit=False, credit_term=False)
    assert d.decide(graded, rules(no_limit_action="hold")).passed


def test_review_overdue_only_when_policy_blocks():
    snap = d.snapshot(limit=10000, review_overdue=True)
    assert d.decide(snap, RULES).passed
    assert d.decide(snap, rules(review_overdue_blocks=True)).reason_codes == (
        d.REVIEW_OVERDUE,)


def test_single_order_cap():
    snap = d.snapshot(limit=10000, order_amount=3000, order_cap=2500)
    assert d.decide(snap, RULES).reason_codes == (d.ORDER_CAP,)
    assert d.decide(snap._replace(order_cap=0), RULES).passed
    assert d.decide(snap._replace(order_cap=3000), RULES).passed


def test_all_rules_combined_in_display_order():
    snap = d.snapshot(limit=1000, exposure=900, order_amount=600, overdue_amount=300,
                      overdue_days=45, on_hold=True, has_grade=True,
                      grade_allows_credit=False, credit_term=True,
                      review_overdue=True, order_cap=500)
    res = d.decide(snap, rules(review_overdue_blocks=True, no_limit_action="hold"))
    assert res.reason_codes == (d.ON_HOLD, d.LIMIT_EXCEEDED, d.OVERDUE,
                                d.GRADE_NO_CREDIT, d.ORDER_CAP, d.REVIEW_OVERDUE)
    assert res.excess == 500 and res.exposure_after == 1500


def test_required_authority():
    assert d.required_authority(10000, 30, 10000, 30) == d.CONTROLLER
    assert d.required_authority(10000.01, 0, 10000, 30) == d.MANAGER
    assert d.required_authority(0, 31, 10000, 30) == d.MANAGER


def test_codes_round_trip():
    text = d.encode_codes((d.OVERDUE, d.ON_HOLD))
    assert text == "on_hold,overdue"
    assert d.decode_codes(text) == (d.ON_HOLD, d.OVERDUE)
    assert d.decode_codes(False) == ()
