"""The back-test form's charts: bad rate by grade and the ROC curve.

The same kind of ledger as test_scorecard_backtest.py: good payers score
AAA and stay good, late payers score D and go 90+ days overdue.
"""
from datetime import timedelta

from odoo import fields

from odoo.addons.credit_management.domain import backtest_chart
from odoo.addons.credit_management.models.trusted import credit_trusted

from common import CreditCommon


class TestBacktestChart(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        band = lambda threshold, percent: (0, 0, {"threshold": threshold,  # noqa: E731
                                                  "percent": percent})
        cls.card = cls.env["credit.scorecard"].create({
            "name": "Payment card",
            "indicator_ids": [
                (0, 0, {"code": "on_time_share", "name": "On time",
                        "category": "payment", "weight": 70,
                        "higher_is_better": True,
                        "band_ids": [band(90, 100), band(50, 50)]}),
                (0, 0, {"code": "overdue_days", "name": "Overdue",
                        "category": "payment", "weight": 30,
                        "higher_is_better": False,
                        "band_ids": [band(0, 100), band(30, 50)]}),
            ]})
        for i in range(3):
            partner = cls._create_customer("Prompt Payer %d" % i)
            for start in (450, 360, 240):
                invoice = cls.create_invoice(cls, partner, 1000.0, days_ago=start,
                                             due_days=30)
                cls.pay_invoice(cls, invoice, 1000.0, days_ago=start - 20)
        for i in range(3):
            partner = cls._create_customer("Late Payer %d" % i)
            invoice = cls.create_invoice(cls, partner, 1000.0, days_ago=450,
                                         due_days=30)
            cls.pay_invoice(cls, invoice, 1000.0, days_ago=380)
            cls.create_invoice(cls, partner, 1000.0, days_ago=300, due_days=30)

    def _run(self):
        test = self.env(user=self.user_controller)["credit.scorecard.backtest"].create({
            "name": "Charts",
            "scorecard_id": self.card.id,
            "date_from": fields.Date.to_string(self.today - timedelta(days=330)),
            "date_to": fields.Date.to_string(self.today - timedelta(days=200)),
            "outcome_months": 6, "bad_days": 90})
        test.action_queue()
        self.env["credit.scorecard.backtest"]._cron_run_queued()
        test.invalidate_cache()
        self.assertEqual(test.state, "done", test.message)
        return test

    def test_form_charts_show_the_figures_of_the_result(self):
        """One bar per grade with its bad rate, worst grade first; the ROC
        curve from the KS chart lines with the AUC the form shows."""
        test = self._run()
        self.assertFalse(test.inversion_count)
        bars = test.chart_bad_rate
        lines = test.grade_line_ids.sorted("min_score")
        self.assertEqual(bars.count("<rect "), len(lines))
        positions = [bars.index(">%s</text>" % line.grade_id.code) for line in lines]
        self.assertEqual(positions, sorted(positions))  # worst grade first
        for line in lines:
            self.assertIn("%s: %.2f %%" % (line.grade_id.code, line.bad_rate), bars)
        self.assertIn("D: 100.00 %", bars)
        self.assertIn("AAA: 0.00 %", bars)
        self.assertNotIn("#d9534f", bars)  # no inversion drawn red
        roc = test.chart_roc
        self.assertIn("<polyline", roc)
        self.assertIn("AUC %.3f" % test.auc, roc)
        self.assertEqual(test.auc, 1.0)
        # the curve runs through the KS chart's points
        points = test._chart_roc_points()
        self.assertIn((0.0, 100.0), points)  # half the population: every bad one
        self.assertIn("%.1f,%.1f" % (44, 28), roc)  # the (0 %, 100 %) corner

    def test_draft_backtest_has_no_chart(self):
        test = self.env(user=self.user_controller)["credit.scorecard.backtest"].create({
            "name": "Not run", "scorecard_id": self.card.id,
            "date_from": fields.Date.to_string(self.today - timedelta(days=330)),
            "date_to": fields.Date.to_string(self.today - timedelta(days=200))})
        self.assertFalse(test.chart_bad_rate)
        self.assertFalse(test.chart_roc)

    def test_inversion_is_drawn_red_and_labels_are_escaped(self):
        test = self._run()
        line = test.grade_line_ids.filtered(lambda l: l.customers)[:1]
        with credit_trusted():
            line.sudo().write({"inversion": True})
        test.invalidate_cache()
        self.assertIn("#d9534f", test.chart_bad_rate)
        svg = backtest_chart.bad_rate_bars([("<b>&", 10.0, False)], "T<", "y")
        self.assertIn("&lt;b&gt;&amp;", svg)
        self.assertNotIn("<b>", svg)
