"""Financial ratios and payment behaviour (pure domain functions)."""
from datetime import date

from odoo.addons.credit_management.domain import financial, payment

FIGURES = financial.StatementFigures(
    revenue=1000000.0, gross_profit=300000.0, net_profit=80000.0,
    total_assets=800000.0, current_assets=500000.0, inventory=140000.0,
    receivables=200000.0, cash=60000.0, current_liabilities=250000.0,
    total_liabilities=400000.0, equity=400000.0, operating_cash_flow=90000.0)


def test_ratios_on_known_numbers():
    """Each ratio matches the hand calculation."""
    r = financial.ratios(FIGURES)
    assert r["net_margin"] == 8.0
    assert r["roa"] == 10.0
    assert r["roe"] == 20.0
    assert r["current_ratio"] == 2.0
    assert abs(r["quick_ratio"] - 1.44) < 1e-9
    assert r["debt_ratio"] == 50.0
    assert r["receivable_turnover"] == 5.0
    assert r["inventory_turnover"] == 5.0


def test_ratios_without_denominator_are_not_available():
    """Zero revenue, liabilities or inventory, or negative equity: None, no error."""
    empty = FIGURES._replace(revenue=0.0, current_liabilities=0.0, inventory=0.0,
                             equity=-50000.0, receivables=0.0, total_assets=0.0)
    r = financial.ratios(empty)
    for name in ("net_margin", "current_ratio", "quick_ratio", "roe", "roa",
                 "debt_ratio", "receivable_turnover", "inventory_turnover"):
        assert r[name] is None, name


def test_on_time_share_and_no_history():
    """Share paid on time in %, None for a customer with no paid invoice."""
    behaviour = payment.PaymentBehaviour(8, 6, 3.5, 2.0, 20, date(2024, 1, 10))
    assert payment.on_time_share(behaviour) == 75.0
    assert payment.on_time_share(payment.NO_HISTORY) is None


def test_relationship_months():
    """Whole months since the first invoice; None when never invoiced."""
    behaviour = payment.NO_HISTORY._replace(first_invoice_date=date(2024, 1, 31))
    assert payment.relationship_months(behaviour, date(2026, 1, 30)) == 23
    assert payment.relationship_months(behaviour, date(2026, 1, 31)) == 24
    assert payment.relationship_months(payment.NO_HISTORY, date(2026, 1, 1)) is None
