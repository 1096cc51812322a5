"""Credit term arithmetic: "2/10 net 30" style cash-discount terms."""
from collections import namedtuple
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

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


def due_date(invoice_date, terms):
    """Date on which the full amount is due."""
    return invoice_date + timedelta(days=terms.net_days)


def discount_deadline(invoice_date, terms):
    """Last date on which the cash discount may be taken, or None."""
    if not terms.discount_percent:
        return None
    return invoice_date + timedelta(days=terms.discount_days)


def _money(value, digits):
    quant = Decimal(1).scaleb(-digits)
    return Decimal(str(value)).quantize(quant, rounding=ROUND_HALF_UP)


def discount_amount(amount, terms, payment_date=None, invoice_date=None,
                    digits=2):
    """Cash discount earned on ``amount``.

    Without dates, the discount the customer may take; with both dates, zero
    when payment comes after the discount deadline.
    """
    if payment_date is not None and invoice_date is not None:
        deadline = discount_deadline(invoice_date, terms)
        if deadline is None or payment_date > deadline:
            return _money(0, digits)
    return _money(Decimal(str(amount)) * Decimal(str(terms.discount_percent))
                  / Decimal(100), digits)


def overdue_interest(amount, terms, days_late, days_in_year=365, digits=2):
    """Simple interest on an overdue ``amount`` for ``days_late`` days."""
    if days_late <= 0 or not terms.overdue_interest_rate:
        return _money(0, digits)
    return _money(Decimal(str(amount))
                  * Decimal(str(terms.overdue_interest_rate)) / Decimal(100)
                  * Decimal(days_late) / Decimal(days_in_year), digits)


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
