"""Scenario: the quotation tells what confirming will do (fits / will be
held, live as the quantity changes); the held order's salesperson asks the
credit team for a release with a note, which the controller sees on the
check."""
from selenium.webdriver.common.keys import Keys

from browser import has_text
from flows import CONTROL_PANEL, FORM, MODAL
from seed import PRODUCT

CUSTOMER = "Outlook Foods Ltd"   # limit 2,000.00; the product costs 1,500.00
NOTE = "The customer wires 1,000.00 on Friday; please release."
FITS = FORM + "//div[contains(@class,'o_credit_outlook_fits')]"
HELD = FORM + "//div[contains(@class,'o_credit_outlook_held')]"
LINE = "//tr[contains(@class,'o_selected_row')]"


def _customer(rpc, salesperson):
    found = rpc("res.partner", "search", [("name", "=", CUSTOMER)])
    if found:
        return found[0]
    return rpc("res.partner", "create", {
        "name": CUSTOMER, "is_company": True, "customer": True,
        "credit_limit": 2000.0, "user_id": salesperson})


def test_banner_fits_then_will_be_held_and_release_request(odoo, rpc, web):
    sales, controller = odoo.data["sales"], odoo.data["controller"]
    _customer(rpc, sales.id)

    # --- a new quotation of one item: the banner says it fits
    web.login(sales.login, sales.password)
    web.open_app("Sales")
    web.open_menu("Quotations")
    web.click_button("Create", CONTROL_PANEL)
    web.wait_breadcrumb("New")
    web.set_many2one("Customer", CUSTOMER)
    web.click(FORM + "//a[normalize-space()='Add an item']", "no 'Add an item'")
    web.select_autocomplete(
        LINE + "//div[contains(@class,'o_field_many2one')]//input", PRODUCT)
    web.wait_text("1,500.00", FITS)
    text = " ".join(web.text_of(FITS).split())
    assert "Available credit" in text and "2,000.00" in text, text
    assert "Fits" in text, text
    web.screenshot("outlook-fits")

    # --- two items: beyond the limit, live, before saving
    quantity = web.find(LINE + "//input[@name='product_uom_qty']",
                        "no quantity in the order line")
    quantity.send_keys(Keys.CONTROL, "a")
    quantity.send_keys("2", Keys.TAB)
    web.wait_idle()
    web.wait_text("Will be held if confirmed now", HELD)
    text = " ".join(web.text_of(HELD).split())
    for expected in ("3,000.00", "exceeds the limit by", "1,000.00",
                     "a controller can release up to", "Credit limit exceeded",
                     "A prepayment (down payment) of"):
        assert expected in text, (expected, text)
    assert not web.visible(FITS)
    web.screenshot("outlook-will-be-held")
    web.save()
    order = web.form_title()
    web.wait_text("Will be held if confirmed now", HELD)

    # --- confirmed anyway: held; from the hold window, ask for a release
    web.click_button("Confirm Sale", FORM)
    web.dialog("Credit Hold")
    web.wait_text("was not confirmed", MODAL)
    web.click_button("Ask for Release", MODAL)
    web.dialog("Ask for Release")
    note = web.find(MODAL + "//textarea", "no note box in the request")
    note.send_keys(NOTE)
    web.screenshot("release-request-dialog")
    web.click_button("Send Request", MODAL)
    web.wait_gone(MODAL)
    messages = web.chatter_messages()
    assert any(NOTE in message and "asks the credit team to release" in message
               for message in messages), messages

    # --- the controller sees the request on the held check
    web.login(controller.login, controller.password)
    web.open_app("Credit")
    web.open_menu("Held Orders")
    web.open_row(order)
    web.wait_text(NOTE, FORM)
    assert web.field_value_cell("Release Requested By") == sales.name
    buttons = web.statusbar_buttons()
    assert "Release" in buttons and "Ask for Release" not in buttons, buttons
    assert web.find(FORM + "//*[%s]" % has_text("Release Request"))
    web.screenshot("controller-sees-release-request")
