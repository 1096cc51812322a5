# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Common layout of the credit Excel exports.

A concrete export declares its columns as data (``_get_columns``) and
returns its rows as dictionaries (``_get_rows``); this base writes the title
block (report title, company, report date), a bold frozen header with an
autofilter, formatted cells, column widths and a totals row with SUM
formulas whose cached values are the totals themselves, so readers that do
not compute formulas see the numbers too.
"""
from collections import namedtuple

from odoo import _, fields, models

from ..domain import reporting

XlsxColumn = namedtuple("XlsxColumn", "key header width kind total")
XlsxColumn.__new__.__defaults__ = (14, "text", False)
# kind: text, amount, percent (a fraction: 0.8 shows 80.0 %), integer,
# number, date (a date or an ISO string), datetime, boolean.

NUMBER_FORMATS = {
    "amount": "#,##0.00",
    "percent": "0.0%",
    "integer": "#,##0",
    "number": "#,##0.0",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}


class CreditXlsxBase(models.AbstractModel):
    _name = "report.credit_management.xlsx_base"
    _inherit = "report.report_xlsx.abstract"
    _description = "Credit Excel Export Base"

    # ------------------------------------------------------------------
    # what a concrete export provides
    # ------------------------------------------------------------------
    def _get_title(self, data, objs):
        return _("Credit Report")

    def _get_columns(self, data, objs):
        """List of ``XlsxColumn``: key, header, width, kind, total."""
        raise NotImplementedError()

    def _get_rows(self, data, objs):
        """List of dicts keyed by the columns' keys."""
        raise NotImplementedError()

    def _get_report_date(self, data):
        return (data or {}).get("date") or fields.Date.context_today(self)

    def _get_company(self, data, objs):
        company_id = (data or {}).get("company_id") or \
            self.env.context.get("force_company")
        if company_id:
            return self.env["res.company"].browse(company_id)
        return self.env.user.company_id

    def _get_sheet_name(self, data, objs):
        # Excel limits sheet names to 31 characters without []:*?/\
        name = self._get_title(data, objs)
        for char in "[]:*?/\\":
            name = name.replace(char, " ")
        return name[:31]

    def _get_objs_for_report(self, docids, data):
        # exports started from the export wizard name their records (often
        # none: the whole company); the client's active_ids are the wizard's
        if data and data.get("credit_export"):
            return self.env[self.env.context["active_model"]].browse(
                data.get("ids") or [])
        return super()._get_objs_for_report(docids, data)

    # ------------------------------------------------------------------
    # layout
    # ------------------------------------------------------------------
    def _get_formats(self, workbook):
        formats = {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "label": workbook.add_format({"bold": True}),
            "text": workbook.add_format({}),
            "boolean": workbook.add_format({"align": "center"}),
            "header": workbook.add_format({
                "bold": True, "bg_color": "#D9E1F2", "border": 1,
                "text_wrap": True, "valign": "top"}),
            "total_label": workbook.add_format({
                "bold": True, "top": 2}),
            "total_text": workbook.add_format({"top": 2}),
        }
        for kind, num_format in NUMBER_FORMATS.items():
            formats[kind] = workbook.add_format({"num_format": num_format})
            formats["total_" + kind] = workbook.add_format(
                {"num_format": num_format, "bold": True, "top": 2})
        formats["date_value"] = formats["date"]
        return formats

    def _write_title(self, sheet, formats, data, objs):
        """Title, company and report date; returns the header row index."""
        company = self._get_company(data, objs)
        sheet.write(0, 0, self._get_title(data, objs), formats["title"])
        sheet.write(1, 0, _("Company"), formats["label"])
        sheet.write(1, 1, company.name, formats["text"])
        sheet.write(2, 0, _("Report Date"), formats["label"])
        sheet.write_datetime(
            2, 1, fields.Datetime.from_string(self._get_report_date(data)),
            formats["date"])
        return 4

    def _write_cell(self, sheet, row, col, column, value, formats):
        if value is None or (value is False and column.kind != "boolean"):
            sheet.write_blank(row, col, None, formats["text"])
        elif column.kind in ("date", "datetime"):
            if isinstance(value, str):
                value = fields.Datetime.from_string(value)
            sheet.write_datetime(row, col, value, formats[column.kind])
        elif column.kind == "boolean":
            sheet.write(row, col, _("Yes") if value else _("No"),
                        formats["boolean"])
        elif column.kind == "text":
            sheet.write_string(row, col, "%s" % value, formats["text"])
        else:
            sheet.write_number(row, col, value, formats[column.kind])

    def _get_total(self, column, rows):
        return sum(row.get(column.key) or 0.0 for row in rows)

    def generate_xlsx_report(self, workbook, data, objs):
        data = data or {}
        columns = self._get_columns(data, objs)
        rows = self._get_rows(data, objs)
        formats = self._get_formats(workbook)
        sheet = workbook.add_worksheet(self._get_sheet_name(data, objs))
        header_row = self._write_title(sheet, formats, data, objs)
        for col, column in enumerate(columns):
            sheet.set_column(col, col, column.width)
            sheet.write_string(header_row, col, column.header, formats["header"])
        sheet.freeze_panes(header_row + 1, 1)
        for index, values in enumerate(rows):
            row = header_row + 1 + index
            for col, column in enumerate(columns):
                self._write_cell(sheet, row, col, column, values.get(column.key),
                                 formats)
        last_row = header_row + len(rows)
        sheet.autofilter(header_row, 0, last_row, len(columns) - 1)
        if any(column.total for column in columns):
            self._write_totals(sheet, formats, columns, rows, header_row, last_row)
        return sheet

    def _write_totals(self, sheet, formats, columns, rows, header_row, last_row):
        total_row = last_row + 1
        for col, column in enumerate(columns):
            if col == 0:
                sheet.write_string(total_row, col, _("Total"), formats["total_label"])
            elif column.total and column.kind not in ("text", "boolean"):
                if not rows:
                    sheet.write_number(total_row, col, 0.0,
                                       formats["total_" + column.kind])
                    continue
                letter = reporting.column_letter(col)
                # spreadsheet rows are 1-based
                formula = "=SUBTOTAL(9,%s%d:%s%d)" % (
                    letter, header_row + 2, letter, last_row + 1)
                sheet.write_formula(total_row, col, formula,
                                    formats["total_" + column.kind],
                                    self._get_total(column, rows))
            else:
                sheet.write_blank(total_row, col, None, formats["total_text"])
