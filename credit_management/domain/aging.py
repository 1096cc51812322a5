"""Receivable aging: bucket boundaries, KPIs and snapshot thinning.

The buckets are those of Odoo 11's Aged Partner Balance with a period
length of 30 days, counted in days past the due date as of a date:

======================  =====================
bucket                  days past due
======================  =====================
``not_due``             0 or less (due today is not due)
``1_30``                1 .. 30
``31_60``               31 .. 60
``61_90``               61 .. 90
``91_120``              91 .. 120
``over_120``            121 and more
======================  =====================
"""
from collections import namedtuple
from datetime import timedelta

Bucket = namedtuple("Bucket", "key low high")
"""A bucket holds items ``low <= days past due <= high`` (None: open end)."""

BUCKET_KEYS = ("not_due", "1_30", "31_60", "61_90", "91_120", "over_120")


def bucket_bounds(period_length=30, periods=4):
    """The aging buckets, not due first, the open-ended oldest last."""
    if period_length <= 0 or periods <= 0:
        raise ValueError("period_length and periods must be positive")
    buckets = [Bucket("not_due", None, 0)]
    for index in range(periods):
        low = index * period_length + 1
        high = (index + 1) * period_length
        buckets.append(Bucket("%d_%d" % (low, high), low, high))
    buckets.append(Bucket("over_%d" % (periods * period_length),
                          periods * period_length + 1, None))
    return tuple(buckets)


DEFAULT_BUCKETS = bucket_bounds()


def dso(receivable, sales, window_days):
    """Days sales outstanding: receivable / credit sales of the window x days.

    Without sales in the window, an open receivable is at least as old as
    the window: the window length is returned (0 when nothing is open).
    """
    if receivable <= 0:
        return 0.0
    if sales <= 0:
        return float(window_days)
    return round(receivable / sales * window_days, 2)


def overdue_ratio(overdue, total):
    """Share (%) of the open receivable that is past due."""
    if total <= 0 or overdue <= 0:
        return 0.0
    return round(min(overdue / total, 1.0) * 100.0, 2)


def bad_debt_ratio(written_off, sales):
    """Written-off amount as a share (%) of the credit sales of a period."""
    if sales <= 0:
        return 0.0
    return round(written_off / sales * 100.0, 2)


def snapshot_dates_to_keep(dates, today, keep_daily_days=60,
                           keep_weekly_days=365):
    """Thinning of old snapshots: which of ``dates`` to keep.

    Daily snapshots are kept for ``keep_daily_days``; older ones, one per
    ISO week (the latest of the week) up to ``keep_weekly_days``; older
    still, one per month (the latest of the month). Returns a set.
    """
    keep = set()
    latest_week = {}
    latest_month = {}
    daily_limit = today - timedelta(days=keep_daily_days)
    weekly_limit = today - timedelta(days=keep_weekly_days)
    for day in dates:
        if day >= daily_limit:
            keep.add(day)
        elif day >= weekly_limit:
            key = day.isocalendar()[:2]
            if latest_week.get(key) is None or latest_week[key] < day:
                latest_week[key] = day
        else:
            key = (day.year, day.month)
            if latest_month.get(key) is None or latest_month[key] < day:
                latest_month[key] = day
    keep.update(latest_week.values())
    keep.update(latest_month.values())
    return keep
