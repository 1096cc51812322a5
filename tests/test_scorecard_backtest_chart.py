"""The back-test form's charts: bad rate by grade and the ROC curve.

The ledger of backtest_common.py: good payers score AAA and stay good,
late payers score D and go 90+ days overdue.
"""

from odoo.addons.credit_management.domain import backtest_chart
from odoo.addons.credit_management.models.trusted import credit_trusted

from backtest_common import BacktestCommon


class TestBacktestChart(BacktestCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.card = cls._create_payment_card([("on_time_share", 70),
                                             ("overdue_days", 30)])
        cls._create_payers(3)

    def test_form_charts_show_the_figures_of_the_result(self):
        """One bar per grade with its bad rate, worst grade first; the ROC
        curve from the KS chart lines with the AUC the form shows."""
        test = self._run(self._backtest(name="Charts"))
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
        test = self._backtest(name="Not run")
        self.assertFalse(test.chart_bad_rate)
        self.assertFalse(test.chart_roc)

    def test_inversion_is_drawn_red_and_labels_are_escaped(self):
        test = self._run(self._backtest(name="Charts"))
        line = test.grade_line_ids.filtered(lambda l: l.customers)[:1]
        with credit_trusted():
            line.sudo().write({"inversion": True})
        test.invalidate_cache()
        self.assertIn("#d9534f", test.chart_bad_rate)
        svg = backtest_chart.bad_rate_bars([("<b>&", 10.0, False)], "T<", "y")
        self.assertIn("&lt;b&gt;&amp;", svg)
        self.assertNotIn("<b>", svg)
