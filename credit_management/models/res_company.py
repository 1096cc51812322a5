# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_policy_id = fields.Many2one(
        "credit.policy", compute="_compute_credit_policy_id",
        string="Credit Policy")

    def _compute_credit_policy_id(self):
        policies = self.env["credit.policy"].sudo().search(
            [("company_id", "in", self.ids)])
        by_company = {p.company_id.id: p.id for p in policies}
        for company in self:
            company.credit_policy_id = by_company.get(company.id, False)

    def _credit_ensure_policy(self):
        """Create the default policy for companies that have none."""
        Policy = self.env["credit.policy"].sudo()
        for company in self:
            if not Policy.search_count([("company_id", "=", company.id)]):
                Policy.create(company._prepare_credit_policy_vals())
        return True

    def _prepare_credit_policy_vals(self):
        self.ensure_one()
        return {"company_id": self.id}

    @api.model
    def create(self, vals):
        company = super().create(vals)
        company._credit_ensure_policy()
        return company
