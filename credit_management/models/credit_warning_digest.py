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
    _inherit = ["credit.digest.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name")
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

    def _activity_summary(self):
        return _("Review the new credit warnings")

    def _activity_note(self):
        return _("The credit warnings raised today for you are listed on "
                 "this digest; each one is closed by itself when its cause "
                 "clears.")
