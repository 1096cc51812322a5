"""Held orders: Excel export with decisions and the pivot/graph analysis."""
from common import CreditCommon, render_xlsx, xlsx_table

REPORT = "credit_management.credit_held_orders_xlsx_action"


class TestHeldOrdersReports(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.create_invoice(cls, cls.customer, 6000.0, due_days=30)
        cls.released = cls._hold(cls, 4500.0)
        cls._decide(cls, cls.released, cls.user_controller, "release", "Paid by wire")
        cls.rejected = cls._hold(cls, 5000.0)
        cls._decide(cls, cls.rejected, cls.user_controller, "reject", "Too risky")
        cls.waiting = cls._hold(cls, 6000.0)
        cls.checks = cls.env["credit.check"].search(
            [("partner_id", "=", cls.customer.id)])

    def _hold(self, amount):
        order = self.create_order(self, self.customer, amount)
        order.sudo(self.user_sales).action_confirm()
        assert order.credit_state == "blocked", order.credit_state
        return order.credit_check_ids.sorted("id")[-1]

    def _decide(self, check, user, decision, reason):
        self.env["credit.check.decision"].sudo(user).create({
            "check_id": check.id, "decision": decision, "reason": reason}).action_apply()

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
        """Pivot and graph views of the analysis open for a controller."""
        Analysis = self.env["credit.check.report"].sudo(self.user_controller)
        for view_type in ("pivot", "graph", "search"):
            self.assertTrue(Analysis.fields_view_get(view_type=view_type)["arch"])
        self.assertTrue(Analysis.search_count([]))
