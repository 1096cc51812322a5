# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models

from .credit_xlsx_base import XlsxColumn


class CreditScorecardBacktestXlsx(models.AbstractModel):
    """A back-test in Excel: bad rate by grade, then the separation figures
    and each indicator's information value."""

    _name = "report.credit_management.credit_scorecard_backtest_xlsx"
    _inherit = "report.credit_management.xlsx_base"
    _description = "Scorecard Back-Test Excel Export"

    def _get_title(self, data, objs):
        return _("Scorecard Back-Test")

    def _get_company(self, data, objs):
        return objs[:1].company_id or super()._get_company(data, objs)

    def _get_columns(self, data, objs):
        return [
            XlsxColumn("grade", _("Grade"), 12),
            XlsxColumn("min_score", _("Minimum Score"), 12, "number"),
            XlsxColumn("customers", _("Customer-Months"), 14, "integer", True),
            XlsxColumn("bad", _("Bad"), 10, "integer", True),
            XlsxColumn("bad_rate", _("Bad Rate (%)"), 12, "percent"),
            XlsxColumn("inversion", _("Inversion"), 10, "boolean"),
        ]

    def _get_rows(self, data, objs):
        return [{
            "grade": line.grade_id.code, "min_score": line.min_score,
            "customers": line.customers, "bad": line.bad_count,
            "bad_rate": line.bad_rate / 100.0, "inversion": line.inversion,
        } for line in objs[:1].grade_line_ids]

    def generate_xlsx_report(self, workbook, data, objs):
        sheet = super().generate_xlsx_report(workbook, data, objs)
        test = objs[:1]
        formats = self._get_formats(workbook)
        row = 4 + len(test.grade_line_ids) + 3
        figures = [
            (_("Scorecard"), test.scorecard_id.display_name),
            (_("Scored From"), test.date_from), (_("Scored To"), test.date_to),
            (_("Outcome Window (months)"), test.outcome_months),
            (_("Bad From (days overdue)"), test.bad_days),
            ("AUC", test.auc), (_("Gini"), test.gini), ("KS", test.ks),
            (_("PSI (first vs last month)"), test.psi),
        ]
        for label, value in figures:
            sheet.write_string(row, 0, label, formats["label"])
            if isinstance(value, (int, float)):
                sheet.write_number(row, 1, value, formats["text"])
            else:
                sheet.write_string(row, 1, "%s" % (value or ""), formats["text"])
            row += 1
        row += 1
        sheet.write_string(row, 0, _("Indicator"), formats["header"])
        sheet.write_string(row, 1, _("Information Value"), formats["header"])
        for line in test.indicator_line_ids:
            row += 1
            sheet.write_string(row, 0, line.name or "", formats["text"])
            sheet.write_number(row, 1, line.iv, formats["text"])
        return sheet
