"""The credit gate: which changes must pass the credit check, and the terms rule.

Every event that raises a customer's exposure passes the same decision
(``decision.decide``). This module says when a change of a confirmed order
is such an event, how much of an order line counts in the exposure, and
when a document's payment terms are longer than the customer's approved
terms.
"""
from collections import namedtuple

# amounts closer than half a cent are equal (as in decision.py)
EPSILON = 0.005


def uninvoiced_share(price_total, quantity, quantity_invoiced):
    """What one confirmed order line adds to the exposure: its total (taxes
    included) for the quantity not invoiced yet. A line without quantity
    (a down payment line) adds nothing; over-invoiced lines add nothing.

    The SQL of ``res.partner._credit_uninvoiced_order_amounts`` restates
    this rule for many orders at once (parity tested).
    """
    if quantity <= 0:
        return 0.0
    return price_total * max(quantity - quantity_invoiced, 0.0) / quantity


def raises_exposure(before, after):
    """A change raises the exposure when the amount it adds grows by more
    than rounding noise; lowering or keeping an amount never does."""
    return after - before > EPSILON


# ----------------------------------------------------------------------
# Terms: a payment term is described by its installments (due date,
# amount) for one document date and amount; two terms compare by their
# last due date and their amount-weighted average due date.
# ----------------------------------------------------------------------
TermProfile = namedtuple("TermProfile", [
    "last_days",     # days from the document date to the last due date
    "average_days",  # amount-weighted average days to the due dates
])

IMMEDIATE = TermProfile(0, 0.0)


def term_profile(document_date, installments):
    """TermProfile of ``installments`` [(due date, amount)] for a document
    dated ``document_date`` (dates as ``datetime.date``). Without
    installments everything is due on the document date."""
    if not installments:
        return IMMEDIATE
    days = [((due - document_date).days, abs(amount))
            for due, amount in installments]
    last = max(day for day, _amount in days)
    weight = sum(amount for _day, amount in days)
    if weight <= 0:
        return TermProfile(last, float(last))
    return TermProfile(
        last, sum(day * amount for day, amount in days) / weight)


def terms_exceed(document, approved):
    """Whether the document's terms (TermProfile) give the customer longer
    to pay than the approved terms: a later last due date, or a later
    amount-weighted average due date (more credit for longer). Terms within
    both are accepted, whatever their shape."""
    if document.last_days > approved.last_days:
        return True
    return document.average_days - approved.average_days > 1e-6


# ----------------------------------------------------------------------
# Deliveries: the order's own rules (terms, grade, single-order cap, review
# date, agreement, customers without a limit) were decided when it was
# confirmed; what can still stop its delivery is the customer's state since:
# a credit hold, exposure over the limit (own or group), overdue beyond the
# grace days.
# ----------------------------------------------------------------------
def delivery_snapshot(snap):
    """The snapshot of a delivery (a decision.Snapshot): it adds no amount
    of its own, and only hold, limit and overdue decide."""
    return snap._replace(order_amount=0.0, credit_term=False,
                         review_overdue=False, order_cap=0.0,
                         terms_exceeded=False, agreement_missing=False)


def delivery_rules(rules):
    """The rules of a delivery (a decision.Rules): customers without a
    limit and overdue reviews do not stop it."""
    return rules._replace(no_limit_action="allow",
                          review_overdue_blocks=False)
