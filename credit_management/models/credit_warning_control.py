# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""credit.warning: penalties (hold, limit reduction) and rewards (limit
increase) by policy; a new limit is always asked for through a limit
request, never written here.
"""
from odoo import _, api, models

from ..domain import risk_warnings as warning_domain


class CreditWarning(models.Model):
    _inherit = "credit.warning"

    # ------------------------------------------------------------------
    # Penalties and rewards (奖惩)
    # ------------------------------------------------------------------
    @api.model
    def _apply_controls(self, company, policy, partner, open_warnings=None):
        """Penalty by policy once the open warnings reach its severity."""
        if policy.penalty_action == "none":
            return
        if open_warnings is None:
            open_warnings = self.search([("partner_id", "=", partner.id),
                                         ("company_id", "=", company.id),
                                         ("state", "=", "open")])
        warnings = open_warnings.filtered(
            lambda w: w.warning_type != "good_payer")
        if not warnings:
            return
        worst = warning_domain.worst_severity(
            [warning_domain.Signal(w.warning_type, w.severity, 0, 0)
             for w in warnings])
        if not worst or not warning_domain.at_least(
                worst, policy.penalty_severity):
            return
        trigger = warnings.sorted(
            lambda w: (-w.severity_rank, w.id))[0]
        if trigger.action_taken != "none":
            return
        action = "none"
        if policy.penalty_action in ("hold", "hold_reduce") \
                and not partner.credit_hold:
            partner.with_context(force_company=company.id)._credit_write_profile({
                "credit_hold": True,
                "credit_hold_reason": _("Credit warning: %s") % (
                    trigger.message or "")[:200]})
            action = "hold"
        if policy.penalty_action in ("reduce", "hold_reduce") \
                and partner.credit_limit > 0:
            new_limit = warning_domain.limit_reduction(
                partner.credit_limit, policy.penalty_reduce_percent)
            request = self._create_limit_request(
                company, partner, new_limit,
                _("Penalty for warning: %s") % trigger.message, trigger)
            if request:
                trigger.limit_request_id = request
                action = "hold_request" if action == "hold" else "request"
        if action != "none":
            trigger.action_taken = action
            trigger.message_post(body=_("Automatic control: %s") % dict(
                self._fields["action_taken"].selection)[action])

    @api.model
    def _propose_reward(self, company, policy, partner, warning):
        new_limit = warning_domain.limit_increase(
            partner.credit_limit, policy.reward_increase_percent)
        request = partner.credit_limit > 0 and self._create_limit_request(
            company, partner, new_limit, warning.message, warning)
        if request:
            warning.write({"action_taken": "proposal",
                           "limit_request_id": request.id})

    @api.model
    def _create_limit_request(self, company, partner, new_limit, reason,
                              warning):
        """Submit a permanent limit request (a controller or manager decides).
        Nothing is asked while another request of the customer is open."""
        Request = self.env["credit.limit.request"].sudo()
        partner = partner.commercial_partner_id
        if Request.search_count([
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("state", "in", ("draft", "to_approve"))]):
            return False
        request = Request.create({
            "partner_id": partner.id, "company_id": company.id,
            "request_type": "permanent",
            "requested_limit": max(new_limit, 0.0),
            "reason": "%s\n%s" % (
                _("Proposed by credit warning %s.") % warning.display_name,
                reason or ""),
        })
        request.action_submit()
        return request
