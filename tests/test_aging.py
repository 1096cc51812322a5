"""Receivable aging snapshots: buckets, equality with Odoo's Aged Partner Balance, cron."""
from datetime import timedelta

from odoo import fields

from common import CreditCommon

BUCKETS = ("amount_not_due", "amount_1_30", "amount_31_60", "amount_61_90",
           "amount_91_120", "amount_over_120")
# Odoo's report columns for the same buckets (period length 30)
REPORT_COLUMNS = ("direction", "4", "3", "2", "1", "0")


class AgingCommon(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Aging = cls.env["credit.aging"]

    def day(self, days_ago):
        return fields.Date.to_string(self.today - timedelta(days=days_ago))

    def overdue_invoice(self, partner, amount, days_past_due, as_of_days_ago=0, **kw):
        """An invoice dated and due ``days_past_due`` days before the as-of date."""
        return self.create_invoice(partner, amount,
                                   days_ago=days_past_due + as_of_days_ago, due_days=0, **kw)

    def odoo_report(self, date, company=None):
        report = self.env["report.account.report_agedpartnerbalance"].with_context(
            company_ids=((company or self.company).id,))
        rows, _total, _lines = report._get_partner_move_lines(
            ["receivable"], date, "posted", 30)
        return {row["partner_id"]: row for row in rows}

    def assert_equals_odoo_report(self, date, company=None):
        company = company or self.company
        ours = self.Aging._compute_rows(company, date)
        theirs = self.odoo_report(date, company)
        self.assertEqual(set(ours), set(theirs))
        for partner_id, row in theirs.items():
            for field, column in zip(BUCKETS, REPORT_COLUMNS):
                self.assertAlmostEqual(float(ours[partner_id][field]), row[column], 2,
                                       "%s %s" % (partner_id, field))
            self.assertAlmostEqual(float(ours[partner_id]["amount_total"]), row["total"], 2)
        return ours


class TestAgingBuckets(AgingCommon):

    def test_bucket_edges(self):
        """Items due 0, 1, 30, 31, 120 and 121 days ago land in Odoo's buckets."""
        for days, amount in ((0, 1.0), (1, 10.0), (30, 100.0), (31, 1000.0),
                             (120, 10000.0), (121, 100000.0)):
            self.overdue_invoice(self.customer, amount, days)
        row = self.Aging._compute_rows(self.company, self.day(0))[self.customer.id]
        self.assertAlmostEqual(float(row["amount_not_due"]), 1.0)
        self.assertAlmostEqual(float(row["amount_1_30"]), 110.0)
        self.assertAlmostEqual(float(row["amount_31_60"]), 1000.0)
        self.assertAlmostEqual(float(row["amount_61_90"]), 0.0)
        self.assertAlmostEqual(float(row["amount_91_120"]), 10000.0)
        self.assertAlmostEqual(float(row["amount_over_120"]), 100000.0)
        self.assertAlmostEqual(float(row["amount_total"]), 111111.0)
        self.assertAlmostEqual(float(row["amount_overdue"]), 111110.0)
        self.assertEqual(row["max_days_overdue"], 121)
        self.assert_equals_odoo_report(self.day(0))

    def test_partial_payment_and_credit_note_reduce_buckets(self):
        """A partial payment reduces its invoice's bucket; an open credit note counts negative."""
        inv = self.overdue_invoice(self.customer, 1000.0, 45)
        self.pay_invoice(inv, 400.0, days_ago=2)
        refund = self.create_invoice(self.customer, 150.0, days_ago=10, refund=True)
        row = self.Aging._compute_rows(self.company, self.day(0))[self.customer.id]
        self.assertAlmostEqual(float(row["amount_31_60"]), 600.0)
        self.assertAlmostEqual(float(row["amount_1_30"]), -150.0)
        self.assertAlmostEqual(float(row["amount_total"]), 450.0)
        self.assertEqual(row["max_days_overdue"], 45)
        # the credit note applied to the invoice moves the reduction into its bucket
        credit_line = refund.move_id.line_ids.filtered(
            lambda l: l.account_id == self.receivable_account)
        inv.assign_outstanding_credit(credit_line.id)
        row = self.Aging._compute_rows(self.company, self.day(0))[self.customer.id]
        self.assertAlmostEqual(float(row["amount_31_60"]), 450.0)
        self.assertAlmostEqual(float(row["amount_1_30"]), 0.0)
        self.assert_equals_odoo_report(self.day(0))

    def test_as_of_date_undoes_later_payments(self):
        """As of a past date, payments dated later do not count (Odoo's max_date rule)."""
        inv = self.overdue_invoice(self.customer, 800.0, 20)
        self.pay_invoice(inv, 800.0, days_ago=0)
        self.assertEqual(inv.state, "paid")
        self.assertNotIn(self.customer.id, self.Aging._compute_rows(self.company, self.day(0)))
        row = self.Aging._compute_rows(self.company, self.day(3))[self.customer.id]
        self.assertAlmostEqual(float(row["amount_1_30"]), 800.0)
        self.assertEqual(row["max_days_overdue"], 17)
        self.assert_equals_odoo_report(self.day(3))
        # items dated after the as-of date are left out
        self.assertNotIn(self.customer.id, self.Aging._compute_rows(self.company, self.day(30)))

    def test_kpis_dso_overdue_ratio_days_late(self):
        """DSO, overdue ratio and weighted days late come from the same pass."""
        self.policy.aging_dso_window_days = 90
        self.overdue_invoice(self.customer, 3000.0, 10)
        self.overdue_invoice(self.customer, 1000.0, 40)
        self.create_invoice(self.customer, 5000.0, days_ago=5, due_days=30)
        paid = self.create_invoice(self.customer, 9000.0, days_ago=60, due_days=30)
        self.pay_invoice(paid, 9000.0, days_ago=20)
        row = self.Aging._compute_rows(self.company, self.day(0))[self.customer.id]
        # open 9000 over sales 18000 in 90 days
        self.assertAlmostEqual(float(row["amount_total"]), 9000.0)
        self.assertAlmostEqual(float(row["sales_window"]), 18000.0)
        self.assertAlmostEqual(float(row["dso"]), 45.0)
        self.assertAlmostEqual(float(row["overdue_ratio"]), 44.44, 2)
        self.assertAlmostEqual(float(row["avg_days_late"]), (3000 * 10 + 1000 * 40) / 4000.0)
        partner = self.customer.with_context(force_company=self.company.id)
        self.assertAlmostEqual(partner.credit_dso, 45.0)
        self.assertAlmostEqual(partner.credit_overdue_ratio, 44.44, 2)
        self.assertAlmostEqual(partner.credit_avg_days_late, 17.5)


class TestAgingEqualsOdooReport(AgingCommon):

    def test_many_due_dates_payments_and_credit_notes_equal_odoo(self):
        """Per partner and per bucket, the aging equals Odoo's Aged Partner Balance."""
        customers = [self.customer] + [
            self._create_customer("Aging Customer %d" % n, 5000.0) for n in range(4)]
        refunds = []
        for index, partner in enumerate(customers):
            for step, days in enumerate((-20, -1, 0, 1, 15, 29, 30, 31, 59, 60, 61,
                                         89, 90, 91, 119, 120, 121, 150, 400)):
                amount = 100.0 + 37.0 * step + index
                inv = self.create_invoice(partner, amount, days_ago=max(days, 0) + 10,
                                          due_days=max(days, 0) + 10 - days)
                if step % 3 == 0:
                    self.pay_invoice(inv, round(amount / 3, 2), days_ago=(step % 5) * 3)
                elif step % 7 == 0:
                    self.pay_invoice(inv, amount, days_ago=step)
            refunds.append(self.create_invoice(partner, 55.0 + index, days_ago=25,
                                               refund=True))
        # one credit note applied, one payment on account left open
        inv = self.create_invoice(customers[1], 700.0, days_ago=70)
        credit_line = refunds[1].move_id.line_ids.filtered(
            lambda l: l.account_id == self.receivable_account)
        inv.assign_outstanding_credit(credit_line.id)
        self.env["account.payment"].create({
            "payment_type": "inbound", "partner_type": "customer",
            "partner_id": customers[2].id, "amount": 333.0,
            "journal_id": self.bank_journal.id, "payment_date": self.day(40),
            "payment_method_id": self.env.ref("account.account_payment_method_manual_in").id,
        }).post()
        for days_ago in (0, 1, 4, 9, 31):
            ours = self.assert_equals_odoo_report(self.day(days_ago))
            self.assertTrue(set(c.id for c in customers) <= set(ours))
        self.Aging._cron_compute(date=self.day(4), commit=False)
        theirs = self.odoo_report(self.day(4))
        snaps = self.Aging.search([("date", "=", self.day(4)),
                                   ("company_id", "=", self.company.id)])
        self.assertEqual(set(snaps.mapped("partner_id").ids), set(theirs))
        for snap in snaps:
            row = theirs[snap.partner_id.id]
            for field, column in zip(BUCKETS, REPORT_COLUMNS):
                self.assertAlmostEqual(snap[field], row[column], 2)


class TestAgingMultiCompanyCurrency(AgingCommon):

    def test_foreign_currency_aged_in_company_currency(self):
        """An invoice in a foreign currency ages at its company-currency residual."""
        foreign = self.env.ref("base.USD" if self.currency.name != "USD" else "base.EUR")
        foreign.active = True
        self.env["res.currency.rate"].create({
            "currency_id": foreign.id, "rate": 2.0 * self.currency.rate,
            "name": self.day(365), "company_id": self.company.id})
        inv = self.overdue_invoice(self.customer, 1000.0, 35, currency=foreign)
        self.pay_invoice(inv, 100.0, days_ago=1)  # 100 in company currency
        row = self.assert_equals_odoo_report(self.day(0))[self.customer.id]
        self.assertAlmostEqual(float(row["amount_31_60"]), 400.0)

    def test_each_company_aged_on_its_own(self):
        """Snapshots are per company; a user sees only their companies' snapshots."""
        books = self._create_company_books("Credit Second Co", "CM2",
                                           customers=self.customer)
        company2 = books.company
        receivable2, income2 = books.receivable_account, books.income_account
        journal2 = books.sale_journal
        self.env.user.company_ids |= company2
        inv2 = self.env["account.invoice"].with_context(force_company=company2.id).create({
            "partner_id": self.customer.id, "type": "out_invoice", "company_id": company2.id,
            "account_id": receivable2.id, "journal_id": journal2.id,
            "date_invoice": self.day(70), "date_due": self.day(70),
            "invoice_line_ids": [(0, 0, {"name": "Goods", "quantity": 1, "price_unit": 250.0,
                                         "account_id": income2.id})]})
        inv2.with_context(force_company=company2.id).action_invoice_open()
        self.overdue_invoice(self.customer, 100.0, 5)
        result = self.Aging._cron_compute(date=self.day(0), commit=False)
        self.assertEqual(result[self.company.id], 1)
        self.assertEqual(result[company2.id], 1)
        snap1 = self.Aging.search([("partner_id", "=", self.customer.id),
                                   ("company_id", "=", self.company.id)])
        snap2 = self.Aging.search([("partner_id", "=", self.customer.id),
                                   ("company_id", "=", company2.id)])
        self.assertAlmostEqual(snap1.amount_1_30, 100.0)
        self.assertAlmostEqual(snap2.amount_61_90, 250.0)
        self.assert_equals_odoo_report(self.day(0), company2)
        visible = self.Aging.sudo(self.user_controller).search(
            [("partner_id", "=", self.customer.id)])
        self.assertEqual(visible, snap1)


class TestAgingSnapshots(AgingCommon):

    def test_rerun_same_day_replaces(self):
        """Rerunning the cron the same day updates the snapshot, never duplicates it."""
        inv = self.overdue_invoice(self.customer, 500.0, 10)
        other = self._create_customer("Snapshot Two", 1000.0)
        inv2 = self.overdue_invoice(other, 200.0, 3)
        self.Aging._cron_compute(date=self.day(0), commit=False)
        self.Aging._cron_compute(date=self.day(0), commit=False)
        domain = [("date", "=", self.day(0)), ("company_id", "=", self.company.id)]
        snaps = self.Aging.search(domain)
        self.assertEqual(len(snaps), 2)
        first_ids = set(snaps.ids)
        self.pay_invoice(inv, 200.0)
        self.pay_invoice(inv2, 200.0)
        self.Aging._cron_compute(date=self.day(0), commit=False)
        snaps = self.Aging.search(domain)
        self.assertEqual(snaps.mapped("partner_id"), self.customer)
        self.assertIn(snaps.id, first_ids)
        self.assertAlmostEqual(snaps.amount_1_30, 300.0)
        self.assertEqual(snaps.user_id, self.user_sales)

    def test_snapshot_history_and_thinning(self):
        """Old snapshots are thinned to weekly then monthly, recent days all kept."""
        self.policy.write({"aging_keep_daily_days": 10, "aging_keep_weekly_days": 60})
        for days_ago in range(0, 120):
            self.Aging.create({"partner_id": self.customer.id, "company_id": self.company.id,
                               "date": self.day(days_ago), "amount_total": 1.0})
        self.Aging._thin_snapshots(self.company, self.day(0))
        dates = [fields.Date.from_string(d) for d in self.Aging.search(
            [("partner_id", "=", self.customer.id)]).mapped("date")]
        self.assertEqual(len([d for d in dates if d >= self.today - timedelta(days=10)]), 11)
        weekly = [d for d in dates if self.today - timedelta(days=60) <= d
                  < self.today - timedelta(days=10)]
        self.assertEqual(len(weekly), len({d.isocalendar()[:2] for d in weekly}))
        monthly = [d for d in dates if d < self.today - timedelta(days=60)]
        self.assertEqual(len(monthly), len({(d.year, d.month) for d in monthly}))
        self.assertLess(len(dates), 30)

    def test_cron_record_and_button(self):
        """The daily cron exists and the controller's button snapshots today."""
        cron = self.env.ref("credit_management.ir_cron_credit_aging")
        self.assertEqual(cron.interval_type, "days")
        self.overdue_invoice(self.customer, 100.0, 2)
        action = self.Aging.sudo(self.user_controller).action_compute_today()
        self.assertEqual(action["res_model"], "credit.aging")
        self.assertEqual(self.Aging.search_count([("date", "=", self.day(0)),
                                                 ("partner_id", "=", self.customer.id)]), 1)

    def test_cron_skips_a_failing_company(self):
        """A company whose aging fails is logged and skipped; the others are aged."""
        self.overdue_invoice(self.customer, 100.0, 2)
        company2 = self.env["res.company"].create({"name": "Broken Co",
                                                   "currency_id": self.currency.id})
        original = type(self.Aging)._write_snapshots

        def broken(model, company, date, partner_ids=None):
            if company == company2:
                raise ValueError("boom")
            return original(model, company, date, partner_ids)
        type(self.Aging)._write_snapshots = broken
        try:
            result = self.Aging._cron_compute(date=self.day(0), commit=False)
        finally:
            type(self.Aging)._write_snapshots = original
        self.assertNotIn(company2.id, result)
        self.assertEqual(result[self.company.id], 1)

    def test_company_locked_by_another_worker_is_skipped(self):
        """Two workers never age the same company and date at once."""
        self.overdue_invoice(self.customer, 100.0, 2)
        with self.registry.cursor() as other_cr:
            other = self.env(cr=other_cr)
            self.assertTrue(other["credit.aging"]._credit_cron_lock(
                "credit.aging", self.company.id, self.day(0)))
            result = self.Aging._cron_compute(date=self.day(0), commit=False)
            self.assertNotIn(self.company.id, result)
            other_cr.rollback()
        result = self.Aging._cron_compute(date=self.day(0), commit=False)
        self.assertEqual(result[self.company.id], 1)
