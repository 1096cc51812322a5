# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from ..domain import scorecard as scorecard_domain
from .credit_approval_mixin import APPROVAL_STATES

# what the proposed limit comes from (keys of domain.limits.proposed_limit);
# selection labels, so Odoo exports and translates them
LIMIT_BASIS = [
    ("no_credit", "the grade allows no credit"),
    ("cap", "the grade's cap"),
    ("equity", "share of the latest equity"),
    ("sales", "share of the expected annual sales"),
    ("no_basis", "no figure for the grade's limit rule"),
]


class CreditEvaluation(models.Model):
    """Credit evaluation (客户信用评估表 + 等级评定表).

    Scores the dossier's latest statement and payment behaviour on the
    policy's scorecard, proposes grade, limit and terms; the analyst may
    override them with a justification; a manager approves through
    tier validation and the approval sets the customer's grade, limit,
    payment term and next review date.
    """

    _name = "credit.evaluation"
    _description = "Credit Evaluation"
    _inherit = ["credit.approval.mixin", "mail.thread", "mail.activity.mixin"]
    _credit_numbered = True
    _order = "date desc, id desc"

    name = fields.Char(
        required=True, readonly=True, copy=False, default="/", index=True)
    dossier_id = fields.Many2one(
        "credit.dossier", required=True, index=True, ondelete="restrict",
        readonly=True, states={"draft": [("readonly", False)]})
    partner_id = fields.Many2one(
        related="dossier_id.partner_id", store=True, readonly=True)
    company_id = fields.Many2one(
        related="dossier_id.company_id", store=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    state = fields.Selection(
        APPROVAL_STATES, default="draft", required=True, index=True,
        readonly=True, copy=False, track_visibility="onchange")
    date = fields.Date(
        default=fields.Date.context_today, required=True, readonly=True,
        states={"draft": [("readonly", False)]})
    user_id = fields.Many2one(
        "res.users", "Analyst", default=lambda self: self.env.user,
        readonly=True, states={"draft": [("readonly", False)]})
    policy_id = fields.Many2one("credit.policy", readonly=True, copy=False)
    policy_version = fields.Integer(readonly=True, copy=False)
    scorecard_id = fields.Many2one("credit.scorecard", readonly=True, copy=False)
    statement_id = fields.Many2one(
        "credit.financial.statement", "Statement Used", readonly=True,
        copy=False)
    line_ids = fields.One2many(
        "credit.evaluation.line", "evaluation_id", "Indicators", readonly=True,
        copy=False)
    total_score = fields.Float(digits=(5, 2), readonly=True, copy=False,
                               track_visibility="onchange")

    # numbers seen at evaluation time
    previous_grade_id = fields.Many2one("credit.grade", readonly=True, copy=False)
    previous_limit = fields.Float(readonly=True, copy=False)
    exposure_amount = fields.Float("Exposure", readonly=True, copy=False)
    overdue_amount = fields.Float(readonly=True, copy=False)
    overdue_days = fields.Integer(readonly=True, copy=False)

    proposed_grade_id = fields.Many2one("credit.grade", readonly=True, copy=False)
    proposed_limit = fields.Float(readonly=True, copy=False)
    proposed_limit_basis_key = fields.Selection(
        LIMIT_BASIS, "Limit Basis", readonly=True, copy=False)
    proposed_limit_basis = fields.Char(
        compute="_compute_proposed_limit_basis",
        help="What the proposed limit comes from.")
    proposed_term_template_id = fields.Many2one(
        "credit.term.template", "Proposed Terms", readonly=True, copy=False)

    final_grade_id = fields.Many2one(
        "credit.grade", "Grade", readonly=True, copy=False,
        states={"draft": [("readonly", False)]}, track_visibility="onchange")
    final_limit = fields.Float(
        "Credit Limit", readonly=True, copy=False,
        states={"draft": [("readonly", False)]}, track_visibility="onchange")
    final_term_template_id = fields.Many2one(
        "credit.term.template", "Credit Terms", readonly=True, copy=False,
        states={"draft": [("readonly", False)]}, track_visibility="onchange")
    is_override = fields.Boolean(
        "Overridden", compute="_compute_is_override", store=True)
    override_reason = fields.Text(
        "Justification", readonly=True, states={"draft": [("readonly", False)]},
        track_visibility="onchange",
        help="Required when grade, limit or terms differ from the proposal, "
             "or the limit exceeds the grade's cap.")
    next_review_date = fields.Date(readonly=True, copy=False)

    @api.depends("proposed_limit_basis_key")
    def _compute_proposed_limit_basis(self):
        labels = dict(self._fields["proposed_limit_basis_key"]
                      ._description_selection(self.env))
        for ev in self:
            ev.proposed_limit_basis = labels.get(ev.proposed_limit_basis_key, "")

    @api.depends("final_grade_id", "final_limit", "final_term_template_id",
                 "proposed_grade_id", "proposed_limit",
                 "proposed_term_template_id")
    def _compute_is_override(self):
        for ev in self:
            ev.is_override = bool(ev.line_ids or ev.proposed_grade_id) and (
                ev.final_grade_id != ev.proposed_grade_id
                or ev.final_term_template_id != ev.proposed_term_template_id
                or float_compare(ev.final_limit, ev.proposed_limit,
                                 precision_digits=2) != 0)

    @api.constrains("final_limit")
    def _check_final_limit(self):
        for ev in self:
            if ev.final_limit < 0:
                raise ValidationError(_("A credit limit cannot be negative."))

    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):
        evaluation = super().create(vals)
        evaluation._compute_scorecard()
        return evaluation

    @api.multi
    def unlink(self):
        if any(ev.state not in ("draft", "cancelled") for ev in self):
            raise UserError(_("Only draft or cancelled evaluations can be "
                              "deleted; decisions are kept."))
        return super().unlink()

    # ------------------------------------------------------------------
    # Gathering the facts
    # ------------------------------------------------------------------
    def _get_policy(self):
        self.ensure_one()
        policy = self.company_id.sudo().credit_policy_id
        if not policy:
            raise UserError(_("Company %s has no credit policy.")
                            % self.company_id.name)
        return policy

    def _get_scorecard(self):
        scorecard = self._get_policy().scorecard_id
        if not scorecard:
            raise UserError(_("The credit policy has no scorecard; set one in "
                              "Credit > Configuration > Credit Policy."))
        if not scorecard_domain.weights_valid(scorecard._get_indicators()):
            raise UserError(_("The weights of scorecard %s do not add up to "
                              "100.") % scorecard.name)
        return scorecard

    def _prepare_score_facts(self, statement):
        self.ensure_one()
        dossier = self.dossier_id.sudo()
        partner = dossier.partner_id.with_context(
            force_company=dossier.company_id.id)
        return scorecard_domain.ScoreFacts(
            today=fields.Date.from_string(self.date),
            founding_date=fields.Date.from_string(dossier.founding_date)
            if dossier.founding_date else None,
            registered_capital=dossier.registered_capital,
            tax_status=dossier.tax_status,
            investigation_verified=dossier.investigation_verified,
            litigation_count=dossier.litigation_count,
            statement=statement._get_figures() if statement else None,
            payment=dossier._get_payment_behaviour(),
            overdue_days=partner.credit_overdue_days)

    def _prepare_line_vals(self, line, indicator):
        unit = scorecard_domain.INDICATORS[line.code][2]
        if not line.available:
            display = _("Not available")
        elif unit == "amount":
            display = "{:,.0f}".format(line.value)
        elif unit == "%":
            display = "%.1f %%" % line.value
        else:
            display = "%.2f" % line.value
        return {
            "evaluation_id": self.id, "indicator_id": indicator.id,
            "sequence": indicator.sequence, "name": indicator.name,
            "category": indicator.category, "weight": line.weight,
            "value": line.value if line.available else 0.0,
            "value_display": display, "available": line.available,
            "percent": line.percent, "points": line.points,
        }

    def _compute_scorecard(self):
        """(Re)score the evaluation and refresh the proposal."""
        for ev in self:
            if ev.state != "draft":
                raise UserError(_("Only a draft evaluation can be computed."))
            policy = ev._get_policy()
            scorecard = ev._get_scorecard()
            statement = ev.dossier_id._get_latest_statement()
            indicators = scorecard.indicator_ids
            lines, total = scorecard_domain.evaluate(
                [i._get_domain_indicator() for i in indicators],
                ev._prepare_score_facts(statement))
            by_id = {i.id: i for i in indicators}
            Line = self.env["credit.evaluation.line"].sudo()
            ev.line_ids.sudo().unlink()
            for line in lines:
                Line.create(ev._prepare_line_vals(line, by_id[line.key]))
            grade = self.env["credit.grade"]._grade_for_score(
                total, ev.company_id)
            equity = statement.equity if statement else None
            limit, basis = grade._proposed_limit(
                equity=equity,
                annual_sales=ev.dossier_id.sudo().expected_annual_sales or None
            ) if grade else (0.0, "no_basis")
            partner = ev.partner_id.with_context(force_company=ev.company_id.id)
            vals = {
                "policy_id": policy.id, "policy_version": policy.version,
                "scorecard_id": scorecard.id, "statement_id": statement.id,
                "total_score": total,
                "previous_grade_id": partner.credit_grade_id.id,
                "previous_limit": partner.credit_limit,
                "exposure_amount": partner.credit_exposure,
                "overdue_amount": partner.credit_overdue_amount,
                "overdue_days": partner.credit_overdue_days,
                "proposed_grade_id": grade.id,
                "proposed_limit": limit,
                "proposed_limit_basis_key": basis,
                "proposed_term_template_id": grade.term_template_id.id,
            }
            if not ev.is_override:
                vals.update(final_grade_id=grade.id, final_limit=limit,
                            final_term_template_id=grade.term_template_id.id)
            ev.write(vals)
        return True

    @api.multi
    def action_compute(self):
        if not self.env.user.has_group(
                "credit_management.group_credit_controller"):
            raise UserError(_("Only the credit team runs evaluations."))
        return self._compute_scorecard()

    @api.multi
    def action_reset_proposal(self):
        """Drop the override: back to the proposed grade, limit and terms."""
        self._credit_check_state(("draft",))
        for ev in self:
            ev.write({"final_grade_id": ev.proposed_grade_id.id,
                      "final_limit": ev.proposed_limit,
                      "final_term_template_id": ev.proposed_term_template_id.id,
                      "override_reason": False})
        return True

    # ------------------------------------------------------------------
    # Approval
    # ------------------------------------------------------------------
    def _credit_override_reasons(self):
        """Why this evaluation needs a justification ([] when it does not)."""
        self.ensure_one()
        reasons = []
        if self.is_override:
            reasons.append(_("grade, limit or terms differ from the proposal"))
        grade = self.final_grade_id
        if grade.limit_cap and float_compare(
                self.final_limit, grade.limit_cap, precision_digits=2) > 0:
            reasons.append(_("the limit %s exceeds the cap %s of grade %s")
                           % (self.final_limit, grade.limit_cap, grade.code))
        if grade and not grade.allow_credit and self.final_limit > 0:
            reasons.append(_("grade %s allows no credit") % grade.code)
        return reasons

    def _credit_check_submit(self):
        if not self.env.user.has_group(
                "credit_management.group_credit_controller"):
            raise UserError(_("Only the credit team submits evaluations."))
        if not self.line_ids or not self.final_grade_id:
            raise UserError(_("Compute the evaluation and choose a grade "
                              "before submitting it."))
        reasons = self._credit_override_reasons()
        if reasons and not (self.override_reason or "").strip():
            raise UserError(_("A justification is required because %s.")
                            % "; ".join(reasons))

    def _credit_apply_approval(self):
        """Set grade, limit, terms and review date; log in the dossier."""
        self.ensure_one()
        dossier = self.dossier_id
        grade = self.final_grade_id
        review_date = dossier._next_review_date(
            grade, start=fields.Date.from_string(self.date))
        vals = {"credit_grade_id": grade.id, "credit_limit": self.final_limit,
                "credit_review_date": review_date}
        term = self.final_term_template_id.payment_term_id
        if term:
            vals["property_payment_term_id"] = term.id
        reason = self.override_reason or _(
            "Evaluation %s: score %.2f, grade %s.") % (
            self.name, self.total_score, grade.code)
        self.partner_id.with_context(
            force_company=self.company_id.id)._credit_write_profile(
                vals, change_type="evaluation", reason=reason,
                origin="%s,%d" % (self._name, self.id),
                user_id=self.approved_by.id)
        dossier_vals = {"review_date": review_date}
        if dossier.state == "draft":
            dossier_vals["state"] = "active"
        dossier.write(dossier_vals)
        self.write({"next_review_date": review_date})
        self.activity_ids.action_feedback(_("Evaluation approved."))


class CreditEvaluationLine(models.Model):
    """One scored indicator of an evaluation (kept as computed)."""

    _name = "credit.evaluation.line"
    _description = "Credit Evaluation Indicator"
    _order = "evaluation_id, sequence, id"

    evaluation_id = fields.Many2one(
        "credit.evaluation", required=True, index=True, ondelete="cascade")
    indicator_id = fields.Many2one(
        "credit.scorecard.indicator", ondelete="set null")
    sequence = fields.Integer()
    name = fields.Char(required=True)
    category = fields.Selection(list(scorecard_domain.CATEGORIES))
    weight = fields.Float(digits=(5, 2))
    value = fields.Float(digits=(16, 2))
    value_display = fields.Char("Value")
    available = fields.Boolean()
    percent = fields.Float("Band (%)", digits=(5, 1))
    points = fields.Float(digits=(5, 2))
