"""Credit term arithmetic and grade lookup (pure domain functions)."""
from datetime import date
from decimal import Decimal

from odoo.addons.credit_management.domain import grading, terms

T_2_10_30 = terms.CreditTerms(2.0, 10, 30, 12.0)
T_NET_30 = terms.CreditTerms(0.0, 0, 30, 0.0)


def test_due_date_adds_net_days():
    assert terms.due_date(date(2026, 1, 15), T_2_10_30) == date(2026, 2, 14)


def test_discount_deadline_and_none_without_discount():
    assert terms.discount_deadline(date(2026, 1, 15), T_2_10_30) == date(2026, 1, 25)
    assert terms.discount_deadline(date(2026, 1, 15), T_NET_30) is None


def test_discount_amount_within_and_after_deadline():
    assert terms.discount_amount(1000, T_2_10_30) == Decimal("20.00")
    on_time = terms.discount_amount(1234.56, T_2_10_30, payment_date=date(2026, 1, 25),
                                    invoice_date=date(2026, 1, 15))
    assert on_time == Decimal("24.69")
    late = terms.discount_amount(1000, T_2_10_30, payment_date=date(2026, 1, 26),
                                 invoice_date=date(2026, 1, 15))
    assert late == Decimal("0.00")


def test_overdue_interest_simple_annual_rate():
    assert terms.overdue_interest(36500, T_2_10_30, 10) == Decimal("120.00")
    assert terms.overdue_interest(36500, T_2_10_30, 0) == Decimal("0.00")
    assert terms.overdue_interest(36500, T_NET_30, 10) == Decimal("0.00")


def test_validate_terms_reports_each_error():
    assert terms.validate_terms(T_2_10_30) == []
    assert terms.validate_terms(terms.CreditTerms(100, 10, 30, 0)) == ["discount_percent"]
    assert terms.validate_terms(terms.CreditTerms(-1, 10, 30, 0)) == ["discount_percent"]
    assert terms.validate_terms(terms.CreditTerms(2, 40, 30, 0)) == ["discount_days"]
    assert terms.validate_terms(terms.CreditTerms(0, 0, -5, 0)) == ["net_days"]
    assert terms.validate_terms(terms.CreditTerms(0, 0, 30, 100)) == ["overdue_interest_rate"]


def test_terms_label():
    assert terms.terms_label(T_2_10_30) == "2/10 net 30"
    assert terms.terms_label(terms.CreditTerms(1.5, 10, 45, 0)) == "1.5/10 net 45"
    assert terms.terms_label(T_NET_30) == "Net 30"
    assert terms.terms_label(terms.CreditTerms(0, 0, 0, 0)) == "Immediate payment"


BANDS = [grading.GradeBand("AAA", 90), grading.GradeBand("AA", 80),
         grading.GradeBand("A", 70), grading.GradeBand("B", 60),
         grading.GradeBand("C", 50), grading.GradeBand("D", 0)]


def test_grade_for_score_band_edges():
    assert grading.grade_for_score(100, BANDS) == "AAA"
    assert grading.grade_for_score(90, BANDS) == "AAA"
    assert grading.grade_for_score(89.99, BANDS) == "AA"
    assert grading.grade_for_score(70, BANDS) == "A"
    assert grading.grade_for_score(49.5, BANDS) == "D"
    assert grading.grade_for_score(0, BANDS) == "D"


def test_grade_for_score_unordered_and_empty():
    assert grading.grade_for_score(65, list(reversed(BANDS))) == "B"
    assert grading.grade_for_score(40, [grading.GradeBand("C", 50)]) is None
    assert grading.grade_for_score(40, []) is None
