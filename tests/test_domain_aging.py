"""Aging buckets, KPIs and snapshot thinning (pure domain functions)."""
from datetime import date, timedelta

import pytest

from odoo.addons.credit_management.domain import aging


def test_default_buckets_are_odoo_aged_balance_periods():
    keys = [bucket.key for bucket in aging.DEFAULT_BUCKETS]
    assert keys == list(aging.BUCKET_KEYS)
    assert aging.DEFAULT_BUCKETS[1] == aging.Bucket("1_30", 1, 30)
    assert aging.DEFAULT_BUCKETS[-1] == aging.Bucket("over_120", 121, None)


def holding(days, buckets=aging.DEFAULT_BUCKETS):
    """Keys of the buckets whose bounds hold ``days`` (the SQL's condition)."""
    return [b.key for b in buckets
            if (b.low is None or days >= b.low)
            and (b.high is None or days <= b.high)]


@pytest.mark.parametrize("days,key", [
    (-5, "not_due"), (0, "not_due"), (1, "1_30"), (30, "1_30"), (31, "31_60"),
    (60, "31_60"), (61, "61_90"), (90, "61_90"), (91, "91_120"),
    (120, "91_120"), (121, "over_120"), (4000, "over_120")])
def test_bucket_edges(days, key):
    """Every day past due falls in exactly one bucket, the expected one."""
    assert holding(days) == [key]


def test_bucket_bounds_reject_nonsense():
    with pytest.raises(ValueError):
        aging.bucket_bounds(period_length=0)


def test_other_period_lengths():
    buckets = aging.bucket_bounds(period_length=15, periods=2)
    assert [b.key for b in buckets] == ["not_due", "1_15", "16_30", "over_30"]
    assert holding(16, buckets) == ["16_30"]


def test_dso():
    assert aging.dso(3000.0, 9000.0, 90) == 30.0
    assert aging.dso(0.0, 9000.0, 90) == 0.0
    assert aging.dso(-10.0, 0.0, 90) == 0.0
    assert aging.dso(500.0, 0.0, 90) == 90.0


def test_overdue_and_bad_debt_ratios():
    assert aging.overdue_ratio(250.0, 1000.0) == 25.0
    assert aging.overdue_ratio(-5.0, 1000.0) == 0.0
    assert aging.overdue_ratio(1200.0, 1000.0) == 100.0
    assert aging.overdue_ratio(10.0, 0.0) == 0.0
    assert aging.bad_debt_ratio(50.0, 10000.0) == 0.5
    assert aging.bad_debt_ratio(50.0, 0.0) == 0.0


def test_thinning_keeps_daily_then_weekly_then_monthly():
    today = date(2026, 11, 29)
    dates = [today - timedelta(days=n) for n in range(0, 800)]
    keep = aging.snapshot_dates_to_keep(dates, today, keep_daily_days=60,
                                        keep_weekly_days=365)
    recent = [d for d in dates if d >= today - timedelta(days=60)]
    assert set(recent) <= keep
    weekly = [d for d in keep
              if today - timedelta(days=365) <= d < today - timedelta(days=60)]
    weeks = {d.isocalendar()[:2] for d in weekly}
    assert len(weekly) == len(weeks)  # one per ISO week (305 days: 44-45 weeks)
    assert 43 <= len(weekly) <= 46
    assert all(d.isoweekday() == 7 for d in sorted(weekly)[1:-1])  # latest of week
    old = [d for d in keep if d < today - timedelta(days=365)]
    months = {(d.year, d.month) for d in old}
    assert len(old) == len(months)
    assert len(keep) < 200


def test_thinning_is_stable():
    today = date(2026, 11, 29)
    dates = [today - timedelta(days=n) for n in range(0, 500)]
    keep = aging.snapshot_dates_to_keep(dates, today)
    assert aging.snapshot_dates_to_keep(sorted(keep), today) == keep
