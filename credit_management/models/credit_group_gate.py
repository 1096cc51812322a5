# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The credit group in the credit check: the customer's group, the group
locked with its members, the group's limit and exposure in the check's
snapshot and on the check."""
from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_group_id = fields.Many2one(
        "credit.group", "Credit Group", compute="_compute_credit_group_id",
        help="The customer's credit group in the current company.")

    def _compute_credit_group_id(self):
        company = self._credit_company()
        members = self.env["credit.group.member"].sudo().search([
            ("partner_id", "in", self.mapped("commercial_partner_id").ids),
            ("company_id", "=", company.id)])
        groups = {m.partner_id.id: m.group_id.id for m in members}
        for partner in self:
            partner.credit_group_id = groups.get(
                partner.commercial_partner_id.id, False)

    def _credit_lock(self):
        """Lock and write the credit groups of these partners first, then
        the partners: two members of one group checked at the same moment
        wait for each other and the second fails to serialize and is retried
        on fresh data (as for one customer). Groups first: every check takes
        its locks in the same order."""
        company_ids = self.env[
            "credit.group.member"]._credit_member_company_ids()
        company_id = self.env.context.get("force_company")
        # no group to lock: no member at all, or none in the checked company
        if self.ids and company_ids and (
                not company_id or company_id in company_ids):
            self.env.cr.execute("""
                SELECT g.id FROM credit_group g
                 WHERE g.id IN (SELECT m.group_id FROM credit_group_member m
                                 WHERE m.partner_id IN %s)
                 ORDER BY g.id FOR UPDATE
            """, (tuple(self.ids),))
            group_ids = [row[0] for row in self.env.cr.fetchall()]
            if group_ids:
                self.env.cr.execute(
                    "UPDATE credit_group SET credit_checked_at = "
                    "(now() at time zone 'UTC') WHERE id IN %s",
                    (tuple(group_ids),))
                self.env["credit.group"].invalidate_cache(
                    ["credit_checked_at"], group_ids)
        return super()._credit_lock()


class CreditCheck(models.Model):
    _inherit = "credit.check"

    group_id = fields.Many2one(
        "credit.group", "Credit Group", readonly=True, index=True,
        help="The customer's credit group when it was checked.")
    group_limit_amount = fields.Monetary(
        "Group Credit Limit", currency_field="currency_id", readonly=True)
    group_exposure_amount = fields.Monetary(
        "Group Exposure Before", currency_field="currency_id", readonly=True,
        help="Exposure of all the group's members before this document.")
    group_excess_amount = fields.Monetary(
        "Excess Over Group Limit", currency_field="currency_id",
        readonly=True)

    @api.model
    def _prepare_snapshot(self, partner, company, policy, amount, term,
                          **kwargs):
        snap = super()._prepare_snapshot(partner, company, policy, amount,
                                         term, **kwargs)
        group = self.env["credit.group"]._credit_group_of(partner, company)
        if not group:
            return snap
        data = group._credit_member_data(
            today=fields.Date.context_today(self),
            exclude_order_ids=kwargs.get("exclude_order_ids", ()),
            exclude_invoice_ids=kwargs.get("exclude_invoice_ids", ()))
        return snap._replace(
            group_limit=group.credit_limit,
            group_exposure=group._credit_total_exposure(data, policy))

    @api.model
    def _prepare_group_check_values(self, partner, company, snap, result):
        """The group's numbers stored on the check."""
        group = self.env["credit.group"]._credit_group_of(partner, company)
        if not group:
            return {}
        return {
            "group_id": group.id,
            "group_limit_amount": snap.group_limit,
            "group_exposure_amount": snap.group_exposure,
            "group_excess_amount": result.group_excess,
        }
