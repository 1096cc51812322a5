"""The credit decision on one order or invoice, from plain numbers.

The model layer gathers the snapshot (limit, exposure, overdue, flags) and the
policy thresholds; ``decide`` returns reason codes, never sentences. The
sentences with the numbers are built at the model edge, translated.
"""
from collections import namedtuple

LIMIT_EXCEEDED = "limit_exceeded"
OVERDUE = "overdue"
ON_HOLD = "on_hold"
GRADE_NO_CREDIT = "grade_no_credit"
REVIEW_OVERDUE = "review_overdue"
NO_LIMIT = "no_limit"
ORDER_CAP = "order_cap"
TERMS = "terms"
AGREEMENT = "agreement"
GROUP_LIMIT = "group_limit"

# display order of the reasons
REASON_CODES = (ON_HOLD, LIMIT_EXCEEDED, GROUP_LIMIT, OVERDUE, GRADE_NO_CREDIT,
                TERMS, NO_LIMIT, ORDER_CAP, REVIEW_OVERDUE, AGREEMENT)

CONTROLLER = "controller"
MANAGER = "manager"

# amounts closer than half a cent are equal
EPSILON = 0.005

Snapshot = namedtuple("Snapshot", [
    "limit",               # approved credit limit (0 = none)
    "exposure",            # exposure before this order, company currency
    "order_amount",        # this order, company currency
    "overdue_amount",      # residual of receivable items past due
    "overdue_days",        # today minus the oldest unpaid due date
    "on_hold",             # customer put on credit hold
    "has_grade",           # customer has a credit grade
    "grade_allows_credit",  # that grade allows credit (ignored without grade)
    "credit_term",         # the order's payment term gives time to pay
    "review_overdue",      # the credit review date is past
    "order_cap",           # single-order cap (0 = none)
    "terms_exceeded",      # the document's payment terms are longer than the
                           # customer's approved terms (gate.terms_exceed)
    "secured",             # credit secured by active collateral (guarantees,
                           # insured limit x coverage), on top of the limit
    "agreement_missing",   # the grade requires an active credit agreement
                           # and the customer has none
    "group_limit",         # limit of the customer's credit group (0 = none)
    "group_exposure",      # exposure of all the group's members before
                           # this document, company currency
])
# the fields added last have defaults (callers that do not know them)
Snapshot.__new__.__defaults__ = (0.0, False, 0.0, 0.0)

Rules = namedtuple("Rules", [
    "tolerance_percent",     # exposure may exceed the limit by this share
    "grace_days",            # overdue up to this many days is accepted
    "no_limit_action",       # 'allow' or 'hold' customers without a limit
    "review_overdue_blocks",  # an overdue review fails the check
])

Decision = namedtuple("Decision", [
    "passed", "reason_codes", "exposure_after", "excess", "allowed_exposure",
    "group_exposure_after", "group_excess",
])
Decision.__new__.__defaults__ = (0.0, 0.0)


def snapshot(limit=0.0, exposure=0.0, order_amount=0.0, overdue_amount=0.0,
             overdue_days=0, on_hold=False, has_grade=False,
             grade_allows_credit=True, credit_term=True, review_overdue=False,
             order_cap=0.0, terms_exceeded=False, secured=0.0,
             agreement_missing=False, group_limit=0.0, group_exposure=0.0):
    """A Snapshot with defaults, for callers and tests."""
    return Snapshot(limit, exposure, order_amount, overdue_amount, overdue_days,
                    on_hold, has_grade, grade_allows_credit, credit_term,
                    review_overdue, order_cap, terms_exceeded, secured,
                    agreement_missing, group_limit, group_exposure)


def has_approved_limit(snap):
    """A customer has an approved limit when a limit is set or a grade given."""
    return snap.limit > EPSILON or snap.has_grade


def limit_applies(snap):
    """The limit rule applies to customers who buy on credit with a limit.

    A customer whose grade allows no credit buys on prepayment: the grade
    rule decides for them, not a zero limit.
    """
    if snap.limit > EPSILON:
        return True
    return snap.has_grade and snap.grade_allows_credit


def allowed_exposure(limit, tolerance_percent, secured=0.0):
    """The highest exposure the limit accepts, tolerance included; credit
    secured by collateral adds to it (the tolerance applies to the customer's
    own limit only)."""
    return limit * (1.0 + (tolerance_percent or 0.0) / 100.0) + (secured or 0.0)


def decide(snap, rules):
    """Decide on one order: Decision(passed, reason codes, ...)."""
    codes = []
    after = snap.exposure + snap.order_amount
    secured = max(snap.secured or 0.0, 0.0)
    allowed = allowed_exposure(snap.limit, rules.tolerance_percent, secured)
    excess = 0.0
    if snap.on_hold:
        codes.append(ON_HOLD)
    if limit_applies(snap):
        excess = max(after - snap.limit - secured, 0.0)
        if after - allowed > EPSILON:
            codes.append(LIMIT_EXCEEDED)
    group_after, group_excess = group_rule(snap, rules, codes)
    if snap.overdue_amount > EPSILON and snap.overdue_days > rules.grace_days:
        codes.append(OVERDUE)
    if snap.has_grade and not snap.grade_allows_credit and snap.credit_term:
        codes.append(GRADE_NO_CREDIT)
    if snap.terms_exceeded:
        codes.append(TERMS)
    if rules.no_limit_action == "hold" and not has_approved_limit(snap):
        codes.append(NO_LIMIT)
    if snap.order_cap > EPSILON and snap.order_amount - snap.order_cap > EPSILON:
        codes.append(ORDER_CAP)
    if rules.review_overdue_blocks and snap.review_overdue:
        codes.append(REVIEW_OVERDUE)
    if snap.agreement_missing:
        codes.append(AGREEMENT)
    return Decision(not codes, tuple(codes), after, excess, allowed,
                    group_after, group_excess)


def group_rule(snap, rules, codes):
    """The group limit: the exposure of all members of the customer's credit
    group plus this document against the group limit (same tolerance as a
    customer's limit). Appends GROUP_LIMIT to ``codes`` when it fails;
    returns (group exposure after, excess over the group limit). A group
    limit of 0 is no group limit."""
    if snap.group_limit <= EPSILON:
        return 0.0, 0.0
    after = snap.group_exposure + snap.order_amount
    allowed = allowed_exposure(snap.group_limit, rules.tolerance_percent)
    if after - allowed > EPSILON:
        codes.append(GROUP_LIMIT)
    return after, max(after - snap.group_limit, 0.0)


def release_excess(result):
    """The excess that decides who may release: the larger of the excess
    over the customer's own limit and over its group's limit."""
    return max(result.excess, result.group_excess)


def required_authority(excess, overdue_days, controller_excess,
                       controller_overdue_days):
    """Who may release a held order: 'controller' within their authority
    (excess over the limit and overdue days), 'manager' above it."""
    if excess - controller_excess > EPSILON:
        return MANAGER
    if overdue_days > controller_overdue_days:
        return MANAGER
    return CONTROLLER


def encode_codes(codes):
    """Reason codes as stored: comma-separated, display order."""
    return ",".join(c for c in REASON_CODES if c in codes)


def decode_codes(text):
    return tuple(c for c in (text or "").split(",") if c)
