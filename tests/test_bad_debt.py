"""Bad-debt write-off: entry, reconciliation, record, KPI, review, access."""
from odoo.exceptions import AccessError, UserError

from common import CreditCommon


class TestBadDebtWriteOff(CreditCommon):

    def wizard(self, user, invoices, partner=None, **vals):
        values = {"partner_id": (partner or self.customer).id,
                  "invoice_ids": [(6, 0, invoices.ids)],
                  "account_id": self.expense_account.id,
                  "journal_id": self.misc_journal.id,
                  "reason": "Customer declared bankrupt"}
        values.update(vals)
        return self.env["credit.bad.debt.write.off"].sudo(user).create(values)

    def test_write_off_posts_reconciles_records_and_triggers_review(self):
        """The entry credits the receivable, debits bad debt and closes the invoices."""
        inv1 = self.create_invoice(self.customer, 1000.0, days_ago=200)
        inv2 = self.create_invoice(self.customer, 500.0, days_ago=150)
        self.pay_invoice(inv1, 300.0, days_ago=100)
        action = self.wizard(self.user_manager, inv1 | inv2).action_apply()
        record = self.env["credit.bad.debt"].browse(action["res_id"])
        self.assertAlmostEqual(record.amount, 1200.0)
        self.assertEqual(record.user_id, self.user_manager)
        self.assertEqual(record.invoice_ids, inv1 | inv2)
        self.assertEqual(record.move_id.state, "posted")
        expense = record.move_id.line_ids.filtered(
            lambda l: l.account_id == self.expense_account)
        self.assertAlmostEqual(expense.debit, 1200.0)
        receivable = record.move_id.line_ids.filtered(
            lambda l: l.account_id == self.receivable_account)
        self.assertAlmostEqual(sum(receivable.mapped("credit")), 1200.0)
        self.assertTrue(all(receivable.mapped("reconciled")))
        self.assertEqual((inv1.state, inv2.state), ("paid", "paid"))
        self.assertAlmostEqual(self.customer.credit_receivable, 0.0)
        # grade review due today, with an activity
        self.assertEqual(self.customer.credit_review_date, str(self.today))
        self.assertTrue(self.customer.activity_ids.filtered(
            lambda a: "bad-debt" in (a.summary or "")))
        # bad-debt ratio: 1200 written off over 1500 of sales in 12 months
        self.assertAlmostEqual(self.customer.credit_bad_debt_ratio, 80.0)
        # the record is read-only
        with self.assertRaises(UserError):
            record.sudo(self.user_manager).write({"reason": "changed"})
        with self.assertRaises(UserError):
            record.sudo(self.user_manager).unlink()

    def test_controller_cannot_write_off(self):
        """Only managers write off; nothing is posted otherwise."""
        inv = self.create_invoice(self.customer, 1000.0, days_ago=200)
        with self.assertRaises(AccessError):
            self.wizard(self.user_controller, inv).action_apply()
        self.assertEqual(inv.state, "open")
        self.assertFalse(self.env["credit.bad.debt"].search([]))

    def test_invoice_of_another_customer_refused(self):
        """Invoices of another customer or already paid ones are refused."""
        other = self._create_customer("Other Debtor", 1000.0)
        inv = self.create_invoice(other, 100.0, days_ago=200)
        with self.assertRaises(UserError):
            self.wizard(self.user_manager, inv).action_apply()
        paid = self.create_invoice(self.customer, 100.0, days_ago=10)
        self.pay_invoice(paid, 100.0)
        with self.assertRaises(UserError):
            self.wizard(self.user_manager, paid).action_apply()
        with self.assertRaises(UserError):
            self.wizard(self.user_manager, self.env["account.invoice"]).action_apply()
        self.assertEqual(inv.state, "open")

    def test_foreign_currency_invoice_written_off_fully(self):
        """A foreign-currency invoice is written off in both currencies and closed."""
        foreign = self.env.ref("base.USD" if self.currency.name != "USD" else "base.EUR")
        foreign.active = True
        self.env["res.currency.rate"].create({
            "currency_id": foreign.id, "rate": 2.0 * self.currency.rate,
            "name": "2000-01-01", "company_id": self.company.id})
        inv = self.create_invoice(self.customer, 1000.0, days_ago=200, currency=foreign)
        action = self.wizard(self.user_manager, inv).action_apply()
        record = self.env["credit.bad.debt"].browse(action["res_id"])
        self.assertAlmostEqual(record.amount, 500.0)
        self.assertEqual(inv.state, "paid")

    def test_wizard_defaults_from_partner(self):
        """Opened from a customer, the wizard proposes its open invoices."""
        inv = self.create_invoice(self.customer, 100.0, days_ago=200)
        Wizard = self.env["credit.bad.debt.write.off"].sudo(self.user_manager).with_context(
            active_model="res.partner", active_id=self.customer_contact.id)
        values = Wizard.default_get(["partner_id", "company_id"])
        self.assertEqual(values["partner_id"], self.customer.id)
        wizard = Wizard.new(values)
        wizard._onchange_partner_id()
        self.assertEqual(wizard.invoice_ids, inv)
