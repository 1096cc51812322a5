# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class CreditBadDebtWriteOff(models.TransientModel):
    _inherit = "credit.bad.debt.write.off"

    collateral_ids = fields.Many2many(
        "credit.collateral", string="Call Collateral",
        domain="[('partner_id', '=', partner_id), "
               "('company_id', '=', company_id), ('state', '=', 'approved')]",
        help="Guarantees to call and credit insurance to claim on for this "
             "loss; each is claimed up to its secured amount.")

    @api.multi
    def action_apply(self):
        action = super().action_apply()
        if self.collateral_ids:
            record = self.env["credit.bad.debt"].sudo().browse(
                action["res_id"])
            wrong = self.collateral_ids.filtered(
                lambda c: c.partner_id != record.partner_id
                or c.company_id != record.company_id)
            if wrong:
                raise UserError(
                    _("Collateral %s does not secure %s.") % (
                        ", ".join(wrong.mapped("name")),
                        record.partner_id.display_name))
            left = record.amount
            for collateral in self.collateral_ids.sudo():
                claim = min(collateral.secured_amount, max(left, 0.0))
                left -= claim
                collateral._credit_call(record, claim)
        return action
