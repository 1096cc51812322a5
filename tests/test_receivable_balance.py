"""The trigger-kept receivable balance always equals the open items it summarizes."""
from datetime import timedelta

from odoo import fields

from common import CreditCommon


class TestReceivableBalance(CreditCommon):

    def amounts_from_items(self, partners, today):
        """The oracle: {partner: (open, overdue, oldest overdue due date)}
        from the open receivable items read through the ORM."""
        result = {}
        for partner in partners:
            lines = self.env["account.move.line"].search(
                partner._credit_open_items_domain(self.company))
            if not lines:
                continue
            past = lines.filtered(
                lambda line: line.date_maturity and line.date_maturity < today)
            late = past.filtered(lambda line: line.amount_residual > 0)
            result[partner.id] = (
                sum(lines.mapped("amount_residual")),
                max(sum(past.mapped("amount_residual")), 0.0),
                min(late.mapped("date_maturity")) if late else None)
        return result

    def assert_balance_matches_items(self, partners):
        today = fields.Date.context_today(self.env.user)
        from_balance = partners._credit_receivable_amounts(self.company, today)
        from_items = self.amounts_from_items(partners, today)
        self.assertEqual(set(from_balance), set(from_items))
        self.env.cr.execute("""
            SELECT p.commercial_partner_id, SUM(t.amount_residual),
                   MIN(t.oldest_open_due)
              FROM credit_receivable_total t JOIN res_partner p ON p.id = t.partner_id
             WHERE p.commercial_partner_id IN %s GROUP BY 1""", (tuple(partners.ids),))
        totals = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for partner_id, (amount, overdue, oldest) in from_items.items():
            got = from_balance[partner_id]
            self.assertAlmostEqual(got[0], amount, places=2)
            self.assertAlmostEqual(got[1], overdue, places=2)
            self.assertEqual(got[2], oldest)
            total, oldest_open = totals.get(partner_id, (0.0, None))
            self.assertAlmostEqual(float(total), amount, places=2)
            if oldest is not None:  # the oldest open due date, overdue or not
                self.assertLessEqual(oldest_open, oldest)

    def test_balance_follows_invoices_payments_refunds_and_cancel(self):
        """Posting, paying, refunding, cancelling and unreconciling keep it exact."""
        other = self._create_customer("Delta Ltd", 5000.0)
        partners = self.customer | other
        self.sale_journal.update_posted = True
        late = self.create_invoice(self.customer, 1000.0, days_ago=60, due_days=30)
        self.create_invoice(self.customer_contact, 700.0, days_ago=10, due_days=30)
        self.create_invoice(other, 300.0, days_ago=45, due_days=15)
        self.assert_balance_matches_items(partners)
        payment = self.pay_invoice(late, 400.0)
        self.assert_balance_matches_items(partners)
        self.create_invoice(self.customer, 250.0, refund=True)
        draft = self.create_invoice(self.customer, 90.0, validate=False)
        self.assert_balance_matches_items(partners)
        draft.action_invoice_open()
        self.assert_balance_matches_items(partners)
        draft.action_invoice_cancel()
        self.assert_balance_matches_items(partners)
        payment.move_line_ids.remove_move_reconcile()
        self.assert_balance_matches_items(partners)
        self.pay_invoice(late, 1000.0)
        self.assert_balance_matches_items(partners)
        self.customer.invalidate_cache()
        # 700 open, 250 credit note, 400 payment left unreconciled
        self.assertAlmostEqual(self.customer.credit_receivable, 50.0, places=2)

    def test_rebuild_gives_same_rows(self):
        """Rebuilding the table from the items gives the same buckets."""
        self.create_invoice(self.customer, 1000.0, days_ago=60, due_days=30)
        invoice = self.create_invoice(self.customer, 500.0, days_ago=5, due_days=30)
        self.pay_invoice(invoice, 200.0)
        queries = [
            "SELECT partner_id, account_id, date_maturity, amount_residual, "
            "positive_count FROM credit_receivable_balance ORDER BY 1, 2, 3",
            "SELECT partner_id, account_id, amount_residual, oldest_open_due "
            "FROM credit_receivable_total WHERE amount_residual <> 0 ORDER BY 1, 2"]
        before = []
        for query in queries:
            self.env.cr.execute(query)
            before.append(self.env.cr.fetchall())
        self.env["credit.receivable.balance"]._rebuild()
        for query, rows in zip(queries, before):
            self.env.cr.execute(query)
            self.assertEqual(self.env.cr.fetchall(), rows)

    def test_manual_entry_counts_once_posted(self):
        """A draft journal entry counts only once posted."""
        move = self.env["account.move"].create({
            "journal_id": self.misc_journal.id,
            "line_ids": [
                (0, 0, {"name": "Opening", "account_id": self.receivable_account.id,
                        "partner_id": self.customer.id, "debit": 800.0,
                        "date_maturity": fields.Date.to_string(
                            self.today - timedelta(days=3))}),
                (0, 0, {"name": "Opening", "account_id": self.income_account.id,
                        "credit": 800.0})]})
        self.customer.invalidate_cache()
        self.assertAlmostEqual(self.customer.credit_receivable, 0.0)
        move.post()
        self.customer.invalidate_cache()
        self.assertAlmostEqual(self.customer.credit_receivable, 800.0)
        self.assertEqual(self.customer.credit_overdue_days, 3)
        self.assert_balance_matches_items(self.customer)
