# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models

from .credit_xlsx_base import XlsxColumn


class CreditGroupXlsx(models.AbstractModel):
    """A credit group's members: limit, exposure, overdue and aging."""

    _name = "report.credit_management.credit_group_xlsx"
    _inherit = "report.credit_management.xlsx_base"
    _description = "Credit Group Excel Export"

    def _get_title(self, data, objs):
        return _("Credit Group")

    def _get_company(self, data, objs):
        return objs[:1].company_id or super()._get_company(data, objs)

    def _get_columns(self, data, objs):
        return [
            XlsxColumn("group", _("Credit Group"), 24),
            XlsxColumn("group_limit", _("Group Credit Limit"), 14, "amount"),
            XlsxColumn("customer", _("Customer"), 30),
            XlsxColumn("grade", _("Grade"), 8),
            XlsxColumn("limit", _("Credit Limit"), 14, "amount", True),
            XlsxColumn("exposure", _("Exposure"), 14, "amount", True),
            XlsxColumn("available", _("Available Credit"), 14, "amount", True),
            XlsxColumn("overdue", _("Overdue Amount"), 14, "amount", True),
            XlsxColumn("overdue_days", _("Overdue Days"), 9, "integer"),
            XlsxColumn("not_due", _("Not Due"), 13, "amount", True),
            XlsxColumn("1_30", "1-30", 13, "amount", True),
            XlsxColumn("31_60", "31-60", 13, "amount", True),
            XlsxColumn("61_90", "61-90", 13, "amount", True),
            XlsxColumn("91_120", "91-120", 13, "amount", True),
            XlsxColumn("over_120", _("Older"), 13, "amount", True),
        ]

    def _get_rows(self, data, objs):
        rows = []
        for group in objs:
            for member in group.member_ids:
                rows.append({
                    "group": group.name,
                    "group_limit": group.credit_limit,
                    "customer": member.partner_id.name,
                    "grade": member.credit_grade_id.code or "",
                    "limit": member.credit_limit,
                    "exposure": member.credit_exposure,
                    "available": member.credit_available,
                    "overdue": member.credit_overdue_amount,
                    "overdue_days": member.credit_overdue_days,
                    "not_due": member.amount_not_due,
                    "1_30": member.amount_1_30,
                    "31_60": member.amount_31_60,
                    "61_90": member.amount_61_90,
                    "91_120": member.amount_91_120,
                    "over_120": member.amount_over_120,
                })
        return rows
