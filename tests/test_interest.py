"""Overdue interest: 45 days at the term's rate, run twice without double
counting, grace days, minimum, invoiced as a draft, on the statement."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError

from common import CreditCommon


class InterestCase(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env["credit.term.template"].create({
            "name": "Net 30, 18 % interest (test)", "net_days": 30,
            "overdue_interest_rate": 18.0})
        cls.interest_account = cls.env["account.account"].create({
            "code": "CMT7100", "name": "Interest Income",
            "user_type_id": cls.env.ref(
                "account.data_account_type_other_income").id,
            "company_id": cls.company.id})
        cls.policy.write({"interest_mode": "proposed",
                          "interest_grace_days": 0,
                          "interest_min_amount": 0.0,
                          "interest_account_id": cls.interest_account.id})
        cls.Interest = cls.env["credit.interest.line"]

    def day(self, days):
        return fields.Date.to_string(self.today + timedelta(days=days))

    def invoice(self, amount, days_overdue, partner=None):
        """An invoice on the term (net 30) due ``days_overdue`` days ago."""
        date_invoice = self.today - timedelta(days=30 + days_overdue)
        invoice = self.env["account.invoice"].create({
            "partner_id": (partner or self.customer).id,
            "type": "out_invoice",
            "account_id": self.receivable_account.id,
            "journal_id": self.sale_journal.id,
            "date_invoice": fields.Date.to_string(date_invoice),
            "payment_term_id": self.template.payment_term_id.id,
            "invoice_line_ids": [(0, 0, {
                "name": "Goods", "quantity": 1, "price_unit": amount,
                "account_id": self.income_account.id})],
        })
        invoice.action_invoice_open()
        return invoice

    def run_interest(self, days=0):
        return self.Interest._cron_run(date=self.day(days),
                                       company_ids=self.company.ids)


class TestInterest(InterestCase):

    def test_45_days_at_the_term_rate_and_never_twice(self):
        invoice = self.invoice(10000.0, days_overdue=45)
        self.assertEqual(invoice.date_due, self.day(-45))
        lines = self.run_interest()
        self.assertEqual(len(lines), 1)
        self.assertEqual(lines.invoice_id, invoice)
        self.assertEqual(lines.days, 45)
        self.assertEqual(lines.period_start, self.day(-44))
        self.assertEqual(lines.period_end, self.day(0))
        # 10,000 x 18 % x 45 / 365
        self.assertAlmostEqual(lines.amount, 221.92)
        self.assertEqual(lines.state, "proposed")
        # the same day again: nothing more
        self.assertFalse(self.run_interest())
        # a month later: only the 30 new days
        later = self.run_interest(30)
        self.assertEqual(later.days, 30)
        self.assertEqual(later.period_start, self.day(1))
        self.assertAlmostEqual(later.amount, 147.95)
        self.assertEqual(sum(self.Interest.search(
            [("invoice_id", "=", invoice.id)]).mapped("days")), 75)

    def test_paid_invoices_and_terms_without_rate_bear_none(self):
        paid = self.invoice(1000.0, days_overdue=20)
        self.pay_invoice(paid, 1000.0)
        self.create_invoice(self.customer, 1000.0, days_ago=60, due_days=30)
        self.assertFalse(self.run_interest())

    def test_grace_days_and_minimum(self):
        self.policy.write({"interest_grace_days": 10,
                           "interest_min_amount": 50.0})
        self.invoice(10000.0, days_overdue=8)
        self.assertFalse(self.run_interest())  # within grace
        # 12 days overdue: 59.18 above the minimum, from the due date
        lines = self.run_interest(4)
        self.assertEqual(lines.days, 12)
        self.assertAlmostEqual(lines.amount, 59.18)
        # below the minimum: not charged, the days wait for a later run
        self.assertFalse(self.run_interest(10))
        self.assertEqual(self.run_interest(20).days, 16)

    def test_off_charges_nothing(self):
        self.policy.interest_mode = "off"
        self.invoice(10000.0, days_overdue=45)
        self.assertFalse(self.run_interest())

    def test_invoiced_mode_drafts_one_invoice_per_customer(self):
        self.policy.interest_mode = "invoiced"
        other = self._create_customer("Beta Imports Co", 50000.0)
        self.invoice(10000.0, days_overdue=45)
        self.invoice(5000.0, days_overdue=10)
        self.invoice(2000.0, days_overdue=45, partner=other)
        lines = self.run_interest()
        self.assertEqual(len(lines), 3)
        invoices = lines.mapped("interest_invoice_id")
        self.assertEqual(len(invoices), 2)
        mine = invoices.filtered(lambda i: i.partner_id == self.customer)
        self.assertEqual(mine.state, "draft")
        self.assertEqual(len(mine.invoice_line_ids), 2)
        self.assertAlmostEqual(mine.amount_total, 221.92 + 24.66)
        self.assertEqual(mine.invoice_line_ids.mapped("account_id"),
                         self.interest_account)
        self.assertEqual(set(lines.mapped("state")), {"invoiced"})
        # validated, it is receivable like any other invoice
        before = self.customer.credit_receivable
        mine.action_invoice_open()
        self.customer.invalidate_cache()
        self.assertAlmostEqual(self.customer.credit_receivable,
                               before + mine.amount_total)
        # the interest invoice itself bears no interest (no credit terms)
        self.assertFalse(self.run_interest(40).filtered(
            lambda l: l.invoice_id == mine))

    def test_invoiced_mode_needs_an_account(self):
        with self.assertRaises(ValidationError):
            self.policy.write({"interest_mode": "invoiced",
                               "interest_account_id": False})

    def test_statement_lists_the_interest(self):
        self.invoice(10000.0, days_overdue=45)
        self.run_interest()
        lines = self.customer.credit_interest_lines(self.company.id)
        self.assertAlmostEqual(sum(lines.mapped("amount")), 221.92)
        template = self.env.ref("credit_management.mail_template_credit_reminder")
        body = template.with_context(
            credit_company_id=self.company.id,
            credit_date=self.day(0)).render_template(
                template.body_html, "res.partner", self.customer.id)
        self.assertIn("Overdue interest", body)
        self.assertIn("221.92", body)
        # paid, the item's proposed interest leaves the statement
        invoice = lines.invoice_id
        self.pay_invoice(invoice, 10000.0)
        self.assertFalse(self.customer.credit_interest_lines(self.company.id))
