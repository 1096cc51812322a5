"""The credit limit a grade proposes."""
from decimal import ROUND_FLOOR, Decimal

LIMIT_RULES = (
    ("cap", "The grade's cap"),
    ("equity", "Share of equity"),
    ("sales", "Share of expected annual sales"),
    ("lower", "Lower of equity and sales shares"),
)


def _round_down(amount, step):
    if not step:
        return float(amount)
    steps = (Decimal(str(amount)) / Decimal(str(step))).to_integral_value(
        rounding=ROUND_FLOOR)
    return float(steps * Decimal(str(step)))


def proposed_limit(rule, cap, equity_percent=0.0, sales_percent=0.0,
                   equity=None, annual_sales=None, allow_credit=True,
                   rounding=1000.0):
    """Return (amount, basis).

    ``basis`` names what the amount comes from: 'no_credit' (grade without
    credit), 'cap', 'equity', 'sales', or 'no_basis' (the rule needs a figure
    that is missing: proposes 0). The amount never exceeds ``cap`` when the
    cap is positive, and is rounded down to ``rounding``.
    """
    if not allow_credit:
        return 0.0, "no_credit"
    candidates = []
    if rule in ("equity", "lower") and equity is not None and equity > 0:
        candidates.append((equity * equity_percent / 100.0, "equity"))
    if rule in ("sales", "lower") and annual_sales:
        candidates.append((annual_sales * sales_percent / 100.0, "sales"))
    if rule == "cap":
        if not cap:
            return 0.0, "no_basis"
        candidates.append((cap, "cap"))
    if not candidates:
        return 0.0, "no_basis"
    amount, basis = min(candidates)
    if cap and amount > cap:
        amount, basis = cap, "cap"
    return _round_down(max(amount, 0.0), rounding), basis
