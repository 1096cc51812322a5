# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models

from .credit_xlsx_base import XlsxColumn


class CreditCollectionLogXlsx(models.AbstractModel):
    """Collection actions (催收记录) with their results and promises."""

    _name = "report.credit_management.credit_collection_log_xlsx"
    _inherit = "report.credit_management.xlsx_base"
    _description = "Collection Log Excel Export"

    def _get_title(self, data, objs):
        return _("Collection Log")

    def _get_logs(self, data, objs):
        if objs:
            return objs.sorted(lambda log: (log.date or "", log.id))
        domain = [("company_id", "=", self._get_company(data, objs).id)]
        if data.get("date_from"):
            domain.append(("date", ">=", data["date_from"]))
        if data.get("date_to"):
            domain.append(("date", "<=", data["date_to"]))
        return self.env["credit.collection.log"].search(domain, order="date, id")

    def _get_columns(self, data, objs):
        return [
            XlsxColumn("date", _("Date"), 11, "date"),
            XlsxColumn("customer", _("Customer"), 30),
            XlsxColumn("level", _("Level"), 16),
            XlsxColumn("channel", _("Channel"), 11),
            XlsxColumn("contact", _("Contact"), 18),
            XlsxColumn("user", _("By"), 18),
            XlsxColumn("overdue", _("Overdue Amount"), 14, "amount"),
            XlsxColumn("overdue_days", _("Overdue Days"), 9, "integer"),
            XlsxColumn("result", _("Result"), 44),
            XlsxColumn("promise_date", _("Promised Payment Date"), 12, "date"),
            XlsxColumn("promise_amount", _("Promised Amount"), 14, "amount", True),
            XlsxColumn("promise_state", _("Promise"), 11),
            XlsxColumn("automatic", _("Automatic"), 10, "boolean"),
        ]

    def _get_rows(self, data, objs):
        Log = self.env["credit.collection.log"]
        labels = {name: dict(Log._fields[name]._description_selection(self.env))
                  for name in ("channel", "promise_state")}
        return [{
            "log_id": log.id,
            "date": log.date,
            "customer": log.partner_id.name,
            "level": log.level_id.name,
            "channel": labels["channel"].get(log.channel),
            "contact": log.contact_id.name,
            "user": log.user_id.name,
            "overdue": log.overdue_amount,
            "overdue_days": log.overdue_days,
            "result": log.result,
            "promise_date": log.promise_date,
            "promise_amount": log.promise_amount,
            "promise_state": labels["promise_state"].get(log.promise_state),
            "automatic": log.automatic,
        } for log in self._get_logs(data, objs)]
