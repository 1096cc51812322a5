# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, fields, models

from .credit_xlsx_base import XlsxColumn


class CreditHeldOrdersXlsx(models.AbstractModel):
    """Held orders (and invoices) with the credit team's decisions."""

    _name = "report.credit_management.credit_held_orders_xlsx"
    _inherit = "report.credit_management.xlsx_base"
    _description = "Held Orders Excel Export"

    def _get_title(self, data, objs):
        return _("Held Orders and Decisions")

    def _get_checks(self, data, objs):
        """The selected checks, or the company's holds of the period."""
        if objs:
            checks = objs.filtered(lambda check: check.result == "blocked")
        else:
            domain = [("result", "=", "blocked"),
                      ("company_id", "=", self._get_company(data, objs).id)]
            if data.get("date_from"):
                domain.append(("check_date", ">=", data["date_from"]))
            if data.get("date_to"):
                # the whole last day
                domain.append(("check_date", "<", fields.Date.to_string(
                    fields.Date.from_string(data["date_to"]) + timedelta(days=1))))
            checks = self.env["credit.check"].search(domain)
        return checks.sorted(lambda check: (check.check_date or "", check.id))

    def _get_columns(self, data, objs):
        return [
            XlsxColumn("date", _("Check Date"), 16, "datetime"),
            XlsxColumn("document", _("Order / Invoice"), 14),
            XlsxColumn("customer", _("Customer"), 30),
            XlsxColumn("salesperson", _("Salesperson"), 18),
            XlsxColumn("amount", _("Order Amount"), 14, "amount", True),
            XlsxColumn("limit", _("Credit Limit"), 14, "amount"),
            XlsxColumn("exposure", _("Exposure Before"), 14, "amount"),
            XlsxColumn("excess", _("Excess Over Limit"), 14, "amount", True),
            XlsxColumn("overdue", _("Overdue Amount"), 14, "amount"),
            XlsxColumn("overdue_days", _("Overdue Days"), 9, "integer"),
            XlsxColumn("reasons", _("Reasons"), 50),
            XlsxColumn("authority", _("Who Decides"), 14),
            XlsxColumn("decision", _("Decision"), 12),
            XlsxColumn("decided_by", _("Decided By"), 18),
            XlsxColumn("decision_date", _("Decision Date"), 16, "datetime"),
            XlsxColumn("decision_reason", _("Decision Reason"), 40),
            XlsxColumn("days", _("Days to Decision"), 10, "number"),
        ]

    def _prepare_row(self, check, labels):
        days = None
        if check.decision_date and check.check_date:
            delta = (fields.Datetime.from_string(check.decision_date)
                     - fields.Datetime.from_string(check.check_date))
            days = round(delta.total_seconds() / 86400.0, 2)
        return {
            "check_id": check.id,
            "date": check.check_date,
            "document": check.name,
            "customer": check.partner_id.name,
            "salesperson": check.user_id.name,
            "amount": check.order_amount,
            "limit": check.limit_amount,
            "exposure": check.exposure_amount,
            "excess": check.excess_amount,
            "overdue": check.overdue_amount,
            "overdue_days": check.overdue_days,
            "reasons": check.reasons,
            "authority": labels["required_authority"].get(check.required_authority),
            "decision": (labels["decision"].get(check.decision) if check.decision
                         else _("Waiting") if check.is_held else ""),
            "decided_by": check.decided_by.name,
            "decision_date": check.decision_date,
            "decision_reason": check.decision_reason,
            "days": days,
        }

    def _get_rows(self, data, objs):
        Check = self.env["credit.check"]
        labels = {
            name: dict(Check._fields[name]._description_selection(self.env))
            for name in ("required_authority", "decision")}
        return [self._prepare_row(check, labels)
                for check in self._get_checks(data, objs)]
