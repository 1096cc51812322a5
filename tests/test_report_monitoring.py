"""Reports over the receivables: aging (Excel and in the credit report), warnings,
collection log export and KPIs over time."""
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from lxml import etree
from odoo import fields
from odoo.tools.safe_eval import safe_eval

from common import (CreditCommon, render_report_html, render_xlsx,
                    view_groupbys_and_measures, xlsx_table)


class MonitoringReportsCommon(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Acme: 1,000 not due, 2,000 45 days overdue, 500 130 days overdue
        cls.create_invoice(cls, cls.customer, 1000.0, days_ago=5, due_days=30)
        cls.create_invoice(cls, cls.customer, 2000.0, days_ago=75, due_days=30)
        cls.create_invoice(cls, cls.customer, 500.0, days_ago=160, due_days=30)
        cls.beta = cls._create_customer("Beta Imports Co", 5000.0)
        cls.create_invoice(cls, cls.beta, 800.0, days_ago=40, due_days=30)
        cls.Aging = cls.env["credit.aging"]

    def day(self, days_ago):
        return fields.Date.to_string(self.today - timedelta(days=days_ago))


class TestAgingReports(MonitoringReportsCommon):

    def test_aging_xlsx_matches_the_aging_computation(self):
        """Each customer line has the buckets, total and overdue of the aging on the date."""
        today = self.day(0)
        sheet = render_xlsx(self.env, "credit_management.credit_aging_xlsx_action", [],
                            data={"credit_export": True, "company_id": self.company.id,
                                  "date": today})
        headers, rows, total = xlsx_table(sheet)
        self.assertEqual(sheet["A1"].value, "Aging by Customer")
        self.assertEqual(sheet["B2"].value, self.company.name)
        self.assertEqual(sheet["B3"].value.date(), self.today)
        expected = self.Aging._compute_rows(self.company, today,
                                            (self.customer | self.beta).ids)
        by_name = {row["Customer"]: row for row in rows}
        acme = by_name["Acme Trading Ltd"]
        self.assertAlmostEqual(acme["Not Due"], 1000.0)
        self.assertAlmostEqual(acme["31-60"], 2000.0)
        self.assertAlmostEqual(acme["Older"], 500.0)
        self.assertAlmostEqual(acme["Total"], 3500.0)
        self.assertAlmostEqual(acme["Overdue Amount"], 2500.0)
        self.assertEqual(acme["Overdue Days"], 130)
        for partner in (self.customer, self.beta):
            row = by_name[partner.name]
            for key in ("not_due", "1_30", "31_60", "61_90", "91_120", "over_120"):
                label = self.Aging._fields["amount_" + key].string
                self.assertAlmostEqual(row[label] or 0.0, expected[partner.id]["amount_" + key])
        self.assertAlmostEqual(total["Total"], 4300.0)
        self.assertAlmostEqual(total["Overdue Amount"], 3300.0)

    def test_aging_xlsx_of_selected_customers_at_a_past_date(self):
        """Selected customers only; at an earlier date, later invoices do not count."""
        sheet = render_xlsx(self.env, "credit_management.credit_aging_xlsx_action",
                            self.customer.ids, data={"date": self.day(10)})
        _headers, rows, total = xlsx_table(sheet)
        self.assertEqual([row["Customer"] for row in rows], ["Acme Trading Ltd"])
        self.assertAlmostEqual(total["Total"], 2500.0)

    def test_credit_report_shows_aging_bars_and_warnings(self):
        """The credit report charts the aging buckets and lists open warnings."""
        self.env["credit.warning"].create({
            "partner_id": self.customer.id, "warning_type": "overdue_amount",
            "severity": "high", "message": "Overdue 2,500.00 above the threshold"})
        html = render_report_html(self.env, "credit_management.credit_report_partner_action",
                                  self.customer.ids).decode()
        self.assertIn("Aging", html)
        self.assertIn("cm-aging", html)
        # the largest bucket (2,000) gets the full bar, 1,000 half of it
        self.assertIn("width: 100.0%", html)
        self.assertIn("width: 50.0%", html)
        self.assertIn("width: 25.0%", html)
        self.assertIn("3,500.00", html)
        self.assertIn("Open Warnings", html)
        self.assertIn("Overdue 2,500.00 above the threshold", html)


class TestCollectionLogXlsx(MonitoringReportsCommon):

    def test_collection_log_rows(self):
        """Each collection action is a line with its result and promise."""
        Log = self.env["credit.collection.log"]
        call = Log.create({
            "partner_id": self.customer.id, "channel": "call", "date": self.day(2),
            "result": "Promised to pay next week", "promise_date": self.day(-5),
            "promise_amount": 1500.0, "user_id": self.user_controller.id})
        Log.create({"partner_id": self.beta.id, "channel": "call", "date": self.day(1),
                    "result": "No answer"})
        sheet = render_xlsx(self.env, "credit_management.credit_collection_log_xlsx_action",
                            [], data={"credit_export": True, "company_id": self.company.id,
                                      "date_from": self.day(3), "date_to": self.day(0)})
        _headers, rows, total = xlsx_table(sheet)
        self.assertEqual(sheet["A1"].value, "Collection Log")
        self.assertEqual([row["Customer"] for row in rows],
                         ["Acme Trading Ltd", "Beta Imports Co"])
        first = rows[0]
        self.assertEqual(first["Result"], "Promised to pay next week")
        self.assertAlmostEqual(first["Promised Amount"], 1500.0)
        self.assertEqual(first["By"], "Carl Controller")
        self.assertEqual(first["Date"].date(), fields.Date.from_string(call.date))
        self.assertAlmostEqual(total["Promised Amount"], 1500.0)
        sheet = render_xlsx(self.env, "credit_management.credit_collection_log_xlsx_action",
                            call.ids)
        _headers, rows, _total = xlsx_table(sheet)
        self.assertEqual(len(rows), 1)


class TestKpiReport(MonitoringReportsCommon):

    def test_kpis_per_snapshot_date(self):
        """DSO, overdue ratio, bad-debt ratio and collection effectiveness per date."""
        beta_invoice = self.env["account.invoice"].search(
            [("partner_id", "=", self.beta.id)])
        self.pay_invoice(beta_invoice, 800.0, days_ago=2)
        self.Aging._write_snapshots(self.company, self.day(20))
        self.Aging._write_snapshots(self.company, self.day(0))
        kpis = self.env["credit.kpi.report"].search(
            [("company_id", "=", self.company.id)], order="date")
        self.assertEqual(kpis.mapped("date"), [self.day(20), self.day(0)])
        before, now = kpis
        # 20 days ago: Acme 2,000 + 500 and Beta 800 were open
        self.assertAlmostEqual(before.receivable, 3300.0)
        self.assertAlmostEqual(now.receivable, 3500.0)
        self.assertAlmostEqual(now.overdue, 2500.0)
        self.assertAlmostEqual(now.current_amount, 1000.0)
        self.assertAlmostEqual(now.overdue_ratio, round(2500.0 / 3500.0 * 100, 2))
        self.assertEqual(now.window_days, 90)
        # sales of the last 90 days: 1,000 + 2,000 + 800
        self.assertAlmostEqual(now.sales_window, 3800.0)
        self.assertAlmostEqual(now.dso, round(3500.0 / 3800.0 * 90, 2))
        self.assertAlmostEqual(now.bad_debt_ratio, 0.0)
        # since the previous date 1,000 was invoiced and Beta's 800 collected:
        # 800 of the 3,300 + 1,000 - 1,000 not due that could be collected
        self.assertAlmostEqual(now.period_sales, 1000.0)
        self.assertAlmostEqual(now.collection_effectiveness, round(800.0 / 3300.0 * 100, 2))
        self.assertFalse(before.collection_effectiveness)

    def test_kpi_views_load(self):
        """Graph, pivot and list of the KPIs open for a controller; their figures
        (DSO, overdue ratio...) are those of the aging snapshots and invoices of
        each date, averaged per week or month as the views group them."""
        Kpi = self.env["credit.kpi.report"].sudo(self.user_controller)
        for view_type in ("graph", "pivot", "tree", "search"):
            self.assertTrue(Kpi.fields_view_get(view_type=view_type)["arch"])
        self.Aging._write_snapshots(self.company, self.day(45))
        self.Aging._write_snapshots(self.company, self.day(20))
        self.Aging._write_snapshots(self.company, self.day(0))
        # a snapshot older than the menu's default filter (last 12 months)
        self.Aging.create({"partner_id": self.beta.id, "company_id": self.company.id,
                           "date": self.day(400), "amount_total": 50.0})
        graph = view_groupbys_and_measures(Kpi.fields_view_get(view_type="graph")["arch"])
        pivot = view_groupbys_and_measures(Kpi.fields_view_get(view_type="pivot")["arch"])
        self.assertEqual(graph, (["date:week"], ["dso"]))
        self.assertEqual(pivot, (["date:month"], ["dso", "overdue_ratio", "bad_debt_ratio",
                                                  "collection_effectiveness"]))
        action = self.env.ref("credit_management.credit_kpi_report_action")
        self.assertIn("search_default_last_year", action.context)
        search = etree.fromstring(Kpi.fields_view_get(view_type="search")["arch"])
        last_year = search.xpath("//filter[@name='last_year']")[0].get("domain")
        domain = safe_eval(last_year, {
            "context_today": lambda: self.today, "relativedelta": relativedelta,
            "datetime": datetime})
        kpis = Kpi.search(domain)
        self.assertEqual(sorted(kpis.mapped("date")),
                         [self.day(45), self.day(20), self.day(0)])
        self.assertTrue(Kpi.search([("date", "=", self.day(400))]))

        invoices = self.env["account.invoice"].search([
            ("company_id", "=", self.company.id), ("state", "in", ("open", "paid"))])
        self.assertEqual(len(invoices), 4)
        for kpi in kpis:
            date = fields.Date.from_string(kpi.date)
            snapshots = self.Aging.search([("company_id", "=", self.company.id),
                                           ("date", "=", kpi.date)])
            receivable = sum(snapshots.mapped("amount_total"))
            overdue = sum(snapshots.mapped("amount_overdue"))
            sales = sum(invoice.amount_total_company_signed for invoice in invoices
                        if date - timedelta(days=90)
                        < fields.Date.from_string(invoice.date_invoice) <= date)
            self.assertEqual(kpi.customer_count, len(snapshots), kpi.date)
            self.assertAlmostEqual(kpi.receivable, receivable)
            self.assertAlmostEqual(kpi.overdue, overdue)
            self.assertAlmostEqual(kpi.sales_window, sales)
            self.assertAlmostEqual(kpi.dso, round(receivable / sales * 90, 2))
            self.assertAlmostEqual(kpi.overdue_ratio, round(overdue / receivable * 100, 2))
        # 45 days ago: Acme's 2,000 (due that day) and 500 (overdue) were open,
        # and the 2,000 was the only sale of the 90 days before
        first = kpis.filtered(lambda kpi: kpi.date == self.day(45))
        self.assertAlmostEqual(first.receivable, 2500.0)
        self.assertAlmostEqual(first.dso, 112.5)
        self.assertAlmostEqual(first.overdue_ratio, 20.0)
        # collected since the previous date: the 50 of the older snapshot, then nothing
        self.assertEqual(kpis.sorted("date").mapped("collection_effectiveness"),
                         [round(50.0 / 550.0 * 100, 2), 0.0, 0.0])

        for (groupby, measures), period in ((graph, "week"), (pivot, "month")):
            groups = Kpi.read_group(domain, measures + ["date"], groupby, lazy=False)
            key = ((lambda d: d.isocalendar()[:2]) if period == "week"
                   else (lambda d: (d.year, d.month)))
            self.assertEqual(len(groups), len({key(fields.Date.from_string(kpi.date))
                                               for kpi in kpis}), period)
            seen = Kpi.browse()
            for group in groups:
                members = Kpi.search(group["__domain"])
                self.assertEqual(len({key(fields.Date.from_string(kpi.date))
                                      for kpi in members}), 1, period)
                seen |= members
                for measure in measures:
                    values = members.mapped(measure)
                    self.assertAlmostEqual(group[measure], sum(values) / len(values),
                                           places=2, msg="%s %s" % (period, measure))
            self.assertEqual(seen, kpis)
