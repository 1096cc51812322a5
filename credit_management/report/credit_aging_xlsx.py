# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models

from .credit_xlsx_base import XlsxColumn


class CreditAgingXlsx(models.AbstractModel):
    """Receivable aging by customer (账龄) as of the report date."""

    _name = "report.credit_management.credit_aging_xlsx"
    _inherit = "report.credit_management.xlsx_base"
    _description = "Aging by Customer Excel Export"

    def _get_title(self, data, objs):
        return _("Aging by Customer")

    def _get_bucket_keys(self):
        return [bucket.key for bucket in self.env["credit.aging"]._get_buckets()]

    def _get_columns(self, data, objs):
        Aging = self.env["credit.aging"]

        def label(name):
            return Aging._fields[name].get_description(self.env)["string"]

        columns = [
            XlsxColumn("name", _("Customer"), 34),
            XlsxColumn("ref", _("Reference"), 12),
            XlsxColumn("grade", _("Credit Grade"), 10),
            XlsxColumn("salesperson", _("Salesperson"), 18),
            XlsxColumn("limit", _("Credit Limit"), 14, "amount", True),
        ]
        columns += [XlsxColumn("amount_" + key, label("amount_" + key), 13,
                               "amount", True)
                    for key in self._get_bucket_keys()]
        columns += [
            XlsxColumn("amount_total", _("Total"), 14, "amount", True),
            XlsxColumn("amount_overdue", _("Overdue Amount"), 14, "amount", True),
            XlsxColumn("max_days_overdue", _("Overdue Days"), 10, "integer"),
            XlsxColumn("dso", _("DSO (days)"), 10, "number"),
        ]
        return columns

    def _get_rows(self, data, objs):
        company = self._get_company(data, objs)
        date = self._get_report_date(data)
        partner_ids = objs.mapped("commercial_partner_id").ids or None
        aging = self.env["credit.aging"]._compute_rows(company, date, partner_ids)
        partners = self.env["res.partner"].with_context(
            force_company=company.id).browse(list(aging)).sorted(
            lambda partner: (partner.name or "").lower())
        rows = []
        for partner in partners:
            values = dict(aging[partner.id])
            values.update({
                "partner_id": partner.id,
                "name": partner.name,
                "ref": partner.ref,
                "grade": partner.credit_grade_id.code,
                "salesperson": partner.user_id.name,
                "limit": partner.credit_limit,
            })
            rows.append(values)
        return rows
