# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError


class CreditStatementReport(models.AbstractModel):
    """The customer's statement: credit, open invoices, aging, promises.

    Printed by the credit team from the customer, or by the portal for the
    portal user's own commercial partner (``/my/credit/statement``, which
    renders it as the superuser for that one partner and company).
    """

    _name = "report.credit_management.report_credit_statement"
    _description = "Customer Credit Statement"

    @api.model
    def _get_company(self, data):
        """The portal names the user's company; the credit team prints for
        their current company."""
        company_id = (data or {}).get("company_id")
        if company_id and self.env.uid == SUPERUSER_ID:
            return self.env["res.company"].browse(company_id)
        return self.env.user.company_id

    @api.model
    def get_report_values(self, docids, data=None):
        if self.env.uid != SUPERUSER_ID and not self.env.user.has_group(
                "credit_management.group_credit_user"):
            raise AccessError(_("Only the credit team prints customer "
                                "statements; customers download their own "
                                "from their portal."))
        company = self._get_company(data)
        docs = self.env["res.partner"].browse(docids)
        statement = {}
        for doc in docs:
            partner = doc.commercial_partner_id
            statement[doc.id] = partner.with_context(
                lang=(data or {}).get("lang") or partner.lang or self.env.lang
            )._credit_portal_values(company)
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": docs,
            "statement": statement,
            "report_date": fields.Date.context_today(self),
            "report_lang": (data or {}).get("lang"),
        }
