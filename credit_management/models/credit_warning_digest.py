# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models


class CreditWarningDigest(models.Model):
    """The new warnings of one run for one controller, as one list.

    The warning cron raises warnings in bulk (thousands on a first run or in
    a bad month): each controller gets one to-do on one digest listing the
    warnings raised for them that day, not one to-do per warning.
    """

    _name = "credit.warning.digest"
    _description = "Credit Warnings Digest"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name")
    date = fields.Date(required=True, readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users", "Responsible", required=True, readonly=True, index=True)
    warning_ids = fields.One2many(
        "credit.warning", "digest_id", "Warnings", readonly=True)
    warning_count = fields.Integer(compute="_compute_counts")
    serious_count = fields.Integer(
        "High or Critical", compute="_compute_counts")
    open_count = fields.Integer("Still Open", compute="_compute_counts")

    _sql_constraints = [
        ("digest_unique", "unique(date, company_id, user_id)",
         "One digest per day, company and responsible."),
    ]

    @api.depends("date", "user_id")
    def _compute_name(self):
        for digest in self:
            digest.name = _("Credit warnings of %s") % digest.date

    @api.depends("warning_ids.severity", "warning_ids.state")
    def _compute_counts(self):
        for digest in self:
            warnings = digest.warning_ids
            digest.warning_count = len(warnings)
            digest.serious_count = len(warnings.filtered(
                lambda w: w.severity in ("high", "critical")))
            digest.open_count = len(warnings.filtered(
                lambda w: w.state == "open"))

    @api.model
    def _get_for(self, company, user, date):
        """The digest of ``user`` for ``company`` and ``date``, created with
        its to-do the first time warnings are raised for them that day."""
        digest = self.search([("date", "=", date),
                              ("company_id", "=", company.id),
                              ("user_id", "=", user.id)], limit=1)
        if digest:
            return digest
        digest = self.with_context(tracking_disable=True).create({
            "date": date, "company_id": company.id, "user_id": user.id})
        self.env["mail.activity"].create(
            digest._prepare_activity_vals())
        return digest

    def _prepare_activity_vals(self):
        self.ensure_one()
        return {
            "res_model_id": self.env["ir.model"]._get(self._name).id,
            "res_id": self.id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            "summary": _("Review the new credit warnings"),
            "note": _("The credit warnings raised today for you are listed "
                      "on this digest; each one is closed by itself when its "
                      "cause clears."),
            "user_id": self.user_id.id,
            "date_deadline": self.date,
        }
