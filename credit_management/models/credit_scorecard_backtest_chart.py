# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models

from ..domain import backtest_chart


class CreditScorecardBacktestChart(models.Model):
    """The back-test form's charts: bad rate by grade and the ROC curve,
    drawn as inline SVG from the stored result lines."""

    _inherit = "credit.scorecard.backtest"

    chart_bad_rate = fields.Html(
        "Bad Rate by Grade (Chart)", compute="_compute_charts",
        sanitize=False)
    chart_roc = fields.Html("ROC Curve", compute="_compute_charts",
                            sanitize=False)

    def _chart_roc_points(self):
        """[(good share %, bad share %)] from the KS chart lines."""
        self.ensure_one()
        shares = {}
        for line in self.curve_line_ids:
            shares.setdefault(line.population, {})[line.curve] = line.share
        return [(values["good"], values["bad"])
                for _population, values in sorted(shares.items())
                if "good" in values and "bad" in values]

    @api.depends("state", "grade_line_ids", "curve_line_ids", "auc")
    def _compute_charts(self):
        for test in self:
            if test.state != "done" or not test.grade_line_ids:
                test.chart_bad_rate = test.chart_roc = False
                continue
            lines = test.grade_line_ids.sorted(lambda g: (g.min_score, g.id))
            test.chart_bad_rate = backtest_chart.bad_rate_bars(
                [(g.grade_id.code or g.grade_id.display_name, g.bad_rate,
                  g.inversion) for g in lines],
                _("Bad rate by grade (worst grade first)"),
                _("Bad rate"))
            points = test._chart_roc_points()
            test.chart_roc = backtest_chart.roc_curve(
                points, _("ROC curve"), _("Good customers caught"),
                _("Bad customers caught"),
                auc=test.auc) if points else False
