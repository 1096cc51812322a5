"""Financial statement ratios, from plain figures."""
from collections import namedtuple

StatementFigures = namedtuple(
    "StatementFigures",
    "revenue gross_profit net_profit total_assets current_assets inventory "
    "receivables cash current_liabilities total_liabilities equity "
    "operating_cash_flow",
)

RATIOS = (
    "net_margin", "roa", "roe", "current_ratio", "quick_ratio", "debt_ratio",
    "receivable_turnover", "inventory_turnover",
)


def _div(numerator, denominator, factor=1.0):
    """numerator / denominator * factor, or None when it means nothing."""
    if numerator is None or not denominator or denominator < 0:
        return None
    return numerator / denominator * factor


def cost_of_sales(figures):
    """Revenue less gross profit."""
    if figures.revenue is None or figures.gross_profit is None:
        return None
    return figures.revenue - figures.gross_profit


def ratios(figures):
    """Return {ratio name: value or None}; percentages are in %.

    A ratio whose denominator is zero or negative (e.g. ROE with negative
    equity) is None: not available, never a division error.
    """
    quick_assets = None
    if figures.current_assets is not None:
        quick_assets = figures.current_assets - (figures.inventory or 0.0)
    return {
        "net_margin": _div(figures.net_profit, figures.revenue, 100.0),
        "roa": _div(figures.net_profit, figures.total_assets, 100.0),
        "roe": _div(figures.net_profit, figures.equity, 100.0),
        "current_ratio": _div(figures.current_assets, figures.current_liabilities),
        "quick_ratio": _div(quick_assets, figures.current_liabilities),
        "debt_ratio": _div(figures.total_liabilities, figures.total_assets, 100.0),
        "receivable_turnover": _div(figures.revenue, figures.receivables),
        "inventory_turnover": _div(cost_of_sales(figures), figures.inventory),
    }
