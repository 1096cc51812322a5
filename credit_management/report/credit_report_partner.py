# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..domain import reporting


class CreditReportPartner(models.AbstractModel):
    """Customer credit report (信用报告) printed from the customer."""

    _name = "report.credit_management.report_credit_partner"
    _description = "Customer Credit Report"

    @api.model
    def _get_report_lang(self, data):
        """Language chosen for the print, else each customer's own."""
        return (data or {}).get("lang") or self.env.context.get("credit_report_lang")

    @api.model
    def _get_docs(self, docids):
        return self.env["res.partner"].browse(docids)

    @api.model
    def _get_partner(self, doc):
        return doc.commercial_partner_id

    @api.model
    def _get_company(self, data):
        company_id = (data or {}).get("company_id") or \
            self.env.context.get("force_company")
        return (self.env["res.company"].browse(company_id) if company_id
                else self.env.user.company_id)

    @api.model
    def _get_credit_values(self, partner, company, date=None):
        """Figures of one commercial partner shown on the report."""
        partner = partner.with_context(force_company=company.id)
        date = date or fields.Date.context_today(self)
        dossier = self._get_dossier(partner, company)
        grade = partner.credit_grade_id
        usage = reporting.usage_percent(partner.credit_limit,
                                        partner.credit_exposure)
        return {
            "partner": partner,
            "company": company,
            "currency": company.currency_id,
            "grade": grade,
            "terms": partner.property_payment_term_id,
            "term_template": grade.term_template_id,
            "limit": partner.credit_limit,
            "receivable": partner.credit_receivable,
            "draft_invoiced": partner.credit_draft_invoiced,
            "uninvoiced": partner.credit_uninvoiced,
            "exposure": partner.credit_exposure,
            "available": partner.credit_available,
            "usage": usage,
            "usage_bar": round(min(max(usage or 0.0, 0.0), 100.0), 1),
            "overdue_amount": partner.credit_overdue_amount,
            "overdue_days": partner.credit_overdue_days,
            "holds": self._get_recent_holds(partner, company),
            "dossier": dossier,
            "evaluation": self._get_evaluation(partner, company),
            "history": self._get_history(dossier),
            "aging": self._get_aging(partner, company, date),
            "warnings": self._get_open_warnings(partner, company),
        }

    @api.model
    def _get_doc_company(self, doc, data):
        return self._get_company(data)

    @api.model
    def _get_dossier(self, partner, company):
        return self.env["credit.dossier"]._find(partner, company)

    @api.model
    def _get_evaluation(self, partner, company):
        """The latest approved evaluation: the score behind the grade."""
        return self.env["credit.evaluation"].search([
            ("partner_id", "=", partner.id), ("company_id", "=", company.id),
            ("state", "=", "approved")], order="date desc, id desc", limit=1)

    @api.model
    def _get_history(self, dossier, limit=10):
        if not dossier:
            return []
        return dossier.history_ids.sorted(
            lambda line: (line.date or "", line.id), reverse=True)[:limit]

    @api.model
    def _get_aging(self, partner, company, date):
        """Aging buckets of the customer on ``date`` with chart bar widths."""
        Aging = self.env["credit.aging"]
        row = Aging._compute_rows(company, date, [partner.id]).get(partner.id)
        if not row:
            return None
        buckets = Aging._get_buckets()
        amounts = [row["amount_" + bucket.key] for bucket in buckets]
        widths = reporting.bar_widths(amounts)
        return {
            "buckets": [{
                "key": bucket.key,
                "label": Aging._fields["amount_" + bucket.key].get_description(
                    self.env)["string"],
                "amount": amount,
                "width": width,
            } for bucket, amount, width in zip(buckets, amounts, widths)],
            "amount_total": row["amount_total"],
            "amount_overdue": row["amount_overdue"],
            "max_days_overdue": row["max_days_overdue"],
            "dso": row["dso"] or 0.0,
        }

    @api.model
    def _get_open_warnings(self, partner, company):
        return self.env["credit.warning"].search([
            ("partner_id", "=", partner.id), ("company_id", "=", company.id),
            ("state", "=", "open")])

    @api.model
    def _get_recent_holds(self, partner, company, limit=10):
        """The customer's latest held orders and invoices with decisions."""
        return self.env["credit.check"].search([
            ("partner_id", "=", partner.id), ("company_id", "=", company.id),
            ("result", "=", "blocked")], limit=limit)

    @api.model
    def get_report_values(self, docids, data=None):
        docs = self._get_docs(docids)
        report_lang = self._get_report_lang(data)
        date = (data or {}).get("date") or fields.Date.context_today(self)
        credit = {}
        for doc in docs:
            partner = self._get_partner(doc)
            # records read in the language the document is printed in
            lang = report_lang or partner.lang or self.env.lang
            credit[doc.id] = self.with_context(lang=lang)._get_credit_values(
                partner.with_context(lang=lang),
                self._get_doc_company(doc, data), date)
        return {
            "doc_ids": docids,
            "doc_model": docs._name,
            "docs": docs,
            "report_lang": report_lang,
            "report_date": date,
            "credit": credit,
        }
