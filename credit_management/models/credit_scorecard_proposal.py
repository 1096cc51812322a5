# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..domain import scorecard as scorecard_domain
from ..domain import scorecard_fit, scorecard_stats
from .trusted import credit_trusted, is_trusted, trusted_write
from .credit_approval_mixin import APPROVAL_STATES


class CreditScorecard(models.Model):
    """Scorecard versions: a fitted proposal is a new draft version that a
    manager approves before any policy may use it."""

    _inherit = "credit.scorecard"

    version = fields.Integer(default=1, readonly=True, copy=False)
    approval_state = fields.Selection(
        [("draft", "Proposed"), ("approved", "Approved"),
         ("rejected", "Rejected")],
        "Version Status", default="approved", required=True, readonly=True,
        copy=False, track_visibility="onchange")
    parent_id = fields.Many2one(
        "credit.scorecard", "Previous Version", readonly=True, copy=False,
        ondelete="set null")

    _credit_version_fields = ("version", "approval_state", "parent_id")

    @api.multi
    def write(self, vals):
        if not is_trusted() and \
                set(vals) & set(self._credit_version_fields):
            raise UserError(_("A scorecard version is approved through its "
                              "fitted proposal, not by editing it."))
        return super().write(vals)


class CreditPolicy(models.Model):
    _inherit = "credit.policy"

    @api.constrains("scorecard_id")
    def _check_scorecard_approved(self):
        for policy in self:
            if policy.scorecard_id and \
                    policy.scorecard_id.approval_state != "approved":
                raise ValidationError(
                    _("Scorecard %s is not approved; a policy uses approved "
                      "scorecard versions only.") % policy.scorecard_id.name)


class CreditEvaluation(models.Model):
    _inherit = "credit.evaluation"

    scorecard_version = fields.Integer(
        related="scorecard_id.version", store=True, readonly=True,
        help="Version of the scorecard the evaluation was scored on.")


class CreditScorecardProposal(models.Model):
    """A scorecard fitted from the company's history, waiting for approval.

    The fit bins each indicator (monotonic weight of evidence), fits a
    logistic model and turns its points into weights and bands: a new draft
    scorecard version. A controller compares it with the current card (the
    back-test figures side by side, or a back-test of the proposal) and
    submits it; a manager approves it through tier validation. Approving
    makes the version usable; choosing it in the credit policy stays a
    separate, tracked decision.
    """

    _name = "credit.scorecard.proposal"
    _description = "Fitted Scorecard Proposal"
    _inherit = ["credit.approval.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(required=True, readonly=True, copy=False)
    backtest_id = fields.Many2one(
        "credit.scorecard.backtest", "Fitted On", required=True,
        readonly=True, ondelete="cascade")
    company_id = fields.Many2one(
        related="backtest_id.company_id", store=True, readonly=True)
    base_scorecard_id = fields.Many2one(
        "credit.scorecard", "Current Scorecard", readonly=True)
    scorecard_id = fields.Many2one(
        "credit.scorecard", "Proposed Scorecard", readonly=True,
        ondelete="restrict")
    state = fields.Selection(
        APPROVAL_STATES, default="draft", required=True, index=True,
        readonly=True, copy=False, track_visibility="onchange")
    observation_count = fields.Integer("Customer-Months", readonly=True)
    current_auc = fields.Float("AUC of the Current Card", digits=(5, 4),
                               readonly=True)
    current_ks = fields.Float("KS of the Current Card", digits=(5, 4),
                              readonly=True)
    proposed_auc = fields.Float("AUC of the Proposal", digits=(5, 4),
                                readonly=True)
    proposed_ks = fields.Float("KS of the Proposal", digits=(5, 4),
                               readonly=True)
    dropped_note = fields.Text("Indicators Left Out", readonly=True)
    grade_line_ids = fields.One2many(
        "credit.scorecard.proposal.grade", "proposal_id",
        "Proposed Grade Cut-Offs", readonly=True)

    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):
        if not is_trusted():
            raise UserError(_("A scorecard proposal is made by fitting a "
                              "back-test (Fit a Scorecard)."))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        # everything a proposal holds comes from its fit
        if not (is_trusted() or trusted_write(self)) and any(
                not name.startswith(("message_", "activity_", "review_"))
                for name in vals):
            raise UserError(_("A fitted proposal is not edited: fit the "
                              "back-test again."))
        return super().write(vals)

    @api.model
    def _fit_from_backtest(self, backtest):
        """Fit a proposal on ``backtest``'s history: the draft scorecard
        version and the proposal waiting for approval."""
        if not self.env.user.has_group(
                "credit_management.group_credit_controller"):
            raise UserError(_("Only the credit team fits scorecards."))
        if backtest.state != "done":
            raise UserError(_("Run the back-test before fitting a scorecard "
                              "on its history."))
        columns, bad = backtest.sudo()._history_table()
        if not 0 < sum(bad) < len(bad):
            raise UserError(_("The history needs both good and bad customers "
                              "to fit a scorecard."))
        columns = {code: values for code, values in columns.items()
                   if any(v is not None for v in values)}
        try:
            fitted = scorecard_fit.fit(columns, bad)
            indicators = scorecard_fit.to_card(fitted)
        except ValueError as error:
            raise UserError(_("No scorecard can be fitted on this history: %s")
                            % error)
        base = backtest.scorecard_id
        with credit_trusted():
            card = self.env["credit.scorecard"].sudo().create(
                self._prepare_scorecard_vals(base, indicators))
        rows = [{code: columns[code][k] for code in columns}
                for k in range(len(bad))]
        scores = [scorecard_fit.card_score(indicators, row) for row in rows]
        sep = scorecard_stats.separation(scores, bad)
        vals = {
            "name": _("%s, fitted on %s") % (base.name, backtest.name),
            "backtest_id": backtest.id, "base_scorecard_id": base.id,
            "scorecard_id": card.id, "observation_count": len(bad),
            "current_auc": backtest.auc, "current_ks": backtest.ks,
            "proposed_auc": sep.auc, "proposed_ks": sep.ks,
            "dropped_note": "\n".join(
                "%s: %s" % (scorecard_domain.INDICATORS[code][1], why)
                for code, why in sorted(fitted.dropped.items())) or False,
            "grade_line_ids": self._prepare_grade_lines(backtest, scores),
        }
        # result lines are read-only for controllers: written by the fit
        with credit_trusted():
            return self.browse(self.sudo().create(vals).id)

    @api.model
    def _prepare_scorecard_vals(self, base, indicators):
        latest = self.env["credit.scorecard"].sudo().with_context(
            active_test=False).search(
            ["|", ("id", "=", base.id), ("parent_id", "=", base.id)],
            order="version desc", limit=1)
        version = max(latest.version, base.version) + 1
        return {
            "name": _("%s (version %d, proposed)") % (base.name, version),
            "company_id": base.company_id.id, "version": version,
            "approval_state": "draft", "parent_id": base.id,
            "indicator_ids": [(0, 0, {
                "sequence": 10 * (index + 1), "code": ind.name,
                "name": scorecard_domain.INDICATORS[ind.name][1],
                "category": scorecard_domain.INDICATORS[ind.name][0],
                "weight": ind.weight, "higher_is_better": ind.higher_is_better,
                "band_ids": [(0, 0, {"threshold": band.threshold,
                                     "percent": band.percent})
                             for band in ind.bands],
            }) for index, ind in enumerate(indicators)],
        }

    @api.model
    def _prepare_grade_lines(self, backtest, scores):
        """Cut-offs giving each grade the share of customers it held in the
        back-test (every grade at least a sliver)."""
        lines = backtest.grade_line_ids.sorted(lambda l: l.min_score)
        total = float(sum(lines.mapped("customers"))) or 1.0
        shares = [max(line.customers / total, 0.01) for line in lines]
        cutoffs = scorecard_fit.grade_cutoffs(scores, shares)
        return [(0, 0, {
            "grade_id": line.grade_id.id,
            "proposed_min_score": max(min(cut, 100.0), 0.0),
        }) for line, cut in zip(lines, cutoffs)]

    # ------------------------------------------------------------------
    def _credit_check_submit(self):
        if not self.env.user.has_group(
                "credit_management.group_credit_controller"):
            raise UserError(_("Only the credit team submits scorecards."))
        card = self.scorecard_id
        if not card or not scorecard_domain.weights_valid(card._get_indicators()):
            raise UserError(_("The proposed scorecard's weights must add up "
                              "to 100."))

    def _credit_apply_approval(self):
        self.ensure_one()
        with credit_trusted():
            self.scorecard_id.write({"approval_state": "approved"})
        self.scorecard_id.message_post(body=_("Approved through %s.") % self.name)

    @api.multi
    def action_reject(self, reason=None):
        result = super().action_reject(reason=reason)
        for proposal in self.filtered(lambda p: p.state == "rejected"):
            with credit_trusted():
                proposal.scorecard_id.sudo().write(
                    {"approval_state": "rejected", "active": False})
        return result

    @api.multi
    def action_open_scorecard(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "credit.scorecard",
                "res_id": self.scorecard_id.id, "view_mode": "form"}

    @api.multi
    def action_backtest_proposal(self):
        """A back-test of the proposed card with the same parameters, to see
        it beside the current card's."""
        self.ensure_one()
        test = self.backtest_id.copy({
            "name": _("%s (proposal)") % self.backtest_id.name,
            "scorecard_id": self.scorecard_id.id})
        test.action_queue()
        return {"type": "ir.actions.act_window",
                "res_model": "credit.scorecard.backtest", "res_id": test.id,
                "view_mode": "form"}


class CreditScorecardProposalGrade(models.Model):
    _name = "credit.scorecard.proposal.grade"
    _description = "Fitted Scorecard Proposal: Grade Cut-Off"
    _order = "proposal_id, current_min_score, id"

    proposal_id = fields.Many2one(
        "credit.scorecard.proposal", required=True, index=True,
        ondelete="cascade")
    grade_id = fields.Many2one("credit.grade", required=True,
                               ondelete="cascade")
    current_min_score = fields.Float(related="grade_id.min_score",
                                     store=True, readonly=True)
    proposed_min_score = fields.Float(digits=(5, 2))
