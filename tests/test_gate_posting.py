"""Every path that posts a customer invoice's receivable goes through the gate.

Paths checked in Odoo 11's account and sale code (see the issue's note):
action_invoice_open (the gate), account.invoice.confirm (calls it),
action_move_create, invoice_validate, account.move.post of the invoice's
lines, state written over RPC, creation in another state, computed amounts
written over RPC, credit notes (lower the exposure), the credit-note
wizard's new invoice, cancel / reset to draft / validate again, and the
invoices made from sales orders (drafts, validated through the gate).
"""
from odoo.exceptions import UserError

from gate_common import GateCase

OUTSIDE = "Validate customer invoices with the Validate button"


class PostingCase(GateCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.invoice_check_mode = "block"
        cls.roles = (cls.user_billing, cls.user_sales, cls.user_controller,
                     cls.user_manager)

    def over_limit_invoice(self):
        """A draft customer invoice of 2,000 for a customer with 1,000 of limit."""
        return self.create_invoice(self.small, 2000.0, validate=False)

    def assert_not_posted(self, invoice):
        invoice.invalidate_cache()
        self.assertEqual(invoice.state, "draft")
        self.assertFalse(invoice.move_id)
        self.assertFalse(self.env["account.move.line"].search(
            [("invoice_id", "=", invoice.id)]))


class TestRefusedOutsideTheGate(PostingCase):

    def test_action_move_create_refused_for_every_role(self):
        """action_move_create (public, RPC) never posts a customer invoice."""
        invoice = self.over_limit_invoice()
        for user in self.roles:
            self.assert_refused(invoice.sudo(user).action_move_create, expect=OUTSIDE)
        self.assert_not_posted(invoice)
        self.assertFalse(self.Check.search([("invoice_id", "=", invoice.id)]))

    def test_invoice_validate_refused_for_every_role(self):
        """invoice_validate (public) cannot open a customer invoice either."""
        invoice = self.over_limit_invoice()
        for user in self.roles:
            self.assert_refused(invoice.sudo(user).invoice_validate, expect=OUTSIDE)
        self.assert_not_posted(invoice)

    def test_state_cannot_be_written_open(self):
        """Writing state 'open' or 'paid', or creating an open invoice, is refused."""
        invoice = self.over_limit_invoice()
        for state in ("open", "paid"):
            self.assert_refused(invoice.sudo(self.user_billing).write, {"state": state},
                                expect=OUTSIDE)
        self.assert_not_posted(invoice)
        with self.assertRaises(UserError):
            self.env["account.invoice"].sudo(self.user_billing).create({
                "partner_id": self.small.id, "type": "out_invoice", "state": "open",
                "account_id": self.receivable_account.id,
                "journal_id": self.sale_journal.id})

    def test_copies_are_drafts(self):
        """A copy of an open invoice is a draft; an open copy is refused."""
        invoice = self.create_invoice(self.customer, 100.0)
        self.assertEqual(invoice.sudo(self.user_billing).copy().state, "draft")
        self.assert_refused(invoice.sudo(self.user_billing).copy, {"state": "open"},
                            expect="created as a draft")

    def test_journal_entry_of_a_draft_invoice_cannot_be_posted(self):
        """Posting a journal entry that carries a draft invoice's lines is refused."""
        invoice = self.over_limit_invoice()
        move = self.env["account.move"].sudo(self.user_billing).create({
            "journal_id": self.sale_journal.id,
            "line_ids": [
                (0, 0, {"name": "Receivable", "account_id": self.receivable_account.id,
                        "partner_id": self.small.id, "debit": 2000.0,
                        "invoice_id": invoice.id}),
                (0, 0, {"name": "Sales", "account_id": self.income_account.id,
                        "credit": 2000.0, "invoice_id": invoice.id})]})
        self.assert_refused(move.post, expect=OUTSIDE)
        self.assertEqual(move.state, "draft")

    def test_computed_amounts_cannot_be_written(self):
        """The invoice totals the check counts cannot be written by a client."""
        invoice = self.over_limit_invoice()
        for field in ("amount_total", "amount_total_company_signed", "residual"):
            self.assert_refused(invoice.sudo(self.user_billing).write, {field: 1.0},
                                expect="cannot be written")
        self.assertAlmostEqual(invoice.amount_total_company_signed, 2000.0)

    def test_context_keys_do_not_open_the_gate(self):
        """Context keys sent by a client do not let action_move_create through."""
        invoice = self.over_limit_invoice()
        self.assert_refused(invoice.sudo(self.user_billing).with_context(
            credit_trusted=True, credit_released=True, invoice=invoice.id,
        ).action_move_create, expect=OUTSIDE)
        self.assert_not_posted(invoice)


class TestThroughTheGate(PostingCase):

    def test_validate_button_holds_over_limit(self):
        """The Validate button (billing user): over the limit, held, nothing posted."""
        invoice = self.over_limit_invoice()
        action = invoice.sudo(self.user_billing).action_invoice_open()
        self.assert_not_posted(invoice)
        check = self.Check.search([("invoice_id", "=", invoice.id)])
        self.assertEqual(action["res_id"], check.id)
        self.assertEqual((check.trigger, check.reason_codes), ("validation", "limit_exceeded"))
        self.assertTrue(check.is_held)
        self.decide(check, self.user_controller)
        self.assertEqual(invoice.state, "open")
        self.assertTrue(invoice.move_id)

    def test_confirm_wizard_goes_through_the_gate(self):
        """Odoo's 'Validate' list action (account.invoice.confirm) runs the check."""
        invoice = self.over_limit_invoice()
        within = self.create_invoice(self.customer, 100.0, validate=False)
        self.env["account.invoice.confirm"].sudo(self.user_billing).with_context(
            active_ids=(invoice | within).ids).create({}).invoice_confirm()
        self.assert_not_posted(invoice)
        self.assertTrue(self.Check.search([("invoice_id", "=", invoice.id)]).is_held)
        self.assertEqual(within.state, "open")

    def test_credit_notes_are_not_held(self):
        """A credit note lowers the exposure: validated even for a customer on hold."""
        self.small.credit_hold = True
        refund = self.create_invoice(self.small, 300.0, refund=True, validate=False)
        refund.sudo(self.user_billing).action_invoice_open()
        self.assertEqual(refund.state, "open")

    def test_modified_invoice_of_the_credit_note_wizard_is_checked(self):
        """'Modify' posts the credit note; the new invoice is a draft held at validation."""
        invoice = self.create_invoice(self.small, 800.0)
        self.small.credit_hold = True
        wizard = self.env["account.invoice.refund"].sudo(self.user_billing).with_context(
            active_ids=invoice.ids, active_id=invoice.id).create({
                "filter_refund": "modify", "description": "Price correction"})
        wizard.invoice_refund()
        new = self.env["account.invoice"].search([
            ("partner_id", "=", self.small.id), ("type", "=", "out_invoice"),
            ("id", "!=", invoice.id)])
        self.assertEqual(new.state, "draft")
        new.sudo(self.user_billing).action_invoice_open()
        self.assert_not_posted(new)
        self.assertEqual(self.Check.search([("invoice_id", "=", new.id)]).reason_codes,
                         "on_hold")

    def test_cancelled_and_reset_invoice_is_checked_again(self):
        """Cancel, reset to draft, validate again: the check runs again."""
        self.sale_journal.update_posted = True
        invoice = self.create_invoice(self.small, 800.0)
        invoice.sudo(self.user_billing).action_invoice_cancel()
        invoice.sudo(self.user_billing).action_invoice_draft()
        self.small.credit_hold = True
        # a new request (Odoo's reset to draft leaves 'open' in its cache)
        invoice.invalidate_cache()
        invoice.sudo(self.user_billing).action_invoice_open()
        self.assert_not_posted(invoice)
        self.assertTrue(self.Check.search([("invoice_id", "=", invoice.id)]).is_held)

    def test_invoice_of_a_sales_order_is_checked(self):
        """The invoice made from a confirmed order is a draft, checked at validation."""
        order = self.confirmed(self.small, 900.0)
        self.small.credit_hold = True
        invoice = self.env["account.invoice"].browse(
            order.sudo(self.user_sales).action_invoice_create())
        self.assertEqual(invoice.state, "draft")
        invoice.sudo(self.user_billing).action_invoice_open()
        self.assert_not_posted(invoice)
