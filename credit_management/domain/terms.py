"""Credit terms: "2/10 net 30" style cash-discount terms, validated and
labelled (the Odoo payment term each template keeps computes the dates)."""
from collections import namedtuple
from datetime import timedelta

CreditTerms = namedtuple(
    "CreditTerms",
    "discount_percent discount_days net_days overdue_interest_rate",
)

TERM_ERRORS = {
    "discount_percent": "The cash discount must be at least 0 % and below 100 %.",
    "overdue_interest_rate": "The overdue interest rate must be at least 0 % "
                             "and below 100 %.",
    "net_days": "The net days cannot be negative.",
    "discount_days": "The discount days must be between 0 and the net days.",
}


def validate_terms(terms):
    """Return the list of error keys (see TERM_ERRORS) for ``terms``."""
    errors = []
    if not 0 <= terms.discount_percent < 100:
        errors.append("discount_percent")
    if not 0 <= terms.overdue_interest_rate < 100:
        errors.append("overdue_interest_rate")
    if terms.net_days < 0:
        errors.append("net_days")
    if terms.discount_days < 0 or (
            terms.net_days >= 0 and terms.discount_days > terms.net_days):
        errors.append("discount_days")
    return errors


def _fmt_number(value):
    value = float(value)
    return ("%d" % value) if value == int(value) else ("%g" % value)


def terms_label(terms):
    """Short commercial label: "2/10 net 30", or "Net 30" without discount."""
    if terms.discount_percent:
        return "%s/%d net %d" % (_fmt_number(terms.discount_percent),
                                 terms.discount_days, terms.net_days)
    if terms.net_days == 0:
        return "Immediate payment"
    return "Net %d" % terms.net_days


# ----------------------------------------------------------------------
# Cash discount (现金折扣) and overdue interest (逾期利率) in the books
# ----------------------------------------------------------------------
def discount_deadline(invoice_date, discount_days):
    """Last day a payment earns the cash discount (None: no discount)."""
    if invoice_date is None or discount_days is None or discount_days < 0:
        return None
    return invoice_date + timedelta(days=discount_days)


def discount_amount(base, discount_percent, rounding=0.01):
    """Cash discount on ``base`` (the invoice total, credit notes applied
    deducted), rounded to the currency."""
    if not discount_percent or base <= 0:
        return 0.0
    return _round(base * discount_percent / 100.0, rounding)


def discount_earned(payment_date, deadline, residual_after, discount,
                    rounding=0.01):
    """Whether a payment dated ``payment_date`` earns the discount: it is
    dated on or before the deadline and leaves exactly the discount open
    (the payments up to the deadline add up to the discounted total).
    A smaller payment leaves more open (no discount yet); after the
    deadline the full amount is due."""
    if not discount or deadline is None or payment_date is None:
        return False
    if payment_date > deadline:
        return False
    return abs(residual_after - discount) < rounding / 2.0 + 1e-9


def split_discount(discount, total, tax_amounts, rounding=0.01):
    """Split a discount into (net part, [tax part per tax amount]): each tax
    corrected in proportion to its share of the invoice total."""
    if not total:
        return discount, [0.0 for _amount in tax_amounts]
    taxes = [_round(discount * amount / total, rounding)
             for amount in tax_amounts]
    return _round(discount - sum(taxes), rounding), taxes


def interest_period(due_date, charged_until, period_end, grace_days=0):
    """(first day, last day, days) of overdue interest still to charge on
    an item due ``due_date``, up to ``period_end``: from the day after the
    due date or after the last day already charged, whichever is later.
    No interest while the item is within its grace days (once past them,
    interest runs from the due date). None when nothing is to charge."""
    if due_date is None or period_end <= due_date:
        return None
    if (period_end - due_date).days <= (grace_days or 0):
        return None
    start = due_date + timedelta(days=1)
    if charged_until is not None and charged_until >= start:
        start = charged_until + timedelta(days=1)
    if start > period_end:
        return None
    return start, period_end, (period_end - start).days + 1


def interest_amount(residual, rate_per_year, days, rounding=0.01):
    """Simple interest: residual x yearly rate x days / 365."""
    if residual <= 0 or not rate_per_year or days <= 0:
        return 0.0
    return _round(residual * rate_per_year / 100.0 * days / 365.0, rounding)


def _round(value, rounding):
    if not rounding:
        return value
    return round(round(value / rounding) * rounding, 10)
