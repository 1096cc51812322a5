"""The gate's pure rules: uninvoiced share, raises, and the terms comparison."""
from datetime import date, timedelta

from odoo.addons.credit_management.domain import decision as d
from odoo.addons.credit_management.domain import gate as g

DAY = date(2026, 3, 31)


def due(days, amount):
    return (DAY + timedelta(days=days), amount)


def test_uninvoiced_share_of_a_line():
    assert g.uninvoiced_share(1000.0, 10.0, 0.0) == 1000.0
    assert g.uninvoiced_share(1000.0, 10.0, 4.0) == 600.0
    assert g.uninvoiced_share(1000.0, 10.0, 12.0) == 0.0  # over-invoiced
    assert g.uninvoiced_share(300.0, 0.0, 0.0) == 0.0  # down payment line


def test_raises_exposure_ignores_rounding_and_lowering():
    assert g.raises_exposure(600.0, 600.01)
    assert not g.raises_exposure(600.0, 600.004)
    assert not g.raises_exposure(600.0, 100.0)


def test_profile_of_a_single_due_date():
    assert g.term_profile(DAY, [due(30, 100.0)]) == g.TermProfile(30, 30.0)
    assert g.term_profile(DAY, []) == g.IMMEDIATE


def test_profile_weights_installments_by_amount():
    profile = g.term_profile(DAY, [due(0, 30.0), due(30, 70.0)])
    assert profile.last_days == 30
    assert abs(profile.average_days - 21.0) < 1e-9


def test_longer_net_days_exceed():
    net15 = g.term_profile(DAY, [due(15, 100.0)])
    net30 = g.term_profile(DAY, [due(30, 100.0)])
    assert g.terms_exceed(net30, net15)
    assert not g.terms_exceed(net15, net30)
    assert not g.terms_exceed(net15, net15)


def test_a_later_last_installment_exceeds_even_with_a_shorter_average():
    approved = g.term_profile(DAY, [due(15, 100.0)])
    split = g.term_profile(DAY, [due(0, 50.0), due(20, 50.0)])  # average 10
    assert g.terms_exceed(split, approved)


def test_a_later_average_exceeds_even_within_the_last_date():
    approved = g.term_profile(DAY, [due(0, 30.0), due(30, 70.0)])  # average 21
    assert g.terms_exceed(g.term_profile(DAY, [due(25, 100.0)]), approved)
    assert not g.terms_exceed(g.term_profile(DAY, [due(20, 100.0)]), approved)


def test_terms_reason_in_the_decision():
    rules = d.Rules(tolerance_percent=0.0, grace_days=0, no_limit_action="allow",
                    review_overdue_blocks=False)
    res = d.decide(d.snapshot(limit=1000, order_amount=100, terms_exceeded=True), rules)
    assert res.reason_codes == (d.TERMS,)
    snap = d.snapshot(limit=1000, order_amount=2000, terms_exceeded=True)
    assert d.encode_codes(d.decide(snap, rules).reason_codes) == "limit_exceeded,terms"


def test_a_delivery_is_stopped_by_hold_limit_and_overdue_only():
    """A delivery adds nothing of its own; the order's own rules (terms,
    grade, cap, review, agreement, no limit) were decided at confirmation."""
    rules = d.Rules(tolerance_percent=0.0, grace_days=5,
                    no_limit_action="hold", review_overdue_blocks=True)
    order_rules_only = d.snapshot(
        limit=0.0, exposure=500.0, order_amount=900.0, has_grade=True,
        grade_allows_credit=False, credit_term=True, review_overdue=True,
        order_cap=100.0, terms_exceeded=True, agreement_missing=True)
    assert not d.decide(order_rules_only, rules).passed
    assert d.decide(g.delivery_snapshot(order_rules_only),
                    g.delivery_rules(rules)).passed
    cases = [
        (d.snapshot(limit=1000.0, exposure=1200.0), d.LIMIT_EXCEEDED),
        (d.snapshot(limit=1000.0, on_hold=True), d.ON_HOLD),
        (d.snapshot(limit=1000.0, overdue_amount=50.0, overdue_days=6),
         d.OVERDUE),
        (d.snapshot(group_limit=1000.0, group_exposure=1500.0),
         d.GROUP_LIMIT),
    ]
    for snap, code in cases:
        result = d.decide(g.delivery_snapshot(snap), g.delivery_rules(rules))
        assert result.reason_codes == (code,)
