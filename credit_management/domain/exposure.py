"""Credit exposure of one customer, from plain aggregated numbers."""
from collections import namedtuple

ExposureData = namedtuple(
    "ExposureData",
    "receivable draft_invoices uninvoiced_orders overdue_amount oldest_due_date",
)

EMPTY_EXPOSURE = ExposureData(0.0, 0.0, 0.0, 0.0, None)


def total_exposure(data, include_draft_invoices=True,
                   include_uninvoiced_orders=True):
    """Exposure before a new order: open receivable plus what the policy adds."""
    total = data.receivable
    if include_draft_invoices:
        total += data.draft_invoices
    if include_uninvoiced_orders:
        total += data.uninvoiced_orders
    return total


def overdue_days(oldest_due_date, today):
    """Days since the oldest unpaid due date (0 when nothing is overdue)."""
    if oldest_due_date is None or oldest_due_date >= today:
        return 0
    return (today - oldest_due_date).days


def available_credit(limit, exposure):
    """What is left of the limit (negative when beyond it)."""
    return limit - exposure
