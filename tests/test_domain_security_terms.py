"""Secured credit, the agreement rule, cash discount and overdue interest
(pure domain functions)."""
from datetime import date, timedelta

from odoo.addons.credit_management.domain import collateral as c
from odoo.addons.credit_management.domain import decision as d
from odoo.addons.credit_management.domain import terms as t

RULES = d.Rules(tolerance_percent=0.0, grace_days=0, no_limit_action="allow",
                review_overdue_blocks=False)
DAY = date(2026, 6, 30)


def test_secured_credit_raises_the_limit_rule():
    snap = d.snapshot(limit=10000, exposure=8000, order_amount=6000)
    assert d.decide(snap, RULES).reason_codes == (d.LIMIT_EXCEEDED,)
    res = d.decide(snap._replace(secured=4000), RULES)
    assert res.passed and res.excess == 0
    res = d.decide(snap._replace(secured=3000), RULES)
    assert res.reason_codes == (d.LIMIT_EXCEEDED,) and res.excess == 1000
    # the tolerance applies to the own limit only
    res = d.decide(snap._replace(secured=3000),
                   RULES._replace(tolerance_percent=10))
    assert res.passed and res.allowed_exposure == 14000


def test_agreement_missing_fails_with_its_code_last():
    snap = d.snapshot(limit=1000, exposure=0, order_amount=2000,
                      agreement_missing=True)
    assert d.decide(snap, RULES).reason_codes == (d.LIMIT_EXCEEDED, d.AGREEMENT)
    assert d.encode_codes([d.AGREEMENT, d.ON_HOLD]) == "on_hold,agreement"


def test_insurance_counts_coverage_up_to_the_cap():
    insurance = c.Security("insurance", 10000, 95, None, None)
    assert c.secured_value(insurance, 90) == 9000
    assert c.secured_value(insurance, 100) == 9500
    guarantee = c.Security("bank_guarantee", 5000, 0, None, None)
    assert c.secured_value(guarantee, 90) == 5000


def test_only_securities_in_force_count():
    items = [c.Security("cash_deposit", 1000, 0, DAY - timedelta(days=1), DAY),
             c.Security("cash_deposit", 2000, 0, DAY + timedelta(days=1), None),
             c.Security("cash_deposit", 4000, 0, None, DAY - timedelta(days=1))]
    assert c.secured_amount(items, DAY) == 1000


def test_expiring_within_notice():
    assert c.expiring(DAY + timedelta(days=30), DAY, 30)
    assert not c.expiring(DAY + timedelta(days=31), DAY, 30)
    assert not c.expiring(DAY - timedelta(days=1), DAY, 30)
    assert not c.expiring(None, DAY, 30)


def test_discount_earned_on_or_before_the_deadline_for_the_rest():
    deadline = t.discount_deadline(date(2026, 6, 1), 10)
    assert deadline == date(2026, 6, 11)
    assert t.discount_amount(1100, 2) == 22.0
    assert t.discount_earned(date(2026, 6, 10), deadline, 22.0, 22.0)
    assert t.discount_earned(date(2026, 6, 11), deadline, 22.0, 22.0)
    assert not t.discount_earned(date(2026, 6, 12), deadline, 22.0, 22.0)
    assert not t.discount_earned(date(2026, 6, 10), deadline, 522.0, 22.0)
    assert not t.discount_earned(date(2026, 6, 10), deadline, 22.0, 0.0)


def test_discount_split_by_tax_share():
    net, taxes = t.split_discount(22.0, 1100.0, [100.0])
    assert (net, taxes) == (20.0, [2.0])
    net, taxes = t.split_discount(22.0, 0.0, [100.0])
    assert (net, taxes) == (22.0, [0.0])


def test_interest_period_never_twice():
    due = date(2026, 5, 1)
    assert t.interest_period(due, None, date(2026, 6, 15)) == (
        date(2026, 5, 2), date(2026, 6, 15), 45)
    assert t.interest_period(due, date(2026, 6, 15), date(2026, 6, 15)) is None
    assert t.interest_period(due, date(2026, 6, 15), date(2026, 7, 15))[2] == 30
    assert t.interest_period(due, None, date(2026, 5, 10), grace_days=10) is None
    assert t.interest_period(due, None, date(2026, 5, 12), grace_days=10)[2] == 11
    assert t.interest_period(due, None, due) is None


def test_interest_amount():
    assert t.interest_amount(10000, 18, 45) == 221.92
    assert t.interest_amount(10000, 0, 45) == 0.0
    assert t.interest_amount(-5, 18, 45) == 0.0
