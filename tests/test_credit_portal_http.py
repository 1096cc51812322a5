"""/my/credit over HTTP on a real server: two portal customers, isolated.

Customer A's portal user sees A's figures, invoices and promises, never
B's: not on the page, not by adding ids to the URL, not through the report
URL with B's id, not through the invoice page of B's invoice.
"""
import re

import requests

import server_common
from common import pdf_text


class TestCreditPortalHttp(server_common.RealServerCase):

    db_suffix = "portal_http"

    @classmethod
    def _setup_data(cls):
        company = cls.call("res.users", "read", [cls.uid],
                           ["company_id"])[0]["company_id"][0]

        def account(code, xml_type, reconcile=False):
            return cls.call("account.account", "create", {
                "code": code, "name": code, "user_type_id": cls.ref(xml_type),
                "reconcile": reconcile, "company_id": company})

        receivable = account("PTL1100", "account.data_account_type_receivable",
                             True)
        income = account("PTL4000", "account.data_account_type_revenue")
        journal = cls.call("account.journal", "create", {
            "name": "Portal Sales", "code": "PTLS", "type": "sale",
            "default_debit_account_id": income,
            "default_credit_account_id": income, "company_id": company})
        cls.customers = {}
        for key, name, limit, amount, promise, enabled in (
                ("a", "Alpha Portal Buyer", 11111.0, 1234.0, 321.0, True),
                ("b", "Beta Portal Buyer", 22222.0, 5678.0, 876.0, True),
                ("c", "Gamma No Portal", 33333.0, 0.0, 0.0, False)):
            partner = cls.call("res.partner", "create", {
                "name": name, "is_company": True, "customer": True,
                "credit_limit": limit, "credit_portal_enabled": enabled,
                "property_account_receivable_id": receivable})
            contact = cls.call("res.partner", "create", {
                "name": "%s Contact" % name, "parent_id": partner,
                "email": "%s@example.com" % key})
            login = "portal_%s" % key
            cls.call("res.users", "create", {
                "login": login, "password": login, "partner_id": contact,
                "groups_id": [(6, 0, [cls.ref("base.group_portal")])]},
                context={"no_reset_password": True})
            info = {"id": partner, "name": name, "login": login,
                    "limit": "{:,.2f}".format(limit)}
            if amount:
                invoice = cls.call("account.invoice", "create", {
                    "partner_id": partner, "type": "out_invoice",
                    "account_id": receivable, "journal_id": journal,
                    "invoice_line_ids": [(0, 0, {
                        "name": "Goods", "quantity": 1, "price_unit": amount,
                        "account_id": income})]})
                cls.call("account.invoice", "action_invoice_open", [invoice])
                info["invoice"] = invoice
                info["number"] = cls.call("account.invoice", "read", [invoice],
                                          ["number"])[0]["number"]
                info["amount"] = "{:,.2f}".format(amount)
                cls.call("credit.collection.log", "create", {
                    "partner_id": partner, "channel": "call",
                    "promise_date": "2099-01-31", "promise_amount": promise})
                info["promise"] = "{:,.2f}".format(promise)
            cls.customers[key] = info

    def session(self, key):
        """A browser session logged in as customer ``key``'s portal user."""
        http = requests.Session()
        page = http.get(self.url + "/web/login", timeout=60).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        login = self.customers[key]["login"]
        answer = http.post(self.url + "/web/login", timeout=60, data={
            "login": login, "password": login, "csrf_token": token,
            "redirect": "/my"})
        self.assertEqual(answer.status_code, 200)
        self.assertNotIn("Wrong login/password", answer.text)
        return http

    def get(self, http, path, **kwargs):
        return http.get(self.url + path, timeout=120, **kwargs)

    def assert_only(self, text, key, other):
        mine, theirs = self.customers[key], self.customers[other]
        for value in (mine["name"], mine["limit"], mine["number"],
                      mine["amount"], mine["promise"]):
            self.assertIn(value, text)
        for value in (theirs["name"], theirs["limit"], theirs["number"],
                      theirs["amount"], theirs["promise"]):
            self.assertNotIn(value, text)

    # ------------------------------------------------------------------
    def test_each_customer_sees_only_their_credit(self):
        """A and B each see their own limit, invoice and promise only,
        whatever ids they add to the URL."""
        for key, other in (("a", "b"), ("b", "a")):
            http = self.session(key)
            home = self.get(http, "/my")
            self.assertIn('href="/my/credit"', home.text)
            theirs = self.customers[other]
            for query in ("", "?partner_id=%d" % theirs["id"],
                          "?partner=%d&company_id=1" % theirs["id"]):
                page = self.get(http, "/my/credit" + query)
                self.assertEqual(page.status_code, 200)
                self.assert_only(page.text, key, other)

    def test_statement_pdf_is_the_users_own(self):
        """The statement download is a PDF of the user's own customer."""
        http = self.session("a")
        answer = self.get(http, "/my/credit/statement?partner_id=%d"
                          % self.customers["b"]["id"])
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.headers["Content-Type"], "application/pdf")
        text = pdf_text(answer.content)
        self.assertIn("Alpha Portal Buyer", text)
        self.assertIn(self.customers["a"]["number"], text)
        self.assertNotIn("Beta Portal Buyer", text)
        self.assertNotIn(self.customers["b"]["number"], text)

    def test_other_ids_by_report_or_invoice_url_refused(self):
        """B's statement through the report URL and B's invoice page are
        not served to A."""
        http = self.session("a")
        b = self.customers["b"]
        for path in ("/report/pdf/credit_management.report_credit_statement/%d",
                     "/report/html/credit_management.report_credit_statement/%d"):
            answer = self.get(http, path % b["id"])
            self.assertNotIn(b["name"], answer.text if "html" in path else "")
            self.assertNotEqual(answer.headers.get("Content-Type"),
                                "application/pdf")
            self.assertNotIn(b["limit"], answer.text)
        answer = self.get(http, "/my/invoices/%d" % b["invoice"])
        self.assertNotIn(b["number"], answer.text)
        self.assertNotIn(b["amount"], answer.text)

    def test_customer_without_portal_credit_gets_nothing(self):
        """The page and the statement are off until the credit team enables
        them: no entry on /my, both URLs lead back to /my."""
        http = self.session("c")
        self.assertNotIn('href="/my/credit"', self.get(http, "/my").text)
        for path in ("/my/credit", "/my/credit/statement"):
            answer = self.get(http, path, allow_redirects=False)
            self.assertIn(answer.status_code, (302, 303))
            self.assertTrue(answer.headers["Location"].endswith("/my"))
