# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.exceptions import UserError

from .trusted import is_trusted


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.multi
    def post(self):
        """A journal entry carrying a draft customer invoice's lines is that
        invoice's receivable: it is posted by the invoice's validation (the
        credit gate), not on its own."""
        if not is_trusted() and self.mapped("line_ids.invoice_id").filtered(
                lambda inv: inv.type == "out_invoice"
                and inv.state == "draft"):
            raise UserError(_("Validate customer invoices with the Validate "
                              "button: it runs the credit check."))
        return super().post()
