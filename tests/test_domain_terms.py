"""Credit terms validation and labels, grade lookup (pure domain functions)."""
from odoo.addons.credit_management.domain import grading, terms

T_2_10_30 = terms.CreditTerms(2.0, 10, 30, 12.0)
T_NET_30 = terms.CreditTerms(0.0, 0, 30, 0.0)


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
