"""Cash discount in the books: 2/10 net 30 paid on day 9 and on day 11,
partial payments, credit notes, the tax correction, no account configured."""
from datetime import timedelta

from odoo import fields

from common import CreditCommon, render_report_html


class CashDiscountCase(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env["credit.term.template"].create({
            "name": "2/10 net 30 (test)", "discount_percent": 2.0,
            "discount_days": 10, "net_days": 30})
        cls.term = cls.template.payment_term_id
        cls.discount_account = cls.env["account.account"].create({
            "code": "CMT6700", "name": "Cash Discount Granted",
            "user_type_id": cls.env.ref(
                "account.data_account_type_expenses").id,
            "company_id": cls.company.id})
        cls.company.credit_cash_discount_account_id = cls.discount_account

    def invoice(self, amount, days_ago, taxes=True, refund=False):
        date_invoice = self.today - timedelta(days=days_ago)
        invoice = self.env["account.invoice"].create({
            "partner_id": self.customer.id,
            "type": "out_refund" if refund else "out_invoice",
            "account_id": self.receivable_account.id,
            "journal_id": self.sale_journal.id,
            "date_invoice": fields.Date.to_string(date_invoice),
            "payment_term_id": self.term.id,
            "invoice_line_ids": [(0, 0, {
                "name": "Goods", "quantity": 1, "price_unit": amount,
                "account_id": self.income_account.id,
                "invoice_line_tax_ids": [(6, 0, self.tax.ids if taxes else [])],
            })],
        })
        invoice.action_invoice_open()
        return invoice

    def discount_lines(self, invoice):
        return invoice.credit_discount_move_id.line_ids


class TestCashDiscount(CashDiscountCase):

    def test_term_and_invoice_know_the_discount(self):
        self.assertAlmostEqual(self.term.credit_discount_percent, 2.0)
        self.assertEqual(self.term.credit_discount_days, 10)
        invoice = self.invoice(1000.0, days_ago=9)
        self.assertAlmostEqual(invoice.amount_total, 1100.0)
        self.assertAlmostEqual(invoice.credit_discount_amount, 22.0)
        self.assertAlmostEqual(invoice.credit_discount_total, 1078.0)
        self.assertEqual(invoice.credit_discount_date, fields.Date.to_string(
            self.today + timedelta(days=1)))
        self.assertEqual(invoice.date_due, fields.Date.to_string(
            self.today + timedelta(days=21)))
        html = render_report_html(self.env, "account.account_invoices",
                                  invoice.ids).decode()
        self.assertIn("Cash discount", html)
        self.assertIn("1,078.00", html)

    def test_paid_on_day_9_for_the_discounted_amount(self):
        """Day 9: the discounted amount settles the invoice; the discount is
        posted net to the discount account, the tax corrected."""
        invoice = self.invoice(1000.0, days_ago=9)
        self.pay_invoice(invoice, 1078.0)
        self.assertEqual(invoice.state, "paid")
        self.assertAlmostEqual(invoice.residual, 0.0)
        lines = self.discount_lines(invoice)
        self.assertEqual(invoice.credit_discount_move_id.state, "posted")
        self.assertEqual(invoice.credit_discount_move_id.date,
                         fields.Date.to_string(self.today))
        by_account = {line.account_id: line.debit - line.credit
                      for line in lines}
        self.assertAlmostEqual(by_account[self.receivable_account], -22.0)
        self.assertAlmostEqual(by_account[self.discount_account], 20.0)
        self.assertAlmostEqual(by_account[self.tax_account], 2.0)
        tax_line = lines.filtered(lambda l: l.account_id == self.tax_account)
        self.assertEqual(tax_line.tax_line_id, self.tax)
        # the customer owes nothing more
        self.assertAlmostEqual(self.customer.credit_receivable, 0.0)
        # and paid on time: the discount taken is not a late payment
        behaviour = self.customer._credit_payment_behaviour(
            self.company)[self.customer.id]
        self.assertEqual((behaviour.invoices_paid, behaviour.paid_on_time),
                         (1, 1))
        self.assertEqual(behaviour.max_days_late, 0)

    def test_paid_on_day_11_stays_partial(self):
        """Day 11: the deadline passed; the full amount is due, 22 stays open."""
        invoice = self.invoice(1000.0, days_ago=11)
        self.pay_invoice(invoice, 1078.0)
        self.assertEqual(invoice.state, "open")
        self.assertAlmostEqual(invoice.residual, 22.0)
        self.assertFalse(invoice.credit_discount_move_id)

    def test_payment_dated_on_the_deadline_earns_it(self):
        invoice = self.invoice(1000.0, days_ago=10)
        self.pay_invoice(invoice, 1078.0)
        self.assertEqual(invoice.state, "paid")

    def test_partial_payments_add_up_before_the_deadline(self):
        invoice = self.invoice(1000.0, days_ago=9)
        self.pay_invoice(invoice, 500.0, days_ago=5)
        self.assertEqual(invoice.state, "open")
        self.assertFalse(invoice.credit_discount_move_id)
        self.pay_invoice(invoice, 578.0)
        self.assertEqual(invoice.state, "paid")
        self.assertTrue(invoice.credit_discount_move_id)

    def test_full_payment_takes_no_discount(self):
        invoice = self.invoice(1000.0, days_ago=3)
        self.pay_invoice(invoice, 1100.0)
        self.assertEqual(invoice.state, "paid")
        self.assertFalse(invoice.credit_discount_move_id)

    def test_credit_note_reduces_the_discount_base(self):
        """A credit note of 110 applied: discount 2 % of 990 = 19.80."""
        invoice = self.invoice(1000.0, days_ago=5)
        refund = self.invoice(100.0, days_ago=4, refund=True)
        refund_line = refund.move_id.line_ids.filtered(
            lambda l: l.account_id == self.receivable_account)
        invoice.assign_outstanding_credit(refund_line.id)
        self.assertAlmostEqual(invoice.residual, 990.0)
        self.pay_invoice(invoice, 970.20)
        self.assertEqual(invoice.state, "paid")
        receivable = self.discount_lines(invoice).filtered(
            lambda l: l.account_id == self.receivable_account)
        self.assertAlmostEqual(receivable.credit, 19.80)

    def test_without_account_nothing_is_posted(self):
        self.company.credit_cash_discount_account_id = False
        invoice = self.invoice(1000.0, days_ago=9)
        self.pay_invoice(invoice, 1078.0)
        self.assertEqual(invoice.state, "open")
        self.assertAlmostEqual(invoice.residual, 22.0)
        self.assertIn("not posted", invoice.message_ids[0].body)

    def test_no_tax_invoice_posts_all_to_the_discount_account(self):
        invoice = self.invoice(1000.0, days_ago=2, taxes=False)
        self.pay_invoice(invoice, 980.0)
        self.assertEqual(invoice.state, "paid")
        lines = self.discount_lines(invoice)
        self.assertEqual(len(lines), 2)
        self.assertAlmostEqual(sum(lines.filtered(
            lambda l: l.account_id == self.discount_account).mapped("debit")),
            20.0)


class TestCashDiscountOnStatement(CashDiscountCase):

    def test_statement_shows_the_discount_deadline(self):
        """The customer statement (the credit team's print and the portal's
        download) shows the discount deadline and the discounted total of an
        invoice still within it, nothing once it has passed."""
        within = self.invoice(1000.0, days_ago=4)
        self.invoice(500.0, days_ago=20)  # deadline passed
        html = render_report_html(
            self.env(user=self.user_controller),
            "credit_management.credit_statement_report_action",
            self.customer.ids).decode()
        self.assertIn("Discount Until", html)
        self.assertIn(within.credit_discount_date, html)  # data-oe-original
        self.assertIn("1,078.00", html)
        self.assertNotIn("539.00", html)  # 2 % off the later invoice's 550
