"""Steps several scenarios share, written as a person does them."""

FORM = "//div[contains(@class,'o_form_view')]"
MODAL = "//div[contains(@class,'modal-dialog')]"
CONTROL_PANEL = "//div[contains(@class,'o_control_panel')]"

ENGLISH = {
    "Sales": "Sales", "Quotations": "Quotations", "Create": "Create", "New": "New",
    "Customer": "Customer", "Add an item": "Add an item", "Save": "Save",
}


def create_quotation(web, customer, product, labels=ENGLISH):
    """As the logged-in salesperson: Sales > Quotations > Create, one order
    line of ``product``, saved. Returns the quotation's number."""
    web.open_app(labels["Sales"])
    web.open_menu(labels["Quotations"])
    web.click_button(labels["Create"], CONTROL_PANEL)
    web.wait_breadcrumb(labels["New"])
    web.set_many2one(labels["Customer"], customer)
    web.click(FORM + "//a[normalize-space()='%s']" % labels["Add an item"],
              "no '%s' in the order lines" % labels["Add an item"])
    web.select_autocomplete("//tr[contains(@class,'o_selected_row')]"
                            "//div[contains(@class,'o_field_many2one')]//input", product)
    web.save(labels["Save"])
    return web.form_title()
