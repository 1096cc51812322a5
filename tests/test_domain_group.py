"""The group limit in the credit decision (pure domain functions)."""
from odoo.addons.credit_management.domain import decision as d

RULES = d.Rules(tolerance_percent=0.0, grace_days=0, no_limit_action="allow",
                review_overdue_blocks=False)


def test_snapshot_without_group_numbers_has_no_group_limit():
    snap = d.Snapshot(10000, 0, 5000, 0, 0, False, False, True, True, False,
                      0, False)
    assert snap.group_limit == 0 and snap.group_exposure == 0
    res = d.decide(snap, RULES)
    assert res.passed and res.group_excess == 0


def test_group_limit_exceeded_within_own_limit():
    snap = d.snapshot(limit=10000, exposure=2000, order_amount=5000,
                      group_limit=15000, group_exposure=12000)
    res = d.decide(snap, RULES)
    assert res.reason_codes == (d.GROUP_LIMIT,)
    assert res.group_exposure_after == 17000
    assert res.group_excess == 2000
    assert res.excess == 0


def test_group_tolerance():
    snap = d.snapshot(limit=10000, order_amount=5000, group_limit=10000,
                      group_exposure=5500)
    assert d.decide(snap, RULES._replace(tolerance_percent=5)).passed
    assert not d.decide(snap, RULES).passed


def test_both_limits_and_display_order():
    snap = d.snapshot(limit=1000, exposure=0, order_amount=5000, on_hold=True,
                      overdue_amount=10, overdue_days=5,
                      group_limit=2000, group_exposure=0)
    res = d.decide(snap, RULES)
    assert d.encode_codes(res.reason_codes) == \
        "on_hold,limit_exceeded,group_limit,overdue"


def test_release_follows_the_larger_excess():
    snap = d.snapshot(limit=10000, exposure=9000, order_amount=2000,
                      group_limit=20000, group_exposure=25000)
    res = d.decide(snap, RULES)
    assert res.excess == 1000 and res.group_excess == 7000
    assert d.release_excess(res) == 7000
    assert d.required_authority(d.release_excess(res), 0, 5000, 30) == d.MANAGER
    assert d.required_authority(res.excess, 0, 5000, 30) == d.CONTROLLER
