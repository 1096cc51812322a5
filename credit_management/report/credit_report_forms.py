# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Values of the seed's printable forms: the records and the chosen language.

Each form is a report of its own; they share everything but the model, so
the four small report models live together here.
"""
from odoo import api, fields, models


class CreditReportFormBase(models.AbstractModel):
    _name = "report.credit_management.form_base"
    _description = "Credit Form Base"
    _form_model = None

    @api.model
    def get_report_values(self, docids, data=None):
        docs = self.env[self._form_model].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": self._form_model,
            "docs": docs,
            "report_lang": (data or {}).get("lang")
            or self.env.context.get("credit_report_lang"),
            "report_date": fields.Date.context_today(self),
        }


class CreditReportInvestigation(models.AbstractModel):
    """客户信用调查表"""

    _name = "report.credit_management.report_credit_investigation"
    _inherit = "report.credit_management.form_base"
    _description = "Credit Investigation Form"
    _form_model = "credit.dossier"


class CreditReportEvaluation(models.AbstractModel):
    """客户信用评估表"""

    _name = "report.credit_management.report_credit_evaluation"
    _inherit = "report.credit_management.form_base"
    _description = "Credit Evaluation Form"
    _form_model = "credit.evaluation"


class CreditReportGradeApproval(models.AbstractModel):
    """客户信用等级评定表"""

    _name = "report.credit_management.report_credit_grade_approval"
    _inherit = "report.credit_management.form_base"
    _description = "Credit Grade Approval Form"
    _form_model = "credit.evaluation"


class CreditReportLimitChange(models.AbstractModel):
    """客户信用额度变更表"""

    _name = "report.credit_management.report_credit_limit_change"
    _inherit = "report.credit_management.form_base"
    _description = "Credit Limit Change Form"
    _form_model = "credit.limit.request"
