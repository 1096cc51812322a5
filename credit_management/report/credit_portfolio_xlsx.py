# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models

from ..domain import reporting
from .credit_xlsx_base import XlsxColumn


class CreditPortfolioXlsx(models.AbstractModel):
    """Credit portfolio: one line per commercial customer (信用额度 / 逾期)."""

    _name = "report.credit_management.credit_portfolio_xlsx"
    _inherit = "report.credit_management.xlsx_base"
    _description = "Credit Portfolio Excel Export"

    def _get_title(self, data, objs):
        return _("Credit Portfolio")

    def _get_partners(self, data, objs):
        """The commercial partners of the selection, or every customer."""
        company = self._get_company(data, objs)
        partners = objs.mapped("commercial_partner_id")
        if not partners:
            partners = self.env["res.partner"].search([
                ("customer", "=", True), ("parent_id", "=", False),
                "|", ("company_id", "=", False),
                ("company_id", "=", company.id)])
        return partners.with_context(force_company=company.id).sorted(
            lambda partner: (partner.name or "").lower())

    def _get_dso(self, partners):
        """{partner id: DSO in days}, or None when DSO is not computed."""
        if "credit_dso" not in partners._fields:
            return None
        return {partner.id: partner.credit_dso for partner in partners}

    def _get_columns(self, data, objs):
        columns = [
            XlsxColumn("name", _("Customer"), 34),
            XlsxColumn("ref", _("Reference"), 12),
            XlsxColumn("grade", _("Credit Grade"), 10),
            XlsxColumn("segment", _("Segment"), 12),
            XlsxColumn("salesperson", _("Salesperson"), 20),
            XlsxColumn("limit", _("Credit Limit"), 15, "amount", True),
            XlsxColumn("exposure", _("Exposure"), 15, "amount", True),
            XlsxColumn("available", _("Available Credit"), 15, "amount", True),
            XlsxColumn("usage", _("Usage"), 9, "percent"),
            XlsxColumn("overdue", _("Overdue Amount"), 15, "amount", True),
            XlsxColumn("overdue_days", _("Overdue Days"), 10, "integer"),
        ]
        if self._get_dso(self._get_partners(data, objs)[:1]) is not None:
            columns.append(XlsxColumn("dso", _("DSO (days)"), 10, "number"))
        columns += [
            XlsxColumn("hold", _("On Hold"), 9, "boolean"),
            XlsxColumn("review_date", _("Next Credit Review"), 13, "date"),
        ]
        return columns

    def _prepare_row(self, partner, dso):
        segment_field = self.env["credit.grade"]._fields["segment"]
        segments = dict(segment_field._description_selection(self.env))
        usage = reporting.usage_percent(partner.credit_limit, partner.credit_exposure)
        return {
            "partner_id": partner.id,
            "name": partner.name,
            "ref": partner.ref,
            "grade": partner.credit_grade_id.code,
            "segment": segments.get(partner.credit_grade_id.segment),
            "salesperson": partner.user_id.name,
            "limit": partner.credit_limit,
            "exposure": partner.credit_exposure,
            "available": partner.credit_available,
            "usage": usage / 100.0 if usage is not None else None,
            "overdue": partner.credit_overdue_amount,
            "overdue_days": partner.credit_overdue_days,
            "dso": (dso or {}).get(partner.id),
            "hold": partner.credit_hold,
            "review_date": partner.credit_review_date,
        }

    def _get_rows(self, data, objs):
        partners = self._get_partners(data, objs)
        dso = self._get_dso(partners)
        return [self._prepare_row(partner, dso) for partner in partners]
