# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .trusted import trusted_write


class CreditBadDebt(models.Model):
    """A bad-debt write-off (坏账核销): stored, read-only decision record.

    Created only by the write-off wizard (credit managers): who wrote off
    which invoices, how much, on which account and journal, and why.
    """

    _name = "credit.bad.debt"
    _description = "Bad-Debt Write-Off"
    _order = "date desc, id desc"

    name = fields.Char(required=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, readonly=True, index=True,
        ondelete="restrict")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=True)
    date = fields.Date(required=True, readonly=True)
    user_id = fields.Many2one("res.users", "Written Off By", required=True,
                              readonly=True)
    reason = fields.Text(required=True, readonly=True)
    invoice_ids = fields.Many2many(
        "account.invoice", "credit_bad_debt_invoice_rel", "bad_debt_id",
        "invoice_id", "Invoices", readonly=True)
    amount = fields.Monetary(
        "Amount Written Off", readonly=True,
        help="Residual of the invoices in the company currency.")
    account_id = fields.Many2one("account.account", "Bad-Debt Account",
                                 required=True, readonly=True)
    journal_id = fields.Many2one("account.journal", required=True,
                                 readonly=True)
    move_id = fields.Many2one("account.move", "Journal Entry", readonly=True)
    dossier_id = fields.Many2one("credit.dossier", readonly=True, index=True)
    policy_id = fields.Many2one("credit.policy", readonly=True)
    policy_version = fields.Integer(readonly=True)

    @api.multi
    def write(self, vals):
        # nothing in the addon changes a write-off; a trusted write of the
        # record (trusted.py) is the only way, whoever calls
        if not trusted_write(self):
            raise UserError(_("A write-off record cannot be changed."))
        return super().write(vals)

    @api.multi
    def unlink(self):
        if self:
            raise UserError(_("A write-off record cannot be deleted; "
                              "reverse its journal entry instead."))
        return super().unlink()
