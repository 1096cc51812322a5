# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError


class CreditReportExport(models.TransientModel):
    """Choose an Excel export of the credit team, its company and dates."""

    _name = "credit.report.export"
    _description = "Credit Excel Export"

    @api.model
    def _get_report_selection(self):
        """(key, label) of the exports; each key has a report action."""
        return [("portfolio", _("Credit Portfolio")),
                ("aging", _("Aging by Customer")),
                ("held_orders", _("Held Orders and Decisions")),
                ("collection_log", _("Collection Log"))]

    @api.model
    def _get_report_actions(self):
        return {
            "portfolio": "credit_management.credit_portfolio_xlsx_action",
            "aging": "credit_management.credit_aging_xlsx_action",
            "held_orders": "credit_management.credit_held_orders_xlsx_action",
            "collection_log": "credit_management.credit_collection_log_xlsx_action",
        }

    report = fields.Selection(
        "_get_report_selection", "Export", required=True, default="portfolio")
    company_id = fields.Many2one(
        "res.company", required=True,
        default=lambda self: self.env.user.company_id)
    date = fields.Date(
        "Report Date", required=True, default=fields.Date.context_today)
    date_from = fields.Date(
        "From", help="First day of the period, for exports of events "
                     "(held orders, collection actions).")
    date_to = fields.Date("To", default=fields.Date.context_today)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for export in self:
            if export.date_from and export.date_to \
                    and export.date_from > export.date_to:
                raise ValidationError(_("The period must end after it starts."))

    def _prepare_report_data(self):
        self.ensure_one()
        return {
            "credit_export": True,
            "ids": [],
            "company_id": self.company_id.id,
            "date": self.date,
            "date_from": self.date_from,
            "date_to": self.date_to,
        }

    @api.multi
    def action_export(self):
        self.ensure_one()
        if not self.env.user.has_group("credit_management.group_credit_controller"):
            raise AccessError(_("Only the credit team exports credit reports."))
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(_("You cannot export the reports of %s.")
                              % self.company_id.name)
        action = self.env.ref(self._get_report_actions()[self.report])
        return action.report_action([], data=self._prepare_report_data())
