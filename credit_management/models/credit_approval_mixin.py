# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .trusted import credit_trusted_write, trusted_write

# The states of an approved document (evaluation, proposal; a limit request
# adds "expired" before "cancelled").
APPROVAL_STATES = [
    ("draft", "Draft"), ("to_approve", "Waiting Approval"),
    ("approved", "Approved"), ("rejected", "Rejected"),
    ("cancelled", "Cancelled")]


class CreditApprovalMixin(models.AbstractModel):
    """Submit / approve / reject on top of OCA ``tier.validation``.

    The document is submitted (state ``to_approve``), which requests the
    reviews of every matching ``tier.definition``. Each approver approves
    one tier; nobody approves a document they submitted or two tiers of the
    same document. When every tier is approved the document applies itself
    (``_credit_apply_approval``). A rejection needs a reason and ends the
    document. State and decision fields are written only by these methods
    after the checks (a trusted write of the document, see trusted.py),
    never by a client's write, superuser or not.
    """

    _name = "credit.approval.mixin"
    _description = "Credit approval (tier validation)"
    _inherit = ["tier.validation"]

    _state_field = "state"
    _state_from = ["to_approve"]
    _state_to = ["approved"]
    _cancel_state = "rejected"

    # numbered at creation by the ir.sequence whose code is the model's name
    _credit_numbered = False

    # fields only the workflow writes
    _credit_workflow_fields = (
        "state", "submitted_by", "submit_date", "approved_by",
        "approval_date", "rejected_by", "reject_date", "reject_reason")

    submitted_by = fields.Many2one("res.users", readonly=True, copy=False)
    submit_date = fields.Datetime(readonly=True, copy=False)
    approved_by = fields.Many2one("res.users", readonly=True, copy=False)
    approval_date = fields.Datetime(readonly=True, copy=False)
    rejected_by = fields.Many2one("res.users", readonly=True, copy=False)
    reject_date = fields.Datetime(readonly=True, copy=False)
    reject_reason = fields.Text(readonly=True, copy=False)

    # ------------------------------------------------------------------
    # hooks
    # ------------------------------------------------------------------
    def _credit_approver_group(self):
        """The group a user needs to approve this document at all."""
        return "credit_management.group_credit_manager"

    def _credit_check_submit(self):
        """Raise when the document cannot be submitted."""

    def _credit_apply_approval(self):
        """Apply the approved document (called as superuser, inside a
        trusted write of the document)."""

    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):
        self._credit_check_workflow_write(vals)
        if self._credit_numbered and vals.get("name", "/") == "/":
            vals = dict(vals, name=self.env["ir.sequence"].next_by_code(
                self._name) or "/")
        return super().create(vals)

    @api.multi
    def write(self, vals):
        self._credit_check_workflow_write(vals)
        if not trusted_write(self) and any(
                rec.state != "draft" for rec in self):
            locked = [f for f in vals if not f.startswith(("message_", "activity_"))]
            if locked:
                raise UserError(
                    _("%s can be changed only while it is a draft.")
                    % self._description)
        return super().write(vals)

    @api.model
    def _credit_check_workflow_write(self, vals):
        if trusted_write(self):
            return
        touched = set(vals) & set(self._credit_workflow_fields)
        if touched - {"state"} or vals.get("state", "draft") != "draft":
            raise UserError(
                _("Use the Submit, Approve and Reject buttons to change the "
                  "state of %s.") % self._description)

    @api.model
    def _get_under_validation_exceptions(self):
        return super()._get_under_validation_exceptions() + [
            "message_last_post", "activity_ids", "message_ids",
            "rejected_by", "reject_date", "reject_reason"]

    def _credit_workflow_write(self, vals):
        """The workflow's own write of state and decision fields."""
        with credit_trusted_write(self):
            return self.sudo().write(vals)

    def _credit_state_label(self):
        return dict(self._fields["state"]._description_selection(self.env))[
            self.state]

    def _credit_check_state(self, states):
        for rec in self:
            if rec.state not in states:
                raise UserError(
                    _("%s is %s; this action is not possible.")
                    % (rec.display_name, rec._credit_state_label()))

    # ------------------------------------------------------------------
    @api.multi
    def action_submit(self):
        self._credit_check_state(("draft",))
        for rec in self:
            rec._credit_check_submit()
            rec._credit_workflow_write({
                "state": "to_approve", "submitted_by": self.env.uid,
                "submit_date": fields.Datetime.now()})
            # reviews are requested by the submitter
            rec.request_validation()
        return True

    def _credit_check_can_decide(self):
        self.ensure_one()
        self._credit_check_state(("to_approve",))
        if not self.env.user.has_group(self._credit_approver_group()):
            raise UserError(_("You are not allowed to decide on %s.")
                            % self.display_name)
        if self.env.user == self.submitted_by:
            raise UserError(_("You submitted %s; someone else must decide on "
                              "it.") % self.display_name)

    def _validate_tier(self, tiers=False):
        """Approve one pending tier (the next one) for the current user."""
        self.ensure_one()
        reviews = (tiers or self.review_ids).filtered(
            lambda r: r.status == "pending"
            and self.env.user in r.reviewer_ids).sorted("sequence")
        if not reviews:
            raise UserError(_("No pending approval of %s is waiting for you.")
                            % self.display_name)
        if self.review_ids.filtered(lambda r: r.status == "approved"
                                    and r.done_by == self.env.user):
            raise UserError(_("You already approved a tier of %s; another "
                              "approver must approve the next one.")
                            % self.display_name)
        reviews[:1].write({"status": "approved", "done_by": self.env.uid,
                           "reviewed_date": fields.Datetime.now()})
        self._notify_accepted_reviews()

    @api.multi
    def action_approve(self):
        for rec in self:
            rec._credit_check_can_decide()
            if rec.review_ids:
                rec.validate_tier()
                if not rec.validated:
                    continue  # further tiers pending
            rec._credit_workflow_write({
                "state": "approved", "approved_by": self.env.uid,
                "approval_date": fields.Datetime.now()})
            with credit_trusted_write(rec):
                rec.sudo()._credit_apply_approval()
        return True

    @api.multi
    def action_reject(self, reason=None):
        """Reject with a reason; without one, open the reason dialog."""
        if not reason:
            if self.env.context.get("credit_reject_no_dialog"):
                raise UserError(_("Give a reason for the rejection."))
            return {
                "type": "ir.actions.act_window",
                "res_model": "credit.approval.reject",
                "view_mode": "form", "target": "new",
                "name": _("Reject"),
                "context": {"default_res_model": self._name,
                            "default_res_id": self.id},
            }
        reason = reason.strip()
        if not reason:
            raise UserError(_("Give a reason for the rejection."))
        for rec in self:
            rec._credit_check_can_decide()
            rec.reject_tier()
            rec._credit_workflow_write({
                "state": "rejected", "rejected_by": self.env.uid,
                "reject_date": fields.Datetime.now(),
                "reject_reason": reason})
            rec.message_post(body=_("Rejected: %s") % reason)
        return True

    @api.multi
    def action_cancel(self):
        self._credit_check_state(("draft",))
        return self._credit_workflow_write({"state": "cancelled"})
