"""Scenario 2: a credit controller submits a customer's evaluation, a credit
manager approves it, and the customer's Credit tab shows the new grade,
limit and terms."""
import datetime

import pytest

from flows import FORM
from seed import EVALUATED


@pytest.fixture(scope="module")
def dossier(odoo, rpc):
    """The customer's credit dossier with registration facts and last year's
    statement, as the credit team would have entered them."""
    partner = odoo.data[EVALUATED]
    today = datetime.date.today()
    found = rpc("credit.dossier", "search", [("partner_id", "=", partner)])
    dossier_id = found[0] if found else rpc("credit.dossier", "create", {
        "partner_id": partner,
        "founding_date": today.replace(year=today.year - 12).isoformat(),
        "registered_capital": 6000000.0,
        "tax_status": "compliant",
        "litigation_count": 0,
        "investigation_verified": True,
        "expected_annual_sales": 400000.0,
    })
    if not rpc("credit.financial.statement", "search", [("dossier_id", "=", dossier_id)]):
        rpc("credit.financial.statement", "create", {
            "dossier_id": dossier_id, "fiscal_year": today.year - 1,
            "revenue": 2000000.0, "gross_profit": 600000.0, "net_profit": 200000.0,
            "total_assets": 1500000.0, "current_assets": 800000.0, "inventory": 200000.0,
            "receivables": 250000.0, "cash": 300000.0, "current_liabilities": 350000.0,
            "total_liabilities": 500000.0, "equity": 1000000.0,
            "operating_cash_flow": 250000.0,
        })
    return dossier_id


def test_evaluation_submitted_and_approved(odoo, web, dossier):
    """Controller submits, manager approves; the Credit tab shows the result."""
    controller, manager = odoo.data["controller"], odoo.data["manager"]

    # --- the controller evaluates the customer from the dossier and submits
    web.login(controller.login, controller.password)
    web.open_app("Credit")
    web.open_menu("Credit Dossiers")
    web.open_row(EVALUATED)
    web.click_button("Evaluate", FORM)
    web.find(FORM + "//div[contains(@class,'o_statusbar_status')]", "no evaluation form")
    web.wait_breadcrumb("EV")
    evaluation = web.form_title()
    grade = web.field_value_cell("Grade")
    limit = web.field_value_cell("Credit Limit")
    terms = web.field_value_cell("Credit Terms")
    assert grade and terms and limit not in ("", "0.00"), (grade, limit, terms)
    assert web.status() == "Draft"
    web.screenshot("controller-evaluation-proposal")
    web.click_button("Submit", FORM)
    web.wait_text("Waiting Approval", FORM + "//div[contains(@class,'o_statusbar_status')]"
                  "//button[contains(@class,'btn-primary')]")
    buttons = web.statusbar_buttons()
    assert "Approve" not in buttons and "Submit" not in buttons, buttons
    web.screenshot("controller-evaluation-submitted")

    # --- the manager approves it
    web.login(manager.login, manager.password)
    web.open_app("Credit")
    web.open_menu("Credit Evaluations")
    rows = [row for row in web.list_rows() if evaluation in row]
    assert rows and "Waiting Approval" in rows[0] and EVALUATED in rows[0], web.list_rows()
    web.open_row(evaluation)
    buttons = web.statusbar_buttons()
    assert "Approve" in buttons and "Reject" in buttons, buttons
    web.screenshot("manager-evaluation-to-approve")
    web.click_button("Approve", FORM)
    web.wait_text("Approved", FORM + "//div[contains(@class,'o_statusbar_status')]"
                  "//button[contains(@class,'btn-primary')]")
    assert "Approve" not in web.statusbar_buttons()
    web.screenshot("manager-evaluation-approved")

    # --- the customer's Credit tab shows the new grade, limit and terms
    web.open_menu("Customer Credit")
    web.open_row(EVALUATED)
    web.open_tab("Credit")
    assert web.field_value_cell("Credit Grade") == grade
    assert web.field_value_cell("Credit Limit") == limit.split(" ")[0]
    assert web.field_value_cell("Credit Terms") == terms
    assert web.field_value_cell("Next Credit Review")
    web.screenshot("manager-partner-credit-tab")
