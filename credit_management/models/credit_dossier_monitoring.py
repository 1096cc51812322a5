# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CreditDossier(models.Model):
    """Receivables monitoring on the dossier: payment KPIs, collection log,
    write-offs and the legal escalation case (法律追收)."""

    _inherit = "credit.dossier"

    legal_state = fields.Selection(
        [("none", "None"), ("to_hand_over", "To hand over"),
         ("handed_over", "Handed over"), ("in_progress", "In proceedings"),
         ("recovered", "Recovered"), ("closed_lost", "Closed, not recovered")],
        "Legal Case", default="none", required=True,
        track_visibility="onchange")
    legal_handover_date = fields.Date(
        "Handed Over On", track_visibility="onchange")
    legal_agency_id = fields.Many2one(
        "res.partner", "Lawyer / Agency", track_visibility="onchange")
    legal_reference = fields.Char("Case Reference")
    legal_claim_amount = fields.Monetary(
        "Claimed", currency_field="currency_id", track_visibility="onchange")
    legal_costs = fields.Monetary(
        currency_field="currency_id", track_visibility="onchange")
    legal_recovered = fields.Monetary(
        "Recovered", currency_field="currency_id",
        track_visibility="onchange")
    legal_note = fields.Text("Legal Notes")
    collection_log_ids = fields.One2many(
        "credit.collection.log", "dossier_id", "Collection Log")
    bad_debt_ids = fields.One2many(
        "credit.bad.debt", "dossier_id", "Write-Offs")
    warning_count = fields.Integer(compute="_compute_monitoring_kpis")
    kpi_dso = fields.Float(
        "DSO (days)", compute="_compute_monitoring_kpis", digits=(16, 1))
    kpi_overdue_ratio = fields.Float(
        "Overdue Ratio (%)", compute="_compute_monitoring_kpis",
        digits=(16, 2))
    kpi_avg_days_late = fields.Float(
        "Average Days Late", compute="_compute_monitoring_kpis",
        digits=(16, 1))
    kpi_bad_debt_ratio = fields.Float(
        "Bad-Debt Ratio (%)", compute="_compute_monitoring_kpis",
        digits=(16, 2))

    def _compute_monitoring_kpis(self):
        for company in self.mapped("company_id"):
            dossiers = self.filtered(lambda d: d.company_id == company)
            partners = dossiers.mapped("partner_id").with_context(
                force_company=company.id)
            kpis = {p.id: p for p in partners}
            for dossier in dossiers:
                partner = kpis[dossier.partner_id.id]
                dossier.kpi_dso = partner.credit_dso
                dossier.kpi_overdue_ratio = partner.credit_overdue_ratio
                dossier.kpi_avg_days_late = partner.credit_avg_days_late
                dossier.kpi_bad_debt_ratio = partner.credit_bad_debt_ratio
                dossier.warning_count = partner.credit_open_warning_count

    @api.multi
    def action_credit_warnings(self):
        self.ensure_one()
        return self.partner_id.with_context(
            force_company=self.company_id.id).action_credit_warnings()
