"""Invoice validation runs the same credit rules; customer filters by one query."""
from odoo.exceptions import AccessError, UserError

from common import CreditCommon


class TestInvoiceCheck(CreditCommon):

    def checks(self, invoice):
        return self.env["credit.check"].search([("invoice_id", "=", invoice.id)])

    def test_invoice_within_limit_records_nothing(self):
        """A customer within limit: the invoice validates, no check is kept."""
        invoice = self.create_invoice(self.customer, 5000.0)
        self.assertEqual(invoice.state, "open")
        self.assertFalse(self.checks(invoice))

    def test_warn_mode_validates_and_records(self):
        """Warn mode: beyond the limit the invoice validates with a recorded check."""
        self.create_invoice(self.customer, 9000.0, due_days=30)
        invoice = self.create_invoice(self.customer, 2000.0, validate=False)
        action = invoice.sudo(self.user_controller).action_invoice_open()
        self.assertEqual(invoice.state, "open")
        check = self.checks(invoice)
        self.assertEqual(check.reason_codes, "limit_exceeded")
        self.assertAlmostEqual(check.exposure_amount, 9000.0)
        self.assertAlmostEqual(check.order_amount, 2000.0)
        self.assertFalse(check.is_held)
        self.assertEqual(action["res_id"], check.id)

    def test_block_mode_holds_invoice_until_released(self):
        """Block mode: an invoice of a customer on hold stays draft until released."""
        self.policy.invoice_check_mode = "block"
        self.customer.credit_hold = True
        invoice = self.create_invoice(self.customer, 100.0, validate=False)
        invoice.sudo(self.user_controller).action_invoice_open()
        self.assertEqual(invoice.state, "draft")
        check = self.checks(invoice)
        self.assertEqual(check.reason_codes, "on_hold")
        self.assertTrue(check.is_held)
        wizard = self.env["credit.check.decision"].sudo(self.user_manager).create({
            "check_id": check.id, "decision": "release", "reason": "Paid in advance"})
        wizard.action_apply()
        self.assertEqual(invoice.state, "open")
        self.assertEqual(check.decision, "released")
        self.assertEqual(len(self.checks(invoice)), 1)

    def test_invoice_release_needs_authority(self):
        """The same authority rules apply to held invoices."""
        self.policy.invoice_check_mode = "block"
        invoice = self.create_invoice(self.customer, 30000.0, validate=False)
        invoice.sudo(self.user_controller).action_invoice_open()
        check = self.checks(invoice)
        self.assertEqual(check.required_authority, "manager")
        wizard = self.env["credit.check.decision"].sudo(self.user_controller2).create({
            "check_id": check.id, "decision": "release", "reason": "ok"})
        with self.assertRaises(AccessError):
            wizard.action_apply()
        self.assertEqual(invoice.state, "draft")

    def test_invoice_validate_cannot_skip_check(self):
        """Calling invoice_validate directly (RPC) is refused."""
        invoice = self.create_invoice(self.customer, 100.0, validate=False)
        with self.assertRaises(UserError):
            invoice.sudo(self.user_manager).invoice_validate()


class TestPartnerFilters(CreditCommon):

    def test_over_limit_filter(self):
        """'Over limit' finds customers whose exposure exceeds limit and tolerance."""
        other = self._create_customer("Beta Ltd", 1000.0)
        within = self._create_customer("Gamma Ltd", 5000.0)
        self.create_invoice(other, 1500.0, due_days=30)
        self.create_invoice(within, 1500.0, due_days=30)
        # beyond the limit the order is held, then released by the credit team
        order = self.create_order(self.customer, 10500.0)
        order.sudo(self.user_sales).action_confirm()
        self.assertEqual(order.credit_state, "blocked")
        self.decide(order.credit_check_ids.sorted("id")[-1], self.user_controller)
        self.assertEqual(order.state, "sale")
        Partner = self.env["res.partner"]
        found = Partner.search([("credit_over_limit", "=", True)])
        self.assertIn(other, found)
        self.assertIn(self.customer, found)
        self.assertIn(self.customer_contact, found)
        self.assertNotIn(within, found)
        self.assertIn(within, Partner.search([("credit_over_limit", "=", False)]))
        self.policy.limit_tolerance_percent = 10.0
        self.assertNotIn(self.customer, Partner.search([("credit_over_limit", "=", True)]))
        self.assertTrue(other.credit_over_limit)
        self.assertFalse(within.credit_over_limit)

    def test_overdue_filter(self):
        """'Overdue' finds customers with receivable items past due."""
        late = self._create_customer("Late Ltd", 5000.0)
        paid = self._create_customer("Paid Ltd", 5000.0)
        self.create_invoice(late, 100.0, days_ago=40, due_days=30)
        invoice = self.create_invoice(paid, 100.0, days_ago=40, due_days=30)
        self.pay_invoice(invoice, 100.0)
        found = self.env["res.partner"].search([("credit_is_overdue", "=", True)])
        self.assertIn(late, found)
        self.assertNotIn(paid, found)
        self.assertNotIn(self.customer, found)
        self.assertTrue(late.credit_is_overdue)
