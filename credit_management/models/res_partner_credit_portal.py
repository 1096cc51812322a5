# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a customer sees of their own credit on the portal (/my/credit).

Everything is read with sudo, strictly for one commercial partner and one
company: the portal user's own commercial partner and company, never an id
from the request.
"""
from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_portal_enabled = fields.Boolean(
        "Credit on the Portal", copy=False, track_visibility="onchange",
        help="The customer's contacts with portal access see their credit "
             "limit, open invoices, aging and promises to pay on /my/credit "
             "and download their statement. Set by the credit team.")

    @api.model
    def _credit_protected_fields(self):
        fields_ = super()._credit_protected_fields()
        fields_["credit_portal_enabled"] = \
            "credit_management.group_credit_controller"
        return fields_

    # ------------------------------------------------------------------
    @api.model
    def _credit_portal_partner(self, user):
        """The commercial partner whose credit ``user`` may see on the
        portal, or an empty recordset."""
        partner = user.sudo().partner_id.commercial_partner_id
        if not partner or not partner.credit_portal_enabled:
            return self.browse()
        return partner

    def _credit_portal_values(self, company):
        """The figures of /my/credit and of the statement for this
        commercial partner in ``company``."""
        self.ensure_one()
        partner = self.sudo().with_context(force_company=company.id)
        today = fields.Date.context_today(self)
        invoices = self.env["account.invoice"].sudo().search([
            ("commercial_partner_id", "=", partner.id),
            ("company_id", "=", company.id),
            ("state", "=", "open"),
            ("type", "in", ("out_invoice", "out_refund")),
        ], order="date_due, id")
        Aging = self.env["credit.aging"].sudo()
        row = Aging._compute_rows(company, today, partner_ids=[partner.id]) \
            .get(partner.id, {})
        aging = [{
            "key": bucket.key,
            "label": Aging._fields["amount_%s" % bucket.key].get_description(
                self.env)["string"],
            "amount": row.get("amount_%s" % bucket.key) or 0.0,
        } for bucket in Aging._get_buckets()]
        promises = self.env["credit.collection.log"].sudo().search([
            ("partner_id", "=", partner.id),
            ("company_id", "=", company.id),
            ("promise_date", "!=", False),
        ], order="promise_date desc, id desc", limit=20)
        return {
            "partner": partner,
            "company": company,
            "currency": company.currency_id,
            "today": today,
            "limit": partner.credit_limit,
            "used": partner.credit_exposure,
            "available": partner.credit_available,
            "overdue_amount": partner.credit_overdue_amount,
            "overdue_days": partner.credit_overdue_days,
            "invoices": invoices,
            "aging": aging,
            "aging_total": row.get("amount_total") or 0.0,
            "promises": promises,
        }
