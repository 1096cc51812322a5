"""Credit risk warnings: indicators and thresholds to signals.

``evaluate(facts, thresholds)`` returns the signals that hold for one
customer; the model keeps one open warning per signal type, updates it
while the signal holds and closes it when the signal is gone.
"""
from collections import namedtuple
from datetime import timedelta

SEVERITIES = ("info", "low", "medium", "high", "critical")


def severity_rank(severity):
    """Order of a severity (info = 0 ... critical = 4)."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else -1


def at_least(severity, minimum):
    return severity_rank(severity) >= severity_rank(minimum)


Signal = namedtuple("Signal", "warning_type severity value threshold")
"""``value`` is the measured number, ``threshold`` the policy's limit."""

Thresholds = namedtuple("Thresholds", [
    "usage_warning_percent",      # limit usage >= this: 'limit_usage'
    "overdue_amount",             # overdue above this (0: off)
    "overdue_days_levels",        # ascending day levels -> low/medium/high
    "temp_limit_days",            # temporary limit ending within N days
    "dso_worsening_days",         # DSO up by N days over the window (0: off)
    "late_rising_days",           # avg days late up by N over window (0: off)
    "overdue_growth_count",       # overdue grew N snapshots in a row (0: off)
])

DEFAULT_THRESHOLDS = Thresholds(80.0, 0.0, (30, 60, 90), 14, 15.0, 5.0, 3)

Snapshot = namedtuple("Snapshot", "date overdue dso avg_days_late")

Facts = namedtuple("Facts", [
    "today",
    "limit",                # approved credit limit (0: none)
    "exposure",             # exposure in company currency
    "overdue_amount",
    "overdue_days",
    "review_date",          # next review date or None
    "temp_limit_end",       # end of a temporary limit or None
    "grade_score",          # min_score of the current grade or None
    "best_grade_score",     # highest min_score held in the window or None
    "history",              # Snapshots of the trend window, oldest first
    "broken_promise",       # (promise date, promised, paid) or None
    "secured",              # credit secured by collateral, on top of the
                            # limit (as the order check counts it)
])


def make_facts(**values):
    """Facts with neutral defaults for what is not given."""
    base = dict(today=None, limit=0.0, exposure=0.0, overdue_amount=0.0,
                overdue_days=0, review_date=None, temp_limit_end=None,
                grade_score=None, best_grade_score=None, history=(),
                broken_promise=None, secured=0.0)
    base.update(values)
    return Facts(**base)


def limit_usage(limit, exposure, secured=0.0):
    """Exposure as a share (%) of the credit the customer may use: its limit
    plus the credit secured by collateral (the order check's allowance
    without the tolerance); None without a limit."""
    if not limit or limit <= 0:
        return None
    return round(exposure / (limit + max(secured or 0.0, 0.0)) * 100.0, 2)


def overdue_days_severity(days, levels):
    """low / medium / high for the highest day level reached, else None."""
    reached = [level for level in sorted(levels) if days >= level]
    if not reached:
        return None
    names = ("low", "medium", "high", "critical")
    return names[min(len(reached), len(names)) - 1]


def grows_in_a_row(values, count):
    """True when each of the last ``count`` steps of ``values`` went up."""
    if count <= 0 or len(values) < count + 1:
        return False
    tail = values[-(count + 1):]
    return all(later > earlier for earlier, later in zip(tail, tail[1:]))


def _check_usage(facts, th):
    usage = limit_usage(facts.limit, facts.exposure, facts.secured)
    if usage is None:
        return []
    if usage >= 100.0:
        return [Signal("limit_exceeded", "high", usage, 100.0)]
    if th.usage_warning_percent and usage >= th.usage_warning_percent:
        return [Signal("limit_usage", "medium", usage, th.usage_warning_percent)]
    return []


def _check_overdue(facts, th):
    signals = []
    if th.overdue_amount > 0 and facts.overdue_amount > th.overdue_amount:
        signals.append(Signal("overdue_amount", "medium", facts.overdue_amount,
                              th.overdue_amount))
    severity = overdue_days_severity(facts.overdue_days, th.overdue_days_levels)
    if severity and facts.overdue_amount > 0:
        level = max(level for level in th.overdue_days_levels
                    if facts.overdue_days >= level)
        signals.append(Signal("overdue_days", severity, facts.overdue_days, level))
    return signals


def _check_dates(facts, th):
    signals = []
    if facts.temp_limit_end and facts.today and th.temp_limit_days >= 0:
        left = (facts.temp_limit_end - facts.today).days
        if 0 <= left <= th.temp_limit_days:
            signals.append(Signal("temp_limit_expiring", "low", left,
                                  th.temp_limit_days))
    if facts.review_date and facts.today and facts.review_date < facts.today:
        late = (facts.today - facts.review_date).days
        signals.append(Signal("review_overdue", "medium" if late > 30 else "low",
                              late, 0))
    return signals


def _check_grade(facts, th):
    if facts.grade_score is None or facts.best_grade_score is None:
        return []
    if facts.grade_score < facts.best_grade_score:
        return [Signal("grade_downgraded", "medium", facts.grade_score,
                       facts.best_grade_score)]
    return []


def _check_trends(facts, th):
    signals = []
    history = list(facts.history)
    if len(history) >= 2:
        first, last = history[0], history[-1]
        if th.dso_worsening_days > 0 \
                and last.dso - first.dso >= th.dso_worsening_days:
            signals.append(Signal("dso_worsening", "medium",
                                  round(last.dso - first.dso, 1),
                                  th.dso_worsening_days))
        if th.late_rising_days > 0 and \
                last.avg_days_late - first.avg_days_late >= th.late_rising_days:
            signals.append(Signal("days_late_rising", "low",
                                  round(last.avg_days_late - first.avg_days_late, 1),
                                  th.late_rising_days))
    if grows_in_a_row([snap.overdue for snap in history], th.overdue_growth_count):
        signals.append(Signal("overdue_growing", "medium", history[-1].overdue,
                              th.overdue_growth_count))
    return signals


def _check_promise(facts, th):
    if not facts.broken_promise or facts.overdue_amount <= 0:
        return []
    _date, promised, paid = facts.broken_promise
    return [Signal("broken_promise", "high", promised - paid, promised)]


CHECKS = (_check_usage, _check_overdue, _check_dates, _check_grade,
          _check_trends, _check_promise)

WARNING_TYPES = (
    "limit_usage", "limit_exceeded", "overdue_amount", "overdue_days",
    "temp_limit_expiring", "review_overdue", "grade_downgraded",
    "dso_worsening", "days_late_rising", "overdue_growing", "broken_promise",
)


def evaluate(facts, thresholds=DEFAULT_THRESHOLDS):
    """All signals holding for one customer, at most one per type."""
    signals = []
    for check in CHECKS:
        signals.extend(check(facts, thresholds))
    return signals


def worst_severity(signals):
    """The highest severity among ``signals`` (None when empty)."""
    if not signals:
        return None
    return max((s.severity for s in signals), key=severity_rank)


def limit_reduction(limit, percent, rounding=100.0):
    """Reduced limit proposed as a penalty, rounded down to ``rounding``."""
    reduced = limit * (1.0 - percent / 100.0)
    if rounding:
        reduced = (reduced // rounding) * rounding
    return max(reduced, 0.0)


def limit_increase(limit, percent, rounding=100.0):
    """Increased limit proposed as a reward, rounded to ``rounding``."""
    raised = limit * (1.0 + percent / 100.0)
    if rounding:
        raised = round(raised / rounding) * rounding
    return raised


def paid_on_time(late_payments, open_overdue_days, first_invoice_date, today,
                 months, grace_days=0):
    """Reward rule: a customer for ``months`` with no late payment in that
    period and nothing overdue beyond the grace days today."""
    if first_invoice_date is None:
        return False
    if first_invoice_date > today - timedelta(days=int(months * 30.5)):
        return False
    return late_payments == 0 and open_overdue_days <= grace_days
