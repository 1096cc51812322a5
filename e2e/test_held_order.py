"""Scenario 1: an order beyond the customer's limit is held at confirmation,
and a credit controller releases it with a reason."""
from browser import has_text
from flows import create_quotation
from seed import CUSTOMER, PRODUCT

RELEASE_REASON = "Customer paid a deposit by bank transfer this morning."
FORM = "//div[contains(@class,'o_form_view')]"


def test_held_order_released_by_controller(odoo, web):
    """Held at Confirm for the salesperson; released by a controller; confirmed."""
    sales, controller = odoo.data["sales"], odoo.data["controller"]

    # --- the salesperson confirms a quotation beyond the customer's limit
    web.login(sales.login, sales.password)
    order = create_quotation(web, CUSTOMER, PRODUCT)
    assert order.startswith("SO"), order
    assert web.status() == "Quotation"
    web.screenshot("sales-quotation")
    web.click_button("Confirm Sale", FORM)

    dialog = web.dialog("Credit Hold")
    web.wait_text("was not confirmed", "//div[contains(@class,'modal-dialog')]")
    text = " ".join(dialog.text.split())
    web.screenshot("sales-credit-hold-message")
    assert "Credit hold: %s was not confirmed." % order in text, text
    assert "Credit limit exceeded" in text, text
    for amount in ("1,000.00", "1,500.00", "500.00"):  # limit, order, excess
        assert amount in text, (amount, text)
    assert web.field_value_cell("Credit Limit", "//div[contains(@class,'modal-dialog')]") \
        .startswith("1,000.00")
    assert web.field_value_cell("Excess Over Limit",
                                "//div[contains(@class,'modal-dialog')]").startswith("500.00")
    assert web.field_value_cell("Who decides", "//div[contains(@class,'modal-dialog')]") \
        == "Credit controller"
    web.click_button("OK", "//div[contains(@class,'modal-dialog')]")
    web.wait_gone("//div[contains(@class,'modal-dialog')]")

    # the order stays a quotation, on hold, and says why
    web.wait_text("Credit hold: waiting for the credit team's decision.", FORM)
    assert web.status() == "Quotation"
    assert "Credit limit exceeded" in web.text_of(FORM + "//div[contains(@class,'alert-danger')]")
    web.screenshot("sales-order-on-hold")
    # a salesperson may look at the check but has no Release/Reject button
    web.click(web.find(FORM + "//button[contains(@class,'oe_stat_button')][%s]"
                       % has_text("Credit Checks")))
    web.open_row(CUSTOMER)
    assert "Held: waiting for the credit team's decision." in web.page_text()
    buttons = web.statusbar_buttons()
    assert "Release" not in buttons and "Reject" not in buttons, buttons

    # --- the controller reviews the held orders and releases this one
    web.login(controller.login, controller.password)
    web.open_app("Credit")
    web.open_menu("Held Orders")
    rows = [row for row in web.list_rows() if order in row]
    assert len(rows) == 1, web.list_rows()
    row = " ".join(rows[0])
    for text in (CUSTOMER, sales.name, "1,500.00", "1,000.00", "Credit limit exceeded"):
        assert text in row, (text, row)
    web.screenshot("controller-held-orders")
    web.open_row(order)
    buttons = web.statusbar_buttons()
    assert "Release" in buttons and "Reject" in buttons, buttons
    web.screenshot("controller-held-check")
    web.click_button("Release", FORM + "//div[contains(@class,'o_statusbar_buttons')]")

    modal = "//div[contains(@class,'modal-dialog')]"
    web.dialog("Release Held Order")
    reason = web.find(modal + "//textarea", "no reason box in the decision dialog")
    reason.send_keys(RELEASE_REASON)
    web.screenshot("controller-release-dialog")
    web.click_button("Apply", modal)
    web.wait_gone(modal)

    # the decision shows on the check ...
    web.wait_text(RELEASE_REASON, FORM)
    assert web.field_value_cell("Decision") == "Released"
    assert web.field_value_cell("Decided By") == controller.name
    assert "Held: waiting" not in web.page_text()
    buttons = web.statusbar_buttons()
    assert "Release" not in buttons and "Reject" not in buttons, buttons
    web.screenshot("controller-check-released")

    # ... and on the order, which is now confirmed, and in its chatter
    web.click(web.find(FORM + "//button[contains(@class,'oe_stat_button')][%s]"
                       % has_text("Order / Invoice")))
    web.wait_breadcrumb(order)
    assert web.status() == "Sales Order"
    web.wait_text("Released", FORM + "//div[contains(@class,'o_form_statusbar')]")
    assert "Credit hold: waiting" not in web.page_text()
    messages = web.chatter_messages()
    assert any("Credit hold released by %s" % controller.name in message
               and RELEASE_REASON in message for message in messages), messages
    assert any("Credit hold: the order was not confirmed." in message
               for message in messages), messages
    web.screenshot("controller-order-confirmed")
