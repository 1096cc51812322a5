# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .credit_approval_mixin import APPROVAL_STATES

_logger = logging.getLogger(__name__)


class CreditLimitRequest(models.Model):
    """Credit limit change request (客户信用额度变更表).

    Any credit user asks for a new limit, permanent or temporary. Controllers
    approve up to the policy's authority (and within the grade's cap),
    managers above; nobody approves their own request. A temporary limit
    goes back to the limit it replaced when it expires.
    """

    _name = "credit.limit.request"
    _description = "Credit Limit Request"
    _inherit = ["credit.approval.mixin", "mail.thread", "mail.activity.mixin"]
    _credit_numbered = True
    _order = "id desc"

    name = fields.Char(required=True, readonly=True, copy=False, default="/",
                       index=True)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True,
        readonly=True, states={"draft": [("readonly", False)]},
        domain="[('customer', '=', True), '|', ('is_company', '=', True), "
               "('parent_id', '=', False)]")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True,
        default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    dossier_id = fields.Many2one("credit.dossier", readonly=True, copy=False,
                                 index=True)
    requested_by = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True,
        required=True)
    state = fields.Selection(
        APPROVAL_STATES[:-1] + [("expired", "Expired")] + APPROVAL_STATES[-1:],
        default="draft", required=True, index=True, readonly=True,
        copy=False, track_visibility="onchange")
    request_type = fields.Selection(
        [("permanent", "Permanent"), ("temporary", "Temporary")],
        "Type", default="permanent", required=True, readonly=True,
        states={"draft": [("readonly", False)]})
    requested_limit = fields.Monetary(
        currency_field="currency_id", required=True,
        readonly=True, states={"draft": [("readonly", False)]},
        track_visibility="onchange")
    expiry_date = fields.Date(
        readonly=True, states={"draft": [("readonly", False)]},
        help="A temporary limit applies up to and including this date.")
    reason = fields.Text(required=True, readonly=True,
                         states={"draft": [("readonly", False)]})

    # the customer's situation (live in draft, frozen at submission)
    current_grade_id = fields.Many2one("credit.grade", "Grade", readonly=True)
    current_limit = fields.Monetary(currency_field="currency_id", readonly=True)
    exposure_amount = fields.Monetary(
        "Exposure", currency_field="currency_id", readonly=True)
    available_amount = fields.Monetary(
        "Available Credit", currency_field="currency_id", readonly=True)
    overdue_amount = fields.Monetary(currency_field="currency_id", readonly=True)
    overdue_days = fields.Integer(readonly=True)
    grade_cap = fields.Monetary(currency_field="currency_id", readonly=True)
    needs_manager = fields.Boolean(
        readonly=True, copy=False,
        help="Above the controllers' authority or the grade's cap: a manager "
             "approves.")

    previous_limit = fields.Monetary(
        currency_field="currency_id", readonly=True, copy=False,
        help="Limit before this request was applied; a temporary limit goes "
             "back to it.")
    revert_date = fields.Datetime(readonly=True, copy=False)

    @api.constrains("requested_limit", "request_type", "expiry_date")
    def _check_request(self):
        for req in self:
            if req.requested_limit < 0:
                raise ValidationError(_("The requested limit cannot be "
                                        "negative."))
            if req.request_type == "temporary" and not req.expiry_date:
                raise ValidationError(_("A temporary limit needs an expiry "
                                        "date."))
            req._check_expiry_not_past()

    def _check_expiry_not_past(self):
        """A temporary limit still to be decided must end today or later."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        if self.request_type == "temporary" and self.expiry_date \
                and self.state in ("draft", "to_approve") \
                and self.expiry_date < today:
            raise ValidationError(_(
                "The expiry date of a temporary limit (%s) is already past; "
                "give a date from today on.") % self.expiry_date)

    @api.constrains("partner_id")
    def _check_partner(self):
        for req in self:
            if req.partner_id.commercial_partner_id != req.partner_id:
                raise ValidationError(
                    _("Request the limit for the company %s, not for its "
                      "contact.") % req.partner_id.commercial_partner_id.name)

    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):
        request = super().create(vals)
        request._refresh_situation()
        return request

    @api.multi
    def write(self, vals):
        res = super().write(vals)
        if "partner_id" in vals:
            self.filtered(lambda r: r.state == "draft")._refresh_situation()
        return res

    @api.multi
    def unlink(self):
        if any(req.state not in ("draft", "cancelled") for req in self):
            raise UserError(_("Only draft or cancelled requests can be "
                              "deleted; decisions are kept."))
        return super().unlink()

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        partner = self.partner_id.commercial_partner_id.with_context(
            force_company=self.company_id.id)
        self.update(self._prepare_situation_vals(partner))

    def _prepare_situation_vals(self, partner):
        grade = partner.credit_grade_id
        return {
            "current_grade_id": grade.id,
            "current_limit": partner.credit_limit,
            "exposure_amount": partner.credit_exposure,
            "available_amount": partner.credit_available,
            "overdue_amount": partner.credit_overdue_amount,
            "overdue_days": partner.credit_overdue_days,
            "grade_cap": grade.limit_cap,
        }

    def _refresh_situation(self):
        """Store the customer's grade, limit, exposure and overdue now."""
        for req in self.sudo():
            partner = req.partner_id.with_context(
                force_company=req.company_id.id)
            vals = req._prepare_situation_vals(partner)
            vals["dossier_id"] = self.env["credit.dossier"]._get_or_create(
                partner, req.company_id).id
            req.write(vals)
        return True

    # ------------------------------------------------------------------
    def _needs_manager(self):
        self.ensure_one()
        policy = self.company_id.sudo().credit_policy_id
        above_authority = self.requested_limit > policy.controller_limit_authority
        above_cap = bool(self.grade_cap) and self.requested_limit > self.grade_cap
        return above_authority or above_cap

    def _credit_approver_group(self):
        if self.needs_manager:
            return "credit_management.group_credit_manager"
        return "credit_management.group_credit_controller"

    def _credit_check_submit(self):
        if not self.env.user.has_group("credit_management.group_credit_user"):
            raise UserError(_("Only credit users request limits."))
        if not (self.reason or "").strip():
            raise UserError(_("Give a reason for the request."))
        today = fields.Date.context_today(self)
        if self.request_type == "temporary" and self.expiry_date < today:
            raise UserError(_("The expiry date of a temporary limit must not "
                              "be in the past."))
        self._refresh_situation()
        self.sudo().write({"needs_manager": self._needs_manager()})

    @api.multi
    def action_approve(self):
        # the expiry may have passed while the request waited
        for req in self:
            req._check_expiry_not_past()
        return super().action_approve()

    def _credit_check_can_decide(self):
        res = super()._credit_check_can_decide()
        if self.env.user == self.requested_by:
            raise UserError(_("You asked for %s; someone else must decide on "
                              "it.") % self.display_name)
        return res

    def _active_temporary_requests(self):
        """Approved temporary limits of the same customer still running."""
        self.ensure_one()
        return self.search([
            ("id", "!=", self.id), ("partner_id", "=", self.partner_id.id),
            ("company_id", "=", self.company_id.id),
            ("request_type", "=", "temporary"), ("state", "=", "approved")],
            order="approval_date, id")

    def _credit_apply_approval(self):
        """Set the limit; a running temporary limit is superseded and its
        base limit becomes this request's previous limit."""
        self.ensure_one()
        partner = self.partner_id.with_context(force_company=self.company_id.id)
        running = self._active_temporary_requests()
        previous = running[:1].previous_limit if running else partner.credit_limit
        if running:
            running._credit_workflow_write({"state": "expired"})
            for old in running:
                old.message_post(body=_("Superseded by %s.") % self.name)
        self.write({"previous_limit": previous})
        partner._credit_write_profile(
            {"credit_limit": self.requested_limit},
            change_type="limit_request",
            reason=_("%s (%s): %s") % (
                self.name, dict(self._fields["request_type"]._description_selection(
                    self.env))[self.request_type], self.reason),
            origin="%s,%d" % (self._name, self.id),
            user_id=self.approved_by.id)

    # ------------------------------------------------------------------
    def _revert(self):
        """End a temporary limit: back to the limit it replaced, unless the
        limit was changed otherwise since; logged either way."""
        self.ensure_one()
        partner = self.partner_id.with_context(force_company=self.company_id.id)
        vals = {"state": "expired", "revert_date": fields.Datetime.now()}
        if abs(partner.credit_limit - self.requested_limit) < 0.005:
            partner._credit_write_profile(
                {"credit_limit": self.previous_limit},
                change_type="limit_expiry",
                reason=_("Temporary limit of %s expired on %s.")
                % (self.name, self.expiry_date),
                origin="%s,%d" % (self._name, self.id))
            body = _("Temporary limit expired: limit back to %s.") % (
                self.previous_limit)
        else:
            body = _("Temporary limit expired; the limit had been changed "
                     "since (now %s) and is left as it is.") % partner.credit_limit
        self._credit_workflow_write(vals)
        self.message_post(body=body)

    @api.model
    def _cron_expire_temporary_limits(self):
        """Revert temporary limits whose expiry date has passed."""
        today = fields.Date.context_today(self)
        expired = self.sudo().search([
            ("request_type", "=", "temporary"), ("state", "=", "approved"),
            ("expiry_date", "<", today)])
        for request in expired:
            request._revert()
        _logger.info("credit limit requests: %d temporary limits expired",
                     len(expired))
        return expired
