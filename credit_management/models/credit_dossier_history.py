# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class CreditDossierHistory(models.Model):
    """One change of a customer's grade, limit or terms: who, when, from
    what, to what, why. Written by the addon only; never edited."""

    _name = "credit.dossier.history"
    _description = "Credit Grade, Limit and Terms History"
    _order = "date desc, id desc"

    dossier_id = fields.Many2one(
        "credit.dossier", required=True, index=True, ondelete="cascade",
        readonly=True)
    partner_id = fields.Many2one(
        related="dossier_id.partner_id", store=True, readonly=True)
    company_id = fields.Many2one(
        related="dossier_id.company_id", store=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    date = fields.Datetime(default=fields.Datetime.now, required=True,
                           readonly=True)
    user_id = fields.Many2one(
        "res.users", "Changed By", default=lambda self: self.env.uid,
        readonly=True)
    change_type = fields.Selection(
        [("evaluation", "Evaluation"), ("limit_request", "Limit Request"),
         ("limit_expiry", "Temporary Limit Expired"),
         ("manual", "Manual Change"), ("other", "Other")],
        default="manual", required=True, readonly=True)
    old_grade_id = fields.Many2one("credit.grade", "Old Grade", readonly=True)
    new_grade_id = fields.Many2one("credit.grade", "New Grade", readonly=True)
    old_limit = fields.Float(readonly=True)
    new_limit = fields.Float(readonly=True)
    old_payment_term_id = fields.Many2one(
        "account.payment.term", "Old Terms", readonly=True)
    new_payment_term_id = fields.Many2one(
        "account.payment.term", "New Terms", readonly=True)
    reason = fields.Text(readonly=True)
    origin = fields.Reference(
        selection="_selection_origin", readonly=True,
        help="The evaluation or request that made the change.")

    @api.model
    def _selection_origin(self):
        return [(model, self.env[model]._description or model)
                for model in sorted(self.env.registry)
                if model.startswith("credit.")
                and not self.env[model]._abstract]

    @api.multi
    def write(self, vals):
        if self:
            raise UserError(_("Credit history is a record of past decisions "
                              "and cannot be changed."))
        return super().write(vals)
