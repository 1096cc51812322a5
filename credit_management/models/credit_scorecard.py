# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..domain import scorecard as scorecard_domain


class CreditScorecard(models.Model):
    """Evaluation scorecard (客户信用评估表): weighted indicators in
    categories, each with score bands. Weights add up to 100."""

    _name = "credit.scorecard"
    _description = "Credit Scorecard"
    _inherit = ["mail.thread"]

    name = fields.Char(required=True, translate=True, track_visibility="onchange")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True,
        help="Leave empty to share the scorecard between companies.")
    indicator_ids = fields.One2many(
        "credit.scorecard.indicator", "scorecard_id", "Indicators", copy=True)
    total_weight = fields.Float(compute="_compute_total_weight")

    @api.depends("indicator_ids.weight")
    def _compute_total_weight(self):
        for card in self:
            card.total_weight = sum(card.indicator_ids.mapped("weight"))

    @api.constrains("indicator_ids")
    def _check_weights(self):
        for card in self:
            total = scorecard_domain.total_weight(card._get_indicators())
            if not scorecard_domain.weights_valid(card._get_indicators()):
                raise ValidationError(
                    _("The weights of scorecard %s add up to %s; they must add "
                      "up to 100.") % (card.name, total))

    def _get_indicators(self):
        """The indicators as plain domain values."""
        self.ensure_one()
        return [ind._get_domain_indicator() for ind in self.indicator_ids]


class CreditScorecardIndicator(models.Model):
    _name = "credit.scorecard.indicator"
    _description = "Credit Scorecard Indicator"
    _order = "scorecard_id, sequence, id"

    scorecard_id = fields.Many2one(
        "credit.scorecard", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    code = fields.Selection(
        [(code, label) for code, (_cat, label, _unit)
         in sorted(scorecard_domain.INDICATORS.items())],
        "Measure", required=True)
    name = fields.Char(required=True, translate=True)
    category = fields.Selection(
        list(scorecard_domain.CATEGORIES), required=True)
    weight = fields.Float(digits=(5, 2), required=True)
    higher_is_better = fields.Boolean(
        default=True, help="Unchecked: a band applies to values at most its "
                           "threshold (days late, debt ratio...).")
    band_ids = fields.One2many(
        "credit.scorecard.band", "indicator_id", "Score Bands", copy=True)
    band_summary = fields.Char(compute="_compute_band_summary")

    @api.onchange("code")
    def _onchange_code(self):
        if self.code:
            category, label, _unit = scorecard_domain.INDICATORS[self.code]
            self.category = category
            self.name = self.name or label

    @api.depends("band_ids.threshold", "band_ids.percent", "higher_is_better")
    def _compute_band_summary(self):
        for ind in self:
            sign = ">=" if ind.higher_is_better else "<="
            bands = ind.band_ids.sorted("threshold",
                                        reverse=ind.higher_is_better)
            ind.band_summary = ", ".join(
                "%s %g: %g%%" % (sign, b.threshold, b.percent) for b in bands)

    @api.constrains("weight")
    def _check_weight(self):
        for ind in self:
            if not 0 <= ind.weight <= 100:
                raise ValidationError(
                    _("Indicator %s: the weight must be between 0 and 100.")
                    % ind.name)

    def _get_domain_indicator(self):
        self.ensure_one()
        return scorecard_domain.Indicator(
            self.id, self.code, self.weight, self.higher_is_better,
            [scorecard_domain.Band(b.threshold, b.percent) for b in self.band_ids])


class CreditScorecardBand(models.Model):
    _name = "credit.scorecard.band"
    _description = "Credit Scorecard Score Band"
    _order = "indicator_id, threshold desc"

    indicator_id = fields.Many2one(
        "credit.scorecard.indicator", required=True, index=True,
        ondelete="cascade")
    threshold = fields.Float(
        required=True, help="Value from which (or, when lower is better, up to "
                            "which) the band applies.")
    percent = fields.Float(
        "Points (% of weight)", required=True,
        help="Share of the indicator's weight earned in this band.")

    @api.constrains("percent")
    def _check_percent(self):
        for band in self:
            if not 0 <= band.percent <= 100:
                raise ValidationError(
                    _("A score band gives between 0 and 100 % of the weight."))
