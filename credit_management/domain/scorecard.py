"""Scorecard: indicator values from plain facts, points from score bands.

An indicator has a weight (the scorecard's weights add up to 100) and score
bands. Each band says: a value at least ``threshold`` (or at most, for
indicators where lower is better) earns ``percent`` % of the weight. A value
that is not available earns nothing and is shown as such.
"""
from collections import namedtuple

from . import financial, payment

CATEGORIES = (
    ("basics", "Company basics"),
    ("record", "Credit record"),
    ("profitability", "Profitability"),
    ("operation", "Asset operation"),
    ("solvency", "Solvency"),
    ("payment", "Payment behaviour"),
)

# code: (category, label, unit)
INDICATORS = {
    "years_in_business": ("basics", "Years in business", "years"),
    "registered_capital": ("basics", "Registered capital", "amount"),
    "tax_compliance": ("basics", "Tax compliance (1 = compliant)", "flag"),
    "investigation_verified": ("basics", "Investigation verified (1 = yes)", "flag"),
    "litigation_count": ("record", "Open litigations", "count"),
    "relationship_months": ("record", "Relationship length", "months"),
    "net_margin": ("profitability", "Net margin", "%"),
    "roa": ("profitability", "Return on assets", "%"),
    "roe": ("profitability", "Return on equity", "%"),
    "receivable_turnover": ("operation", "Receivable turnover", "times"),
    "inventory_turnover": ("operation", "Inventory turnover", "times"),
    "current_ratio": ("solvency", "Current ratio", "ratio"),
    "quick_ratio": ("solvency", "Quick ratio", "ratio"),
    "debt_ratio": ("solvency", "Debt ratio", "%"),
    "on_time_share": ("payment", "Invoices paid on time", "%"),
    "avg_days_late": ("payment", "Average days late", "days"),
    "weighted_days_late": ("payment", "Weighted days late", "days"),
    "max_days_late": ("payment", "Longest delay", "days"),
    "overdue_days": ("payment", "Current overdue days", "days"),
}

Band = namedtuple("Band", "threshold percent")
Indicator = namedtuple("Indicator", "key code weight higher_is_better bands")
Line = namedtuple("Line", "key code weight value available percent points")

ScoreFacts = namedtuple(
    "ScoreFacts",
    "today founding_date registered_capital tax_status investigation_verified "
    "litigation_count statement payment overdue_days",
)
"""``statement`` is a financial.StatementFigures or None; ``payment`` a
payment.PaymentBehaviour; ``tax_status`` 'compliant', 'irregular' or
'unknown'."""


def _years_between(start, end):
    if start is None or end is None:
        return None
    return max((end - start).days, 0) / 365.25


def indicator_values(facts):
    """Return {indicator code: value or None (not available)}."""
    values = dict.fromkeys(INDICATORS)
    values["years_in_business"] = _years_between(facts.founding_date, facts.today)
    values["registered_capital"] = facts.registered_capital or None
    values["tax_compliance"] = {"compliant": 1.0, "irregular": 0.0}.get(
        facts.tax_status)
    values["investigation_verified"] = 1.0 if facts.investigation_verified else 0.0
    values["litigation_count"] = facts.litigation_count
    values["relationship_months"] = payment.relationship_months(
        facts.payment, facts.today)
    if facts.statement is not None:
        values.update(financial.ratios(facts.statement))
    behaviour = facts.payment
    values["on_time_share"] = payment.on_time_share(behaviour)
    if behaviour.invoices_paid:
        values["avg_days_late"] = behaviour.avg_days_late
        values["weighted_days_late"] = behaviour.weighted_days_late
        values["max_days_late"] = behaviour.max_days_late
    if behaviour.first_invoice_date is not None:
        values["overdue_days"] = facts.overdue_days or 0
    return values


def band_percent(value, bands, higher_is_better=True):
    """Share (%) of the weight that ``value`` earns; 0 when no band fits."""
    if value is None:
        return 0.0
    if higher_is_better:
        for band in sorted(bands, key=lambda b: b.threshold, reverse=True):
            if value >= band.threshold:
                return band.percent
    else:
        for band in sorted(bands, key=lambda b: b.threshold):
            if value <= band.threshold:
                return band.percent
    return 0.0


def score_line(indicator, value):
    """The scored line of one indicator."""
    available = value is not None
    percent = band_percent(value, indicator.bands, indicator.higher_is_better)
    points = round(indicator.weight * percent / 100.0, 2) if available else 0.0
    return Line(indicator.key, indicator.code, indicator.weight, value,
                available, percent if available else 0.0, points)


def total_weight(indicators):
    return round(sum(i.weight for i in indicators), 6)


def weights_valid(indicators):
    """True when the weights add up to 100."""
    return abs(total_weight(indicators) - 100.0) < 1e-6


def evaluate(indicators, facts):
    """Score ``facts`` on ``indicators``: (lines, total score out of 100)."""
    values = indicator_values(facts)
    lines = [score_line(ind, values.get(ind.code)) for ind in indicators]
    return lines, round(sum(line.points for line in lines), 2)
