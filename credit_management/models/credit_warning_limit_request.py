# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models


class CreditWarning(models.Model):
    """Penalties and rewards ask for a new limit through a limit request."""

    _inherit = "credit.warning"

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
