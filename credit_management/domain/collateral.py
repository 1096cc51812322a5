"""Collateral and credit insurance: how much credit a security adds.

A security (bank guarantee, standby letter of credit, cash deposit,
parent-company guarantee, mortgage or pledge) secures its amount. Credit
insurance secures the insured limit times the insurer's coverage share, the
share counted never above the policy's cap (the customer keeps the
uninsured part of a loss). Only securities in force on the day count.
"""
from collections import namedtuple

INSURANCE = "insurance"
TYPES = ("insurance", "bank_guarantee", "standby_lc", "cash_deposit",
         "parent_guarantee", "mortgage")

Security = namedtuple("Security", [
    "kind",              # one of TYPES
    "amount",            # amount (insured limit for insurance), company currency
    "coverage_percent",  # insurance: the insurer's share of a loss
    "valid_from",        # date or None
    "valid_to",          # date or None (open-ended)
])


def in_force(security, day):
    """Whether ``security`` secures credit on ``day``."""
    if security.valid_from and security.valid_from > day:
        return False
    if security.valid_to and security.valid_to < day:
        return False
    return True


def secured_value(security, coverage_cap_percent=100.0):
    """The credit one security adds: its amount, or for insurance the
    insured limit x coverage (coverage counted up to the cap)."""
    amount = max(security.amount or 0.0, 0.0)
    if security.kind != INSURANCE:
        return amount
    cap = 100.0 if coverage_cap_percent is None else coverage_cap_percent
    coverage = min(max(security.coverage_percent or 0.0, 0.0), cap, 100.0)
    return amount * coverage / 100.0


def secured_amount(securities, day, coverage_cap_percent=100.0):
    """The credit all securities in force on ``day`` add together."""
    return sum(secured_value(s, coverage_cap_percent)
               for s in securities if in_force(s, day))


def days_to_expiry(security, day):
    """Days from ``day`` to the last day of ``security`` (None: open)."""
    if not security.valid_to:
        return None
    return (security.valid_to - day).days


def expiring(valid_to, day, notice_days):
    """Whether a security or agreement valid until ``valid_to`` ends within
    ``notice_days`` of ``day`` (and has not ended yet)."""
    if not valid_to or notice_days is None or notice_days < 0:
        return False
    left = (valid_to - day).days
    return 0 <= left <= notice_days
