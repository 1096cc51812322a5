# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .trusted import credit_trusted_write

_logger = logging.getLogger(__name__)


class CreditAgreement(models.Model):
    """A credit agreement with a customer (信用合同).

    States: draft, waiting approval, approved (by a manager, never the one
    who submitted it), active (signed and in force), expired, terminated.
    When the customer's grade requires an agreement, the credit check holds
    its orders while none is active (reason ``agreement``).
    """

    _name = "credit.agreement"
    _description = "Credit Agreement"
    _inherit = ["credit.approval.mixin", "mail.thread", "mail.activity.mixin"]
    _credit_numbered = True
    _order = "valid_to desc, id desc"

    _credit_workflow_fields = (
        "state", "submitted_by", "submit_date", "approved_by",
        "approval_date", "rejected_by", "reject_date", "reject_reason",
        "terminate_date", "terminate_reason")
    # what may still be filled in on an approved agreement (the signature)
    _credit_signature_fields = frozenset(
        ("date_signed", "signed_copy", "signed_copy_name"))

    name = fields.Char("Number", required=True, readonly=True, copy=False,
                       default="/", index=True)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True,
        readonly=True, states={"draft": [("readonly", False)]},
        domain="[('customer', '=', True), '|', ('is_company', '=', True), "
               "('parent_id', '=', False)]")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True,
        states={"draft": [("readonly", False)]},
        default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(related="company_id.currency_id",
                                  readonly=True)
    state = fields.Selection(
        [("draft", "Draft"), ("to_approve", "Waiting Approval"),
         ("approved", "Approved"), ("active", "Active"),
         ("expired", "Expired"), ("terminated", "Terminated"),
         ("rejected", "Rejected"), ("cancelled", "Cancelled")],
        default="draft", required=True, index=True, readonly=True,
        copy=False, track_visibility="onchange")
    date_signed = fields.Date("Signed On", copy=False,
                              track_visibility="onchange")
    valid_from = fields.Date(
        required=True, default=fields.Date.context_today, readonly=True,
        states={"draft": [("readonly", False)]})
    valid_to = fields.Date(
        required=True, readonly=True, states={"draft": [("readonly", False)]},
        track_visibility="onchange")
    approved_limit = fields.Monetary(
        currency_field="currency_id", readonly=True,
        states={"draft": [("readonly", False)]},
        track_visibility="onchange")
    term_template_id = fields.Many2one(
        "credit.term.template", "Credit Terms", readonly=True,
        states={"draft": [("readonly", False)]})
    penalty_interest_rate = fields.Float(
        "Penalty Interest (% per year)", digits=(5, 2), readonly=True,
        states={"draft": [("readonly", False)]},
        help="违约责任: interest on amounts paid late.")
    early_termination = fields.Boolean(
        "Early Termination on Default", default=True, readonly=True,
        states={"draft": [("readonly", False)]},
        help="The company may end the agreement and call all amounts due "
             "when the customer defaults.")
    security_required = fields.Boolean(
        readonly=True,
        states={"draft": [("readonly", False)]},
        help="The customer provides a guarantee or credit insurance.")
    special_clauses = fields.Text(
        readonly=True, states={"draft": [("readonly", False)]})
    signed_copy = fields.Binary(attachment=True, copy=False)
    signed_copy_name = fields.Char(copy=False)
    evaluation_id = fields.Many2one(
        "credit.evaluation", "Evaluation", readonly=True, copy=False,
        states={"draft": [("readonly", False)]},
        help="The credit evaluation that granted this credit.")
    limit_request_id = fields.Many2one(
        "credit.limit.request", "Limit Request", readonly=True, copy=False,
        states={"draft": [("readonly", False)]})
    terminate_date = fields.Date(readonly=True, copy=False)
    terminate_reason = fields.Text(readonly=True, copy=False)

    @api.constrains("valid_from", "valid_to", "partner_id",
                    "penalty_interest_rate", "approved_limit")
    def _check_values(self):
        for rec in self:
            if rec.valid_to < rec.valid_from:
                raise ValidationError(_("The agreement ends before it "
                                        "starts."))
            if rec.approved_limit < 0 or not 0 <= rec.penalty_interest_rate < 100:
                raise ValidationError(_("The limit cannot be negative and the "
                                        "penalty interest must be between 0 "
                                        "and 100 %."))
            if rec.partner_id.commercial_partner_id != rec.partner_id:
                raise ValidationError(
                    _("Make the agreement with the company %s, not with its "
                      "contact.") % rec.partner_id.commercial_partner_id.name)

    @api.multi
    def write(self, vals):
        # the signature is added to an approved agreement
        if vals and set(vals) <= self._credit_signature_fields and all(
                rec.state == "approved" for rec in self):
            with credit_trusted_write(self):
                return super().write(vals)
        return super().write(vals)

    # ------------------------------------------------------------------
    def _credit_approver_group(self):
        return "credit_management.group_credit_manager"

    def _credit_check_submit(self):
        if not self.env.user.has_group(
                "credit_management.group_credit_controller"):
            raise UserError(_("Only credit controllers submit credit "
                              "agreements."))
        if self.valid_to < fields.Date.context_today(self):
            raise UserError(_("The agreement %s has already ended (%s).")
                            % (self.name, self.valid_to))

    def _credit_apply_approval(self):
        self.ensure_one()
        self.message_post(body=_("Agreement approved; activate it once "
                                 "signed."))

    @api.multi
    def action_activate(self):
        """Signed: the agreement is in force."""
        if not self.env.user.has_group(
                "credit_management.group_credit_controller"):
            raise UserError(_("Only the credit team activates agreements."))
        self._credit_check_state(("approved",))
        today = fields.Date.context_today(self)
        for rec in self:
            if not rec.date_signed or not rec.signed_copy:
                raise UserError(_("Enter the signature date and attach the "
                                  "signed copy of %s first.") % rec.name)
            if rec.valid_to < today:
                raise UserError(_("The agreement %s has already ended (%s).")
                                % (rec.name, rec.valid_to))
            rec._credit_workflow_write({"state": "active"})
            rec.message_post(body=_("Agreement active."))
        return True

    @api.multi
    def action_terminate(self, reason=None):
        """End an active agreement early (manager, with a reason)."""
        if not self.env.user.has_group("credit_management.group_credit_manager"):
            raise UserError(_("Only credit managers terminate agreements."))
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Give a reason for the termination."))
        self._credit_check_state(("approved", "active"))
        for rec in self:
            rec._credit_workflow_write({
                "state": "terminated",
                "terminate_date": fields.Date.context_today(self),
                "terminate_reason": reason})
            rec.message_post(body=_("Terminated: %s") % reason)
        return True

    @api.model
    def _cron_expire(self, date=None):
        """Expire the agreements whose last valid day has passed."""
        today = date or fields.Date.context_today(self)
        expired = self.sudo().search([
            ("state", "in", ("approved", "active")), ("valid_to", "<", today)])
        for rec in expired:
            rec._credit_workflow_write({"state": "expired"})
            rec.message_post(body=_("Agreement expired on %s.") % rec.valid_to)
        _logger.info("credit agreements: %d expired", len(expired))
        return expired

    # ------------------------------------------------------------------
    @api.model
    def _credit_active_domain(self, partners, company, date):
        return [("partner_id", "in", partners.ids),
                ("company_id", "=", company.id), ("state", "=", "active"),
                ("valid_from", "<=", date), ("valid_to", ">=", date)]

    @api.model
    def _credit_agreement_missing(self, partner, company, date=None):
        """Whether ``partner``'s grade requires an active agreement and it
        has none in force on ``date``."""
        date = date or fields.Date.context_today(self)
        grade = partner.with_context(force_company=company.id).credit_grade_id
        if not grade.sudo().agreement_required:
            return False
        return not self.sudo().search_count(
            self._credit_active_domain(partner, company, date))
