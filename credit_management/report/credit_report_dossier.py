# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class CreditReportDossier(models.AbstractModel):
    """Customer credit report (信用报告) printed from the credit dossier."""

    _name = "report.credit_management.report_credit_dossier"
    _inherit = "report.credit_management.report_credit_partner"
    _description = "Customer Credit Report from the Dossier"

    @api.model
    def _get_docs(self, docids):
        return self.env["credit.dossier"].browse(docids)

    @api.model
    def _get_partner(self, doc):
        return doc.partner_id

    @api.model
    def _get_doc_company(self, doc, data):
        return doc.company_id
