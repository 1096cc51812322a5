# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..domain import decision as decision_domain


class CreditCheckDecision(models.TransientModel):
    """Release or reject a held order (or invoice), with a reason."""

    _name = "credit.check.decision"
    _description = "Decision on a Held Order"

    check_id = fields.Many2one("credit.check", "Credit Check", required=True,
                               ondelete="cascade")
    decision = fields.Selection(
        [("release", "Release (confirm the order)"),
         ("reject", "Reject (keep the quotation)")],
        required=True, default="release")
    reason = fields.Text(required=True)
    reasons = fields.Text(related="check_id.reasons", readonly=True)
    required_authority = fields.Selection(
        related="check_id.required_authority", readonly=True)
    trigger = fields.Selection(related="check_id.trigger", readonly=True)

    # ------------------------------------------------------------------
    def _check_can_decide(self):
        """Raise unless the current user may take this decision now."""
        self.ensure_one()
        user = self.env.user
        check = self.check_id.sudo()
        if not user.has_group("credit_management.group_credit_controller"):
            raise AccessError(_("Only the credit team (controllers and "
                                "managers) decides held orders."))
        if check.result != "blocked" or check.check_mode != "block":
            raise UserError(_("Only a held order can be released or rejected."))
        if check.decision:
            raise UserError(_("This hold was already decided (%s by %s).") % (
                dict(check._fields["decision"]._description_selection(
                    self.env))[check.decision], check.decided_by.name))
        if not check.is_held:
            raise UserError(_("The order is no longer waiting for a decision "
                              "(confirmed, cancelled or deleted)."))
        if not (self.reason or "").strip():
            raise UserError(_("Give the reason for the decision."))
        if self.decision != "release":
            return
        document = check._document()
        salesperson = document.user_id
        if salesperson == user or check.user_id == user:
            raise AccessError(_("You are the salesperson of %s: another "
                                "member of the credit team must release it.")
                              % document.display_name)
        if check.requested_by == user:
            raise AccessError(_("You made the change to %s that was held: "
                                "another member of the credit team must "
                                "release it.") % document.display_name)
        self._check_unchanged(check, document)
        policy = check.company_id.sudo().credit_policy_id
        needed = decision_domain.required_authority(
            max(check.excess_amount, check.group_excess_amount),
            check.overdue_days, policy.controller_release_excess,
            policy.controller_release_overdue_days)
        if needed == decision_domain.MANAGER and not user.has_group(
                "credit_management.group_credit_manager"):
            raise AccessError(_(
                "This release is above the controllers' authority (excess over "
                "the limit up to %s, overdue up to %s days): a credit manager "
                "must decide.") % (
                    "{:,.2f}".format(policy.controller_release_excess),
                    policy.controller_release_overdue_days))

    def _check_unchanged(self, check, document):
        """A release covers the amount that was checked, not more."""
        amount = document._credit_current_amount(check)
        if amount - check.order_amount > decision_domain.EPSILON:
            raise UserError(_(
                "The order changed since it was held (%s, now %s): confirm it "
                "again to run a new credit check.") % (
                    "{:,.2f}".format(check.order_amount),
                    "{:,.2f}".format(amount)))

    @api.multi
    def action_apply(self):
        self.ensure_one()
        self._check_can_decide()
        check = self.check_id.sudo()
        document = check._document()
        check._write_decision({
            "decision": "released" if self.decision == "release" else "rejected",
            "decided_by": self.env.uid,
            "decision_date": fields.Datetime.now(),
            "decision_reason": self.reason.strip(),
        })
        if self.decision == "release":
            document.sudo(self.env.uid)._credit_confirm_released(check)
        else:
            document.sudo(self.env.uid)._credit_reject(check)
        self._notify(check, document)
        return {"type": "ir.actions.act_window_close"}

    def _notify(self, check, document):
        """Tell the salesperson; close the credit team's to-dos."""
        if check.trigger == "change":
            if self.decision == "release":
                text = _("Credit hold on a change released by %s (save the "
                         "same change again to apply it, once): %s")
            else:
                text = _("Credit hold on a change rejected by %s (the change "
                         "stays unsaved): %s")
        elif self.decision == "release":
            text = _("Credit hold released by %s: %s")
        else:
            text = _("Credit hold rejected by %s (revise the order and confirm "
                     "it again): %s")
        salesperson = document.user_id.partner_id
        document.sudo().message_post(
            body=text % (self.env.user.name, self.reason.strip()),
            subtype="mail.mt_comment",
            partner_ids=salesperson.ids)
        check._close_reviews(_("Decided: %s") % self.reason.strip())
