# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models
from odoo.exceptions import UserError


class CreditApprovalReject(models.TransientModel):
    """Asks the reason for rejecting an evaluation or a limit request."""

    _name = "credit.approval.reject"
    _description = "Reject a credit approval"

    res_model = fields.Char(required=True)
    res_id = fields.Integer(required=True)
    reason = fields.Text(required=True)

    def action_apply(self):
        self.ensure_one()
        if self.res_model not in ("credit.evaluation", "credit.limit.request",
                                  "credit.collateral", "credit.agreement"):
            raise UserError(_("Nothing to reject here."))
        record = self.env[self.res_model].browse(self.res_id)
        record.with_context(credit_reject_no_dialog=True).action_reject(
            self.reason)
        return {"type": "ir.actions.act_window_close"}
