"""Customer flags (over the limit, overdue) from the decision's own rules.

The customer list, its filters and the reports answer "is this customer
over the limit / overdue now?" with the order check's rules applied to the
current exposure, without a new order: one definition (``decision``), no
second formula here. SQL restating these rules for speed is tested for
parity with this function (tests/test_rule_parity.py).
"""
from . import decision


def customer_flags(snap, rules):
    """(over limit, overdue) of one customer now, from a decision Snapshot
    (its order amount is ignored) and the policy's Rules."""
    codes = decision.decide(snap._replace(order_amount=0.0), rules).reason_codes
    return decision.LIMIT_EXCEEDED in codes, decision.OVERDUE in codes
