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
        # a partner whose open items add up to nothing has no bucket left
        empty = (0.0, 0.0, None)
        self.assertEqual(
            {key for key, value in from_balance.items() if value != empty},
            {key for key, value in from_items.items() if value != empty})
        self.env.cr.execute("""
            SELECT p.commercial_partner_id, SUM(t.amount_residual),
                   MIN(t.oldest_open_due)
              FROM credit_receivable_total t JOIN res_partner p ON p.id = t.partner_id
             WHERE p.commercial_partner_id IN %s GROUP BY 1""", (tuple(partners.ids),))
        totals = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for partner_id, (amount, overdue, oldest) in from_items.items():
            got = from_balance.get(partner_id, empty)
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

    # ------------------------------------------------------------------
    # whole tables against the items, set-based statements
    # ------------------------------------------------------------------
    def assert_tables_match_items(self):
        """Every bucket and total equals the sum over the items, read through
        the ORM and added up in Python (independent of the triggers' SQL)."""
        self.env["account.move.line"].invalidate_cache()
        lines = self.env["account.move.line"].search([
            ("account_id.internal_type", "=", "receivable"),
            ("reconciled", "=", False), ("move_id.state", "=", "posted"),
            ("partner_id", "!=", False)])
        buckets, totals = {}, {}
        for line in lines:
            key = (line.partner_id.id, line.account_id.id, line.date_maturity)
            amount, positive = buckets.get(key, (0.0, 0))
            buckets[key] = (amount + line.amount_residual,
                            positive + (line.amount_residual > 0))
        buckets = {key: (round(amount, 2), positive)
                   for key, (amount, positive) in buckets.items()
                   if positive or round(amount, 2)}
        for (partner, account, due), (amount, positive) in buckets.items():
            total, oldest = totals.get((partner, account), (0.0, None))
            if positive and (oldest is None or due < oldest):
                oldest = due
            totals[(partner, account)] = (round(total + amount, 2), oldest)
        self.env.cr.execute("""
            SELECT partner_id, account_id, date_maturity::varchar,
                   amount_residual, positive_count
              FROM credit_receivable_balance""")
        got = {row[:3]: (round(float(row[3]), 2), row[4])
               for row in self.env.cr.fetchall()}
        self.assertEqual(got, buckets)
        self.env.cr.execute("""
            SELECT partner_id, account_id, amount_residual,
                   oldest_open_due::varchar
              FROM credit_receivable_total
             WHERE amount_residual <> 0 OR oldest_open_due IS NOT NULL""")
        got = {row[:2]: (round(float(row[2]), 2), row[3])
               for row in self.env.cr.fetchall()}
        self.assertEqual(got, {key: value for key, value in totals.items()
                               if value[0] or value[1]})

    def _due(self, days):
        return fields.Date.to_string(self.today + timedelta(days=days))

    def _entry(self, lines, post=True):
        """A miscellaneous entry: ``lines`` = [(partner, amount, due in
        days)] on the receivable account, balanced by one income line."""
        vals = [(0, 0, {"name": "Item", "account_id": self.receivable_account.id,
                        "partner_id": partner.id,
                        "debit": amount if amount > 0 else 0.0,
                        "credit": -amount if amount < 0 else 0.0,
                        "date_maturity": self._due(days)})
                for partner, amount, days in lines]
        balance = sum(amount for _partner, amount, _days in lines)
        vals.append((0, 0, {"name": "Counterpart",
                            "account_id": self.income_account.id,
                            "debit": -balance if balance < 0 else 0.0,
                            "credit": balance if balance > 0 else 0.0}))
        move = self.env["account.move"].create({
            "journal_id": self.misc_journal.id, "line_ids": vals})
        if post:
            move.post()
        return move

    def test_multi_line_entries_touching_many_partners(self):
        """One entry with many lines over many partners, posted, cancelled
        and posted again in one statement each; lines inserted and residuals
        changed for many partners by single SQL statements."""
        self.misc_journal.update_posted = True
        partners = self.customer | self.customer_contact
        for index in range(6):
            partners |= self._create_customer("Bulk %d" % index)
        lines = [(partner, 10.0 * (index + 1) * (-1 if index % 7 == 3 else 1),
                  15 * (index % 4) - 20)
                 for index, partner in enumerate(list(partners) * 5)]
        first = self._entry(lines)
        second = self._entry(lines[:9], post=False)
        self.assert_tables_match_items()
        (first | second).post()  # one UPDATE of account_move for both
        self.assert_tables_match_items()
        self.assert_balance_matches_items(partners.mapped("commercial_partner_id"))
        (first | second).button_cancel()  # one UPDATE, both back to draft
        self.env.cr.execute(
            "SELECT count(*) FROM credit_receivable_balance WHERE partner_id IN %s",
            (tuple(partners.ids),))
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.assert_tables_match_items()
        first.post()
        # one INSERT of several lines for several partners into a posted entry
        self.env.cr.execute("""
            INSERT INTO account_move_line
                   (move_id, name, account_id, partner_id, company_id,
                    journal_id, date, date_maturity, debit, credit, balance,
                    amount_residual, reconciled)
            SELECT m.id, 'SQL', %(account)s, p.id, m.company_id,
                   m.journal_id, m.date, m.date + p.id %% 3, 5, 0, 5,
                   5 * p.id %% 4 - 1, false
              FROM account_move m, res_partner p
             WHERE m.id = %(move)s AND p.id IN %(partners)s
        """, {"account": self.receivable_account.id, "move": first.id,
              "partners": tuple(partners.ids)})
        self.assert_tables_match_items()
        # one UPDATE of many residuals (a reconciliation written by SQL)
        self.env.cr.execute("""
            UPDATE account_move_line
               SET amount_residual = CASE WHEN id %% 2 = 0 THEN 0
                                          ELSE amount_residual / 2 END,
                   reconciled = id %% 2 = 0
             WHERE move_id = %s AND account_id = %s""",
                            (first.id, self.receivable_account.id))
        self.assert_tables_match_items()
        self.assert_balance_matches_items(partners.mapped("commercial_partner_id"))

    def test_line_updates_move_the_amount_between_buckets(self):
        """Changing the partner, account or due date of posted lines moves
        their residual from one bucket and total to another."""
        other = self._create_customer("Echo Ltd")
        second_receivable = self.env["account.account"].create({
            "code": "CMT1101", "name": "Test Receivable 2", "reconcile": True,
            "user_type_id": self.env.ref("account.data_account_type_receivable").id,
            "company_id": self.company.id})
        move = self._entry([(self.customer, 400.0, -10), (self.customer, 300.0, 20),
                            (self.customer, -50.0, 5), (other, 200.0, -40)])
        invoice = self.create_invoice(self.customer, 120.0, days_ago=40, due_days=10)
        self.assert_tables_match_items()
        item = move.line_ids.filtered(lambda l: l.debit == 400.0)
        item.write({"partner_id": other.id})  # allowed on a posted entry
        self.assert_tables_match_items()
        item.write({"date_maturity": self._due(-70)})
        self.assert_tables_match_items()
        invoice_item = invoice.move_id.line_ids.filtered(
            lambda l: l.account_id == self.receivable_account)
        invoice_item.write({"date_maturity": self._due(3)})
        self.assert_tables_match_items()
        self.assert_balance_matches_items(self.customer | other)
        # the account of a posted item can only be changed by SQL
        for account in (second_receivable, self.income_account,
                        self.receivable_account):
            self.env.cr.execute(
                "UPDATE account_move_line SET account_id = %s WHERE id = %s",
                (account.id, item.id))
            self.assert_tables_match_items()
        # partner, account and due date of several lines in one statement,
        # two of them swapping partners
        self.env.cr.execute("""
            UPDATE account_move_line
               SET partner_id = CASE WHEN partner_id = %(a)s THEN %(b)s
                                     ELSE %(a)s END,
                   account_id = CASE WHEN debit = 300 THEN %(acc2)s
                                     ELSE account_id END,
                   date_maturity = date_maturity - 7
             WHERE move_id = %(move)s AND partner_id IS NOT NULL""",
                            {"a": self.customer.id, "b": other.id,
                             "acc2": second_receivable.id, "move": move.id})
        self.assert_tables_match_items()
        self.assert_balance_matches_items(self.customer | other)

    def test_account_type_change(self):
        """An account that stops being a receivable takes its items out of
        the totals, and brings them back when it is one again."""
        other_receivable = self.env["account.account"].create({
            "code": "CMT1102", "name": "Test Receivable 3", "reconcile": True,
            "user_type_id": self.env.ref("account.data_account_type_receivable").id,
            "company_id": self.company.id})
        move = self._entry([(self.customer, 400.0, -10), (self.customer, 300.0, 20)])
        self.env.cr.execute(
            "UPDATE account_move_line SET account_id = %s WHERE move_id = %s "
            "AND debit = 400", (other_receivable.id, move.id))
        self.assert_tables_match_items()
        self.customer.invalidate_cache()
        self.assertAlmostEqual(self.customer.credit_receivable, 700.0)
        other_receivable.user_type_id = self.env.ref(
            "account.data_account_type_current_assets")
        self.assertNotEqual(other_receivable.internal_type, "receivable")
        self.assert_tables_match_items()
        self.customer.invalidate_cache()
        self.assertAlmostEqual(self.customer.credit_receivable, 300.0)
        other_receivable.user_type_id = self.env.ref(
            "account.data_account_type_receivable")
        self.assert_tables_match_items()
        self.assert_balance_matches_items(self.customer)

    def test_deleting_entries(self):
        """A draft entry deleted changes nothing; a posted entry deleted by
        SQL (Odoo refuses it) leaves its residuals with it."""
        posted = self._entry([(self.customer, 500.0, -5)])
        self.assert_tables_match_items()
        self.env.cr.execute(
            "SELECT * FROM credit_receivable_balance ORDER BY id")
        before = self.env.cr.fetchall()
        draft = self._entry([(self.customer, 250.0, -5), (self.customer, 80.0, 30)],
                            post=False)
        draft.unlink()
        self.env.cr.execute(
            "SELECT * FROM credit_receivable_balance ORDER BY id")
        self.assertEqual(self.env.cr.fetchall(), before)
        self.assert_tables_match_items()
        self.env.cr.execute("DELETE FROM account_move WHERE id = %s", (posted.id,))
        self.env["account.move"].invalidate_cache()
        self.assert_tables_match_items()
        self.customer.invalidate_cache()
        self.assertAlmostEqual(self.customer.credit_receivable, 0.0)

    def test_upgrade_from_row_triggers_rebuilds(self):
        """Upgrading a database that has the first version's row-level
        triggers drops them and refills the totals from the items (that
        version missed entries deleted by SQL and account type changes)."""
        self.create_invoice(self.customer, 1000.0, days_ago=60, due_days=30)
        self._entry([(self.customer, 300.0, -5), (self.customer_contact, 80.0, 9)])
        cr = self.env.cr
        cr.execute("""
            CREATE FUNCTION credit_balance_aml_trigger() RETURNS trigger AS $$
            BEGIN RETURN NULL; END $$ LANGUAGE plpgsql;
            CREATE TRIGGER credit_balance_aml AFTER INSERT ON account_move_line
                FOR EACH ROW EXECUTE PROCEDURE credit_balance_aml_trigger();
            UPDATE credit_receivable_balance SET amount_residual = 1;
            UPDATE credit_receivable_total SET amount_residual = 1;""")
        self.env["credit.receivable.balance"].init()
        self.assert_tables_match_items()
        cr.execute("SELECT tgname FROM pg_trigger WHERE tgname = 'credit_balance_aml'")
        self.assertFalse(cr.fetchall())
        # once they are gone, an upgrade does not read every item again
        cr.execute("UPDATE credit_receivable_total SET amount_residual = 1")
        self.env["credit.receivable.balance"].init()
        cr.execute("SELECT DISTINCT amount_residual FROM credit_receivable_total")
        self.assertEqual(cr.fetchall(), [(1,)])

    # ------------------------------------------------------------------
    # uninstall
    # ------------------------------------------------------------------
    def test_uninstall_drops_every_database_object(self):
        """The uninstall hook drops the tables, functions and triggers of the
        balance and every index the addon creates on core tables."""
        import os
        import re

        from odoo.addons.credit_management import hooks
        root = os.path.dirname(os.path.abspath(hooks.__file__))
        created = set()
        for folder, _dirs, files in os.walk(root):
            for name in files:
                if name.endswith(".py"):
                    with open(os.path.join(folder, name)) as source:
                        created |= {index for index, table in re.findall(
                            r"CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?"
                            r"(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s+ON\s+(\w+)",
                            source.read(), re.IGNORECASE)
                            if not table.startswith("credit_")}  # ours: dropped
        self.assertTrue(created)
        self.assertEqual(created - set(hooks.CORE_TABLE_INDEXES), set(),
                         "an index created on a core table is not dropped")
        cr = self.env.cr

        def leftovers():
            cr.execute("""
                SELECT 'index ' || indexname FROM pg_indexes
                 WHERE indexname IN %s
                UNION ALL
                SELECT 'table ' || relname FROM pg_class
                 WHERE relname LIKE 'credit\\_receivable\\_%%' AND relkind = 'r'
                UNION ALL
                SELECT 'function ' || proname FROM pg_proc
                 WHERE proname LIKE 'credit\\_balance\\_%%'
                UNION ALL
                SELECT 'trigger ' || tgname FROM pg_trigger
                 WHERE tgname LIKE 'credit\\_%%' AND NOT tgisinternal
            """, (tuple(hooks.CORE_TABLE_INDEXES),))
            return sorted(row[0] for row in cr.fetchall())

        self.assertEqual(len([o for o in leftovers() if o.startswith("trigger")]), 6)
        self.assertEqual(len([o for o in leftovers() if o.startswith("index")]),
                         len(hooks.CORE_TABLE_INDEXES))
        cr.execute("SAVEPOINT uninstall")
        try:
            hooks.uninstall_hook(cr, self.env.registry)
            self.assertEqual(leftovers(), [])
        finally:
            cr.execute("ROLLBACK TO SAVEPOINT uninstall")
