# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..domain import payment as payment_domain


class CreditDossier(models.Model):
    """Receivables monitoring on the dossier: payment behaviour from the
    company's own invoices, payment KPIs, collection log, write-offs and the
    legal escalation case (法律追收)."""

    _inherit = "credit.dossier"

    # payment behaviour, from the company's own invoices
    pay_invoice_count = fields.Integer(
        "Invoices Paid", compute="_compute_payment_behaviour")
    pay_on_time_percent = fields.Float(
        "Paid On Time (%)", compute="_compute_payment_behaviour", digits=(5, 1))
    pay_avg_days_late = fields.Float(
        "Average Days Late", compute="_compute_payment_behaviour", digits=(7, 1))
    pay_weighted_days_late = fields.Float(
        "Weighted Days Late", compute="_compute_payment_behaviour",
        digits=(7, 1), help="Days late weighted by the amount paid late.")
    pay_max_days_late = fields.Integer(
        "Longest Delay (days)", compute="_compute_payment_behaviour")
    pay_first_invoice_date = fields.Date(
        "First Invoice", compute="_compute_payment_behaviour")
    pay_relationship_months = fields.Integer(
        "Relationship (months)", compute="_compute_payment_behaviour")
    pay_overdue_amount = fields.Monetary(
        "Current Overdue", compute="_compute_payment_behaviour",
        currency_field="currency_id")
    pay_overdue_days = fields.Integer(
        "Current Overdue Days", compute="_compute_payment_behaviour")

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
    credit_dso = fields.Float(
        "DSO (days)", compute="_compute_monitoring_kpis", digits=(16, 1))
    credit_overdue_ratio = fields.Float(
        "Overdue Ratio (%)", compute="_compute_monitoring_kpis",
        digits=(16, 2))
    credit_avg_days_late = fields.Float(
        "Average Days Late", compute="_compute_monitoring_kpis",
        digits=(16, 1))
    credit_bad_debt_ratio = fields.Float(
        "Bad-Debt Ratio (%)", compute="_compute_monitoring_kpis",
        digits=(16, 2))

    def _compute_monitoring_kpis(self):
        for dossier, partner in self._with_company_partners():
            dossier.credit_dso = partner.credit_dso
            dossier.credit_overdue_ratio = partner.credit_overdue_ratio
            dossier.credit_avg_days_late = partner.credit_avg_days_late
            dossier.credit_bad_debt_ratio = partner.credit_bad_debt_ratio
            dossier.warning_count = partner.credit_open_warning_count

    @api.multi
    def action_credit_warnings(self):
        self.ensure_one()
        return self.partner_id.with_context(
            force_company=self.company_id.id).action_credit_warnings()

    def _compute_payment_behaviour(self):
        today = fields.Date.from_string(fields.Date.context_today(self))
        for company in self.mapped("company_id"):
            dossiers = self.filtered(lambda d: d.company_id == company)
            behaviour = dossiers.mapped("partner_id")._credit_payment_behaviour(
                company)
            partners = dossiers.mapped("partner_id").with_context(
                force_company=company.id)
            overdue = {p.id: (p.credit_overdue_amount, p.credit_overdue_days)
                       for p in partners}
            for dossier in dossiers:
                item = behaviour.get(dossier.partner_id.id,
                                     payment_domain.NO_HISTORY)
                dossier.pay_invoice_count = item.invoices_paid
                dossier.pay_on_time_percent = payment_domain.on_time_share(
                    item) or 0.0
                dossier.pay_avg_days_late = item.avg_days_late or 0.0
                dossier.pay_weighted_days_late = item.weighted_days_late or 0.0
                dossier.pay_max_days_late = item.max_days_late or 0
                dossier.pay_first_invoice_date = item.first_invoice_date
                dossier.pay_relationship_months = (
                    payment_domain.relationship_months(item, today) or 0)
                dossier.pay_overdue_amount, dossier.pay_overdue_days = (
                    overdue.get(dossier.partner_id.id, (0.0, 0)))

    def _get_payment_behaviour(self):
        """PaymentBehaviour of this dossier's customer in its company."""
        self.ensure_one()
        return self.partner_id._credit_payment_behaviour(self.company_id).get(
            self.partner_id.id, payment_domain.NO_HISTORY)
