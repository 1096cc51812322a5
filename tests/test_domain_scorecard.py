"""Scorecard indicators, score bands and limit rules on known numbers (pure domain)."""
from datetime import date

from odoo.addons.credit_management.domain import financial, limits, payment, scorecard

TODAY = date(2026, 6, 30)
FIGURES = financial.StatementFigures(
    revenue=1000000.0, gross_profit=300000.0, net_profit=80000.0,
    total_assets=800000.0, current_assets=500000.0, inventory=140000.0,
    receivables=200000.0, cash=60000.0, current_liabilities=250000.0,
    total_liabilities=400000.0, equity=400000.0, operating_cash_flow=90000.0)
BEHAVIOUR = payment.PaymentBehaviour(
    invoices_paid=20, paid_on_time=17, avg_days_late=4.0, weighted_days_late=6.5,
    max_days_late=31, first_invoice_date=date(2023, 3, 15))
FACTS = scorecard.ScoreFacts(
    today=TODAY, founding_date=date(2016, 6, 30), registered_capital=5000000.0,
    tax_status="compliant", investigation_verified=True, litigation_count=1,
    statement=FIGURES, payment=BEHAVIOUR, overdue_days=12)
NEW_CUSTOMER = scorecard.ScoreFacts(
    today=TODAY, founding_date=None, registered_capital=0.0, tax_status="unknown",
    investigation_verified=False, litigation_count=0, statement=None,
    payment=payment.NO_HISTORY, overdue_days=0)

HIGH = [scorecard.Band(2.0, 100.0), scorecard.Band(1.5, 80.0), scorecard.Band(1.0, 40.0),
        scorecard.Band(0.0, 0.0)]
LOW = [scorecard.Band(0.0, 100.0), scorecard.Band(15.0, 60.0), scorecard.Band(30.0, 30.0)]


def test_each_indicator_value_on_known_numbers():
    """Every indicator of the catalogue has its hand-computed value."""
    v = scorecard.indicator_values(FACTS)
    assert set(v) == set(scorecard.INDICATORS)
    assert abs(v["years_in_business"] - 10.0) < 0.01
    assert v["registered_capital"] == 5000000.0
    assert v["tax_compliance"] == 1.0
    assert v["investigation_verified"] == 1.0
    assert v["litigation_count"] == 1
    assert v["relationship_months"] == 39
    assert v["net_margin"] == 8.0
    assert v["roa"] == 10.0
    assert v["roe"] == 20.0
    assert v["receivable_turnover"] == 5.0
    assert v["inventory_turnover"] == 5.0
    assert v["current_ratio"] == 2.0
    assert abs(v["quick_ratio"] - 1.44) < 1e-9
    assert v["debt_ratio"] == 50.0
    assert v["on_time_share"] == 85.0
    assert v["avg_days_late"] == 4.0
    assert v["weighted_days_late"] == 6.5
    assert v["max_days_late"] == 31
    assert v["overdue_days"] == 12


def test_missing_data_is_not_available():
    """A new customer without statements or invoices: None, never an error."""
    v = scorecard.indicator_values(NEW_CUSTOMER)
    for code in ("years_in_business", "registered_capital", "tax_compliance",
                 "relationship_months", "net_margin", "roe", "current_ratio",
                 "debt_ratio", "on_time_share", "weighted_days_late", "overdue_days"):
        assert v[code] is None, code
    assert v["litigation_count"] == 0
    assert v["investigation_verified"] == 0.0


def test_band_percent_higher_and_lower_is_better():
    """Bands pick the best threshold met; lower-is-better reads them upward."""
    assert scorecard.band_percent(2.5, HIGH) == 100.0
    assert scorecard.band_percent(1.7, HIGH) == 80.0
    assert scorecard.band_percent(1.0, HIGH) == 40.0
    assert scorecard.band_percent(-1.0, HIGH) == 0.0
    assert scorecard.band_percent(0, LOW, higher_is_better=False) == 100.0
    assert scorecard.band_percent(10, LOW, higher_is_better=False) == 60.0
    assert scorecard.band_percent(45, LOW, higher_is_better=False) == 0.0
    assert scorecard.band_percent(None, HIGH) == 0.0


def test_evaluate_total_and_not_available_line():
    """Points are weight x band share; a missing value gives a 0-point line."""
    indicators = [
        scorecard.Indicator(1, "current_ratio", 60.0, True, HIGH),
        scorecard.Indicator(2, "overdue_days", 40.0, False, LOW),
    ]
    lines, total = scorecard.evaluate(indicators, FACTS)
    assert lines[0].points == 60.0 and lines[0].available
    assert lines[1].percent == 60.0 and lines[1].points == 24.0
    assert total == 84.0
    lines, total = scorecard.evaluate(indicators, NEW_CUSTOMER)
    assert [line.available for line in lines] == [False, False]
    assert total == 0.0


def test_weights_must_add_to_100():
    """A scorecard is valid only when its weights add up to 100."""
    ind = [scorecard.Indicator(1, "roe", 60.0, True, HIGH),
           scorecard.Indicator(2, "roa", 40.0, True, HIGH)]
    assert scorecard.weights_valid(ind)
    assert not scorecard.weights_valid(ind[:1])
    assert scorecard.total_weight(ind[:1]) == 60.0


def test_proposed_limit_rules():
    """Equity share, sales share, the lower of both, capped and rounded down."""
    assert limits.proposed_limit("equity", 0, equity_percent=30, equity=400000.0) == (
        120000.0, "equity")
    assert limits.proposed_limit("sales", 0, sales_percent=15, annual_sales=1234567.0) == (
        185000.0, "sales")
    assert limits.proposed_limit("lower", 500000, equity_percent=30, sales_percent=15,
                                 equity=400000.0, annual_sales=600000.0) == (90000.0, "sales")
    assert limits.proposed_limit("lower", 100000, equity_percent=50, sales_percent=50,
                                 equity=1e6, annual_sales=1e6) == (100000.0, "cap")
    assert limits.proposed_limit("cap", 50000) == (50000.0, "cap")


def test_proposed_limit_without_basis_or_credit():
    """No figures for the rule or a grade without credit: 0."""
    assert limits.proposed_limit("equity", 100000, equity_percent=30) == (0.0, "no_basis")
    assert limits.proposed_limit("equity", 100000, equity_percent=30, equity=-5.0) == (
        0.0, "no_basis")
    assert limits.proposed_limit("cap", 0) == (0.0, "no_basis")
    assert limits.proposed_limit("cap", 50000, allow_credit=False) == (0.0, "no_credit")
