"""Payment behaviour of a customer, from aggregated invoice figures."""
from collections import namedtuple

PaymentBehaviour = namedtuple(
    "PaymentBehaviour",
    "invoices_paid paid_on_time avg_days_late weighted_days_late "
    "max_days_late first_invoice_date",
)

NO_HISTORY = PaymentBehaviour(0, 0, None, None, None, None)


def on_time_share(behaviour):
    """Share (%) of paid invoices paid by their due date; None without any."""
    if not behaviour.invoices_paid:
        return None
    return 100.0 * behaviour.paid_on_time / behaviour.invoices_paid


def months_between(start, end):
    """Whole months from ``start`` to ``end`` (0 when end is before start)."""
    if start is None or end is None or end < start:
        return 0 if start is not None else None
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def relationship_months(behaviour, today):
    """Months since the first invoice; None for a customer never invoiced."""
    return months_between(behaviour.first_invoice_date, today)
