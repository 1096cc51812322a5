"""Credit terms: "2/10 net 30" style cash-discount terms, validated and
labelled (the Odoo payment term each template keeps computes the dates)."""
from collections import namedtuple

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
