"""The customer's own credit on the portal: figures, isolation, statement."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError

from common import CreditCommon, render_report_html


class CreditPortalCase(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls._create_customer("Beta Imports Co", 22222.0)
        for customer in (cls.customer, cls.other):
            customer.credit_portal_enabled = True
        cls.portal_user = cls._portal_user("alice.portal", cls.customer_contact)
        cls.other_contact = cls.env["res.partner"].create({
            "name": "Bob Buyer", "parent_id": cls.other.id, "type": "contact"})
        cls.other_user = cls._portal_user("bob.portal", cls.other_contact)

    @classmethod
    def _portal_user(cls, login, partner):
        return cls.env["res.users"].with_context(no_reset_password=True).create({
            "login": login, "partner_id": partner.id,
            "company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)],
            "groups_id": [(6, 0, [cls.env.ref("base.group_portal").id])]})

    def promise(self, partner, amount, days=5):
        return self.env["credit.collection.log"].create({
            "partner_id": partner.id, "channel": "call",
            "date": fields.Date.to_string(self.today),
            "promise_date": fields.Date.to_string(self.today + timedelta(days=days)),
            "promise_amount": amount})


class TestCreditPortalValues(CreditPortalCase):

    def test_portal_user_sees_own_commercial_partner_only(self):
        """A contact's portal user gets their company's credit, never another's."""
        Partner = self.env["res.partner"]
        self.assertEqual(Partner._credit_portal_partner(self.portal_user),
                         self.customer)
        self.assertEqual(Partner._credit_portal_partner(self.other_user),
                         self.other)

    def test_disabled_customer_sees_nothing(self):
        self.customer.credit_portal_enabled = False
        self.assertFalse(self.env["res.partner"]._credit_portal_partner(
            self.portal_user))

    def test_figures_invoices_aging_promises(self):
        """Limit, used, available, overdue, open invoices by due date, aging
        buckets and promises: all of this customer in this company only."""
        late = self.create_invoice(self.customer, 3000.0, days_ago=45, due_days=30)
        current = self.create_invoice(self.customer, 1000.0, due_days=30)
        self.create_invoice(self.other, 7777.0, days_ago=45, due_days=30)
        self.promise(self.customer, 1500.0)
        self.promise(self.other, 999.0)
        values = self.customer._credit_portal_values(self.company)
        self.assertAlmostEqual(values["limit"], 10000.0)
        self.assertAlmostEqual(values["used"], 4000.0)
        self.assertAlmostEqual(values["available"], 6000.0)
        self.assertAlmostEqual(values["overdue_amount"], 3000.0)
        self.assertEqual(values["overdue_days"], 15)
        self.assertEqual(values["invoices"], late | current)
        self.assertEqual(list(values["invoices"]), [late, current])
        aging = {bucket["key"]: bucket["amount"] for bucket in values["aging"]}
        self.assertAlmostEqual(aging["not_due"], 1000.0)
        self.assertAlmostEqual(aging["1_30"], 3000.0)
        self.assertAlmostEqual(values["aging_total"], 4000.0)
        self.assertEqual(values["promises"].mapped("promise_amount"), [1500.0])

    def test_other_company_not_shown(self):
        """Invoices and promises of another company stay out."""
        books = self._create_company_books("Second Co", "SC2", [self.customer])
        self.env["credit.collection.log"].create({
            "partner_id": self.customer.id, "company_id": books.company.id,
            "channel": "call", "date": fields.Date.to_string(self.today),
            "promise_date": fields.Date.to_string(self.today),
            "promise_amount": 55.0})
        values = self.customer._credit_portal_values(self.company)
        self.assertFalse(values["promises"])


class TestCreditPortalProtection(CreditPortalCase):

    def test_only_credit_team_enables_the_portal(self):
        """A salesperson cannot turn the portal page on; a controller can."""
        plain = self._create_customer("Gamma Ltd", 100.0)
        with self.assertRaises(AccessError):
            plain.sudo(self.user_sales).write({"credit_portal_enabled": True})
        self.assertFalse(plain.credit_portal_enabled)
        plain.sudo(self.user_controller).write({"credit_portal_enabled": True})
        self.assertTrue(plain.credit_portal_enabled)

    def test_portal_user_cannot_print_any_statement_directly(self):
        """The report refuses portal users (their download goes through
        /my/credit/statement for their own partner only)."""
        report = self.env.ref("credit_management.credit_statement_report_action")
        for partner in (self.customer, self.other):
            with self.assertRaises(AccessError):
                report.sudo(self.portal_user).render_qweb_html(partner.ids)

    def test_statement_of_the_credit_team(self):
        """The credit team prints a customer's statement with its figures."""
        self.create_invoice(self.customer, 3000.0, days_ago=45, due_days=30)
        self.promise(self.customer, 1500.0)
        html = render_report_html(
            self.env(user=self.user_controller),
            "credit_management.credit_statement_report_action",
            self.customer.ids).decode()
        self.assertIn("Customer Statement", html)
        self.assertIn("Acme Trading Ltd", html)
        self.assertIn("3,000.00", html)
        self.assertIn("1,500.00", html)
        self.assertNotIn("Beta Imports", html)
