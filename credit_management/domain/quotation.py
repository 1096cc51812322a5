"""What confirming a quotation would do, and what would make it fit.

The verdict itself is the credit check's (``decision.decide``); this module
only reads its result: the credit left, and the payments that would clear
the reasons a payment can clear (the limit and the overdue rule).
"""
from collections import namedtuple

from . import decision as decision_domain
from .exposure import available_credit

# reasons a payment by the customer clears
PAYABLE_CODES = (decision_domain.LIMIT_EXCEEDED, decision_domain.OVERDUE)

Outlook = namedtuple("Outlook", [
    "fits",             # the check would pass
    "available",        # credit left before this order (limit - exposure)
    "uses",             # what this order adds to the exposure
    "excess",           # exposure after the order beyond the limit
    "overdue_payment",  # the overdue amount to pay (0: not a reason)
    "prepayment",       # prepayment needed besides (0: none)
    "payable",          # those payments alone would make it fit
])


def outlook(limit, exposure, order_amount, overdue_amount, excess,
            reason_codes, tolerance_percent):
    """The quotation's outlook from the numbers and reason codes of a check
    (``decision.decide``) that was not stored.

    Paying the overdue amount clears the overdue reason and lowers the
    exposure by as much; a prepayment lowers it further down to what the
    limit and its tolerance accept.
    """
    codes = tuple(reason_codes)
    overdue_payment = (overdue_amount
                       if decision_domain.OVERDUE in codes else 0.0)
    prepayment = 0.0
    if decision_domain.LIMIT_EXCEEDED in codes:
        allowed = decision_domain.allowed_exposure(limit, tolerance_percent)
        prepayment = max(
            exposure - overdue_payment + order_amount - allowed, 0.0)
        if prepayment < decision_domain.EPSILON:
            prepayment = 0.0
    return Outlook(
        fits=not codes,
        available=available_credit(limit, exposure),
        uses=order_amount,
        excess=excess,
        overdue_payment=overdue_payment,
        prepayment=prepayment,
        payable=bool(codes) and all(c in PAYABLE_CODES for c in codes))
