"""Scenario: two portal customers each see their own credit on /my/credit
and nothing of the other's, also when the other's id is put in the URL."""
from browser import has_text

PORTAL_CUSTOMERS = {
    # key: (company, limit, promised amount, contact login)
    "north": ("Northwind Portal Co", 11111.0, 321.0, "north.portal"),
    "south": ("Southwind Portal Co", 22222.0, 876.0, "south.portal"),
}
PASSWORD = "portal-e2e"
PAGE = "//div[contains(@class,'o_credit_portal')]"


def _seed(rpc):
    ids = {}
    portal = rpc.ref("base.group_portal")
    for key, (name, limit, promise, login) in PORTAL_CUSTOMERS.items():
        found = rpc("res.partner", "search", [("name", "=", name)])
        partner = found[0] if found else rpc("res.partner", "create", {
            "name": name, "is_company": True, "customer": True,
            "credit_limit": limit, "credit_portal_enabled": True})
        if not rpc("res.users", "search", [("login", "=", login)]):
            contact = rpc("res.partner", "create", {
                "name": "%s Buyer" % name, "parent_id": partner,
                "email": login + "@example.com"})
            rpc("res.users", "create", {
                "login": login, "password": PASSWORD, "partner_id": contact,
                "groups_id": [(6, 0, [portal])]},
                context={"no_reset_password": True})
            rpc("credit.collection.log", "create", {
                "partner_id": partner, "channel": "call",
                "promise_date": "2099-03-31", "promise_amount": promise})
        ids[key] = partner
    return ids


def _portal_login(web, login):
    """Log in on the login page; a portal user lands on their portal."""
    web.driver.delete_all_cookies()
    web.goto("/web/login")
    field = web.find("//input[@id='login']")
    field.clear()
    field.send_keys(login)
    password = web.find("//input[@id='password']")
    password.clear()
    password.send_keys(PASSWORD)
    web.click(web.find("//button[@type='submit'][%s]" % has_text("Log in")))
    web.find("//div[contains(@class,'o_portal_my_home')]", "the portal did not open")


def _assert_only(text, key):
    for other, (name, limit, promise, _login) in PORTAL_CUSTOMERS.items():
        values = (name, "{:,.2f}".format(limit), "{:,.2f}".format(promise))
        for value in values:
            if other == key:
                assert value in text, (value, text)
            else:
                assert value not in text, (value, text)


def test_two_portal_customers_isolated(odoo, rpc, web):
    ids = _seed(rpc)
    for key, other in (("north", "south"), ("south", "north")):
        _portal_login(web, PORTAL_CUSTOMERS[key][3])
        web.click(web.find("//a[@href='/my/credit'][%s]" % has_text("My Credit Account"),
                           "no credit entry on the portal home"))
        web.find(PAGE, "the credit page did not open")
        text = web.text_of(PAGE)
        _assert_only(text, key)
        assert "Download Statement (PDF)" in text, text
        web.screenshot("portal-credit-%s" % key)
        # another customer's id in the URL changes nothing
        web.goto("/my/credit?partner_id=%d" % ids[other])
        web.find(PAGE, "the credit page did not open")
        _assert_only(web.text_of(PAGE), key)
