"""Held orders: Excel export with decisions and the pivot/graph analysis."""
from collections import defaultdict
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo import fields

from common import CreditCommon, render_xlsx, view_groupbys_and_measures, xlsx_table

REPORT = "credit_management.credit_held_orders_xlsx_action"


class TestHeldOrdersReports(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.create_invoice(cls, cls.customer, 6000.0, due_days=30)
        # the release is decided 50 hours after the hold, the rejection 3 hours
        cls.released = cls._hold(cls, 4500.0)
        cls._decide(cls, cls.released, cls.user_controller, "release", "Paid by wire", 50)
        cls.rejected = cls._hold(cls, 5000.0)
        cls._decide(cls, cls.rejected, cls.user_controller, "reject", "Too risky", 3)
        cls.waiting = cls._hold(cls, 6000.0)
        cls.checks = cls.env["credit.check"].search(
            [("partner_id", "=", cls.customer.id)])

    def _hold(self, amount):
        order = self.create_order(self, self.customer, amount)
        order.sudo(self.user_sales).action_confirm()
        assert order.credit_state == "blocked", order.credit_state
        return order.credit_check_ids.sorted("id")[-1]

    def _decide(self, check, user, decision, reason, hours_later):
        later = datetime.now() + timedelta(hours=hours_later)
        with patch.object(fields.Datetime, "now",
                          lambda *args: fields.Datetime.to_string(later)):
            self.decide(self, check, user, decision, reason)

    def test_xlsx_rows_and_decisions(self):
        """Each hold is a line with its numbers, reasons and the decision taken."""
        sheet = render_xlsx(self.env, REPORT, self.checks.ids)
        _headers, rows, total = xlsx_table(sheet)
        self.assertEqual(sheet["A1"].value, "Held Orders and Decisions")
        self.assertEqual(len(rows), 3)
        by_doc = {row["Order / Invoice"]: row for row in rows}
        released = by_doc[self.released.name]
        self.assertAlmostEqual(released["Order Amount"], 4500.0)
        self.assertAlmostEqual(released["Exposure Before"], self.released.exposure_amount)
        self.assertAlmostEqual(released["Excess Over Limit"], self.released.excess_amount)
        self.assertAlmostEqual(released["Credit Limit"], 10000.0)
        self.assertEqual(released["Decision"], "Released")
        self.assertEqual(released["Decided By"], "Carl Controller")
        self.assertEqual(released["Decision Reason"], "Paid by wire")
        self.assertIn("Credit limit exceeded", released["Reasons"])
        self.assertIsNotNone(released["Days to Decision"])
        self.assertAlmostEqual(released["Days to Decision"], 50 / 24.0, delta=0.01)
        self.assertAlmostEqual(by_doc[self.rejected.name]["Days to Decision"], 3 / 24.0,
                               delta=0.01)
        self.assertEqual(by_doc[self.rejected.name]["Decision"], "Rejected")
        self.assertEqual(by_doc[self.waiting.name]["Decision"], "Waiting")
        self.assertIsNone(by_doc[self.waiting.name]["Decided By"])
        self.assertAlmostEqual(total["Order Amount"], 15500.0)
        self.assertAlmostEqual(total["Excess Over Limit"],
                               sum(self.checks.mapped("excess_amount")))

    def test_xlsx_period_of_the_company(self):
        """From the export wizard (no selection), the company's holds of the period."""
        today = str(self.today)
        sheet = render_xlsx(self.env, REPORT, [], data={
            "credit_export": True, "company_id": self.company.id,
            "date_from": today, "date_to": today})
        _headers, rows, _total = xlsx_table(sheet)
        self.assertEqual(len(rows), 3)
        sheet = render_xlsx(self.env, REPORT, [], data={
            "credit_export": True, "company_id": self.company.id,
            "date_from": "2000-01-01", "date_to": "2000-12-31"})
        _headers, rows, total = xlsx_table(sheet)
        self.assertEqual(rows, [])
        self.assertEqual(total["Order Amount"], 0)

    def test_analysis_counts_amounts_and_decision_time(self):
        """The analysis groups holds by state with count, held amount and hours to decide."""
        Analysis = self.env["credit.check.report"]
        groups = Analysis.read_group(
            [("partner_id", "=", self.customer.id), ("result", "=", "blocked")],
            ["hold_state", "hold_count", "held_amount", "decision_hours"], ["hold_state"])
        by_state = {group["hold_state"]: group for group in groups}
        self.assertEqual(set(by_state), {"released", "rejected", "held"})
        self.assertEqual(by_state["released"]["hold_count"], 1)
        self.assertAlmostEqual(by_state["held"]["held_amount"], 6000.0)
        self.assertGreaterEqual(by_state["released"]["decision_hours"], 0.0)
        self.assertFalse(by_state["held"]["decision_hours"])
        total = Analysis.read_group([("partner_id", "=", self.customer.id)],
                                    ["hold_count", "held_amount"], [])[0]
        self.assertEqual(total["hold_count"], 3)
        self.assertAlmostEqual(total["held_amount"], 15500.0)

    def test_analysis_views_load(self):
        """Pivot and graph views of the analysis open for a controller and show,
        per hold state and month, the count, held amount and hours to decision
        of the credit checks behind them."""
        Analysis = self.env["credit.check.report"].sudo(self.user_controller)
        for view_type in ("pivot", "graph", "search"):
            self.assertTrue(Analysis.fields_view_get(view_type=view_type)["arch"])
        self.assertTrue(Analysis.search_count([]))
        pivot = view_groupbys_and_measures(
            Analysis.fields_view_get(view_type="pivot")["arch"])
        graph = view_groupbys_and_measures(
            Analysis.fields_view_get(view_type="graph")["arch"])
        self.assertEqual(pivot, (["hold_state", "check_date:month"],
                                 ["hold_count", "held_amount", "decision_hours"]))
        self.assertEqual(graph, (["check_date:month", "hold_state"], ["hold_count"]))
        # the menu's default filter: holds only
        action = self.env.ref("credit_management.credit_check_report_action")
        self.assertIn("search_default_holds", action.context)
        domain = [("result", "=", "blocked")]
        checks = self.env["credit.check"].sudo(self.user_controller).search(domain)
        self.assertEqual(len(checks), 3)

        def hours(check):
            if not check.decision_date:
                return None
            delta = (fields.Datetime.from_string(check.decision_date)
                     - fields.Datetime.from_string(check.check_date))
            return delta.total_seconds() / 3600.0

        def hold_state(check):
            return check.decision or ("held" if check.is_held else "closed")

        self.assertAlmostEqual(hours(self.released), 50.0, places=1)
        self.assertAlmostEqual(hours(self.rejected), 3.0, places=1)
        for groupby, measures in (pivot, graph):
            read = measures + [name.split(":")[0] for name in groupby]
            groups = Analysis.read_group(domain, read, groupby, lazy=False)
            seen = set()
            for group in groups:
                members = self.env["credit.check"].browse(
                    Analysis.search(group["__domain"]).ids)
                self.assertTrue(members)
                seen |= set(members.ids)
                self.assertEqual(group["__count"], len(members))
                # every check of the group has the group's state and month
                self.assertEqual({hold_state(check) for check in members},
                                 {group["hold_state"]})
                self.assertEqual(len({check.check_date[:7] for check in members}), 1)
                self.assertEqual(group["hold_count"], len(members))
                if "held_amount" in measures:
                    self.assertAlmostEqual(group["held_amount"],
                                           sum(members.mapped("order_amount")))
                if "decision_hours" in measures:
                    decided = [hours(check) for check in members if check.decision_date]
                    if decided:
                        self.assertAlmostEqual(group["decision_hours"],
                                               sum(decided) / len(decided), places=3)
                    else:
                        self.assertFalse(group["decision_hours"])
            self.assertEqual(seen, set(checks.ids))
        # the figures a user reads: one hold of each state, amounts and hours
        by_state = defaultdict(dict)
        for group in Analysis.read_group(domain, pivot[1] + ["hold_state"], ["hold_state"]):
            by_state[group["hold_state"]] = group
        self.assertAlmostEqual(by_state["released"]["held_amount"], 4500.0)
        self.assertAlmostEqual(by_state["rejected"]["held_amount"], 5000.0)
        self.assertAlmostEqual(by_state["held"]["held_amount"], 6000.0)
        self.assertAlmostEqual(by_state["released"]["decision_hours"], 50.0, places=1)
        self.assertAlmostEqual(by_state["rejected"]["decision_hours"], 3.0, places=1)
