"""Smoke: each role logs in and finds the Credit application as it should."""
from seed import CUSTOMER


def test_salesperson_sees_customer_credit_but_no_configuration(odoo, web):
    """A salesperson opens Credit > Customer Credit and a customer's Credit tab."""
    sales = odoo.data["sales"]
    web.login(sales.login, sales.password)
    assert web.user_name() == sales.name
    assert "Credit" in web.app_menus()
    web.open_app("Credit")
    menus = web.sidebar_menus()
    assert "Customer Credit" in menus
    assert "Configuration" not in menus
    web.open_menu("Customer Credit")
    headers = web.list_headers()
    assert {"Customer", "Credit Grade", "Credit Limit", "Credit Exposure",
            "Available Credit"} <= set(headers), headers
    row = [r for r in web.list_rows() if CUSTOMER in r]
    assert row and "1,000.00" in row[0], web.list_rows()
    web.screenshot("sales-customer-credit-list")
    web.open_row(CUSTOMER)
    web.open_tab("Credit")
    assert web.field_value_cell("Credit Limit") == "1,000.00"
    assert web.field_value_cell("Credit Grade").startswith("A")
    web.screenshot("sales-partner-credit-tab")


def test_controller_sees_configuration(odoo, web):
    """A credit controller has the Configuration menu of the Credit application."""
    controller = odoo.data["controller"]
    web.login(controller.login, controller.password)
    web.open_app("Credit")
    assert "Configuration" in web.sidebar_menus()
    web.screenshot("controller-credit-menu")
