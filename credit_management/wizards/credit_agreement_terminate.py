# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CreditAgreementTerminate(models.TransientModel):
    """Asks the reason for ending a credit agreement early (managers)."""

    _name = "credit.agreement.terminate"
    _description = "Terminate a credit agreement"

    agreement_id = fields.Many2one("credit.agreement", required=True,
                                   ondelete="cascade")
    reason = fields.Text(required=True)

    def action_apply(self):
        self.ensure_one()
        agreement = self.agreement_id
        agreement.check_access_rights("write")
        agreement.check_access_rule("write")
        agreement.action_terminate(self.reason)
        return {"type": "ir.actions.act_window_close"}
