# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""res.partner: monitoring figures of the commercial partner (payment
behaviour, aging KPIs, open warnings, bad-debt ratio) and their buttons."""
from datetime import timedelta

from odoo import api, fields, models

from ..domain import aging as aging_domain
from ..domain import payment as payment_domain
from ..queries import payment as payment_queries


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Payment behaviour: one SQL pass over paid receivable items.
    # ------------------------------------------------------------------
    def _credit_payment_behaviour(self, company, as_of=None):
        """{commercial partner id: PaymentBehaviour} for ``self``.

        An invoice counts as paid when its receivable items are fully
        reconciled; it is paid on the date of the last reconciling item and
        late by that date minus its due date. ``as_of``: the ledger as it
        stood on that date (items dated by then, paid when the
        reconciliations dated by then cover them), for back-tests.
        """
        if not self.ids:
            return {}
        paid, first = payment_queries.payment_behaviour(
            self.env.cr, self.ids, company.id, company.currency_id.rounding,
            as_of=as_of)
        result = {}
        for partner_id in self.ids:
            count, on_time, avg, weighted, longest = paid.get(
                partner_id, (0, 0, None, None, None))
            result[partner_id] = payment_domain.PaymentBehaviour(
                invoices_paid=count, paid_on_time=on_time,
                avg_days_late=float(avg) if avg is not None else None,
                weighted_days_late=float(weighted)
                if weighted is not None else None,
                max_days_late=longest,
                first_invoice_date=fields.Date.from_string(first[partner_id])
                if first.get(partner_id) else None)
        return result

    # ------------------------------------------------------------------
    # Receivables monitoring: payment KPIs of the commercial partner, live
    # from the same SQL pass as the aging snapshots.
    # ------------------------------------------------------------------
    credit_dso = fields.Float(
        "DSO (days)", compute="_compute_credit_aging_kpi", digits=(16, 1),
        help="Days sales outstanding over the policy's DSO window.")
    credit_overdue_ratio = fields.Float(
        "Overdue Ratio (%)", compute="_compute_credit_aging_kpi",
        digits=(16, 2))
    credit_avg_days_late = fields.Float(
        "Average Days Late", compute="_compute_credit_aging_kpi",
        digits=(16, 1),
        help="Amount-weighted days past due of the overdue open items.")
    credit_aging_count = fields.Integer(
        "Aging Snapshots", compute="_compute_credit_aging_kpi")

    def _compute_credit_aging_kpi(self):
        company = self._credit_company()
        commercial = self.mapped("commercial_partner_id")
        rows = {}
        if commercial.ids:
            rows = self.env["credit.aging"].sudo()._compute_rows(
                company, fields.Date.context_today(self), commercial.ids)
        counts = commercial._credit_count_by_partner("credit.aging", company)
        for partner in self:
            row = rows.get(partner.commercial_partner_id.id) or {}
            partner.credit_dso = float(row.get("dso") or 0.0)
            partner.credit_overdue_ratio = float(
                row.get("overdue_ratio") or 0.0)
            partner.credit_avg_days_late = float(
                row.get("avg_days_late") or 0.0)
            partner.credit_aging_count = counts.get(
                partner.commercial_partner_id.id, 0)

    def _credit_count_by_partner(self, model, company, domain=()):
        """{partner id: number of ``model`` records of these (commercial)
        partners in ``company`` matching ``domain``}."""
        if not self.ids:
            return {}
        return {group["partner_id"][0]: group["partner_id_count"]
                for group in self.env[model].sudo().read_group(
                    [("partner_id", "in", self.ids),
                     ("company_id", "=", company.id)] + list(domain),
                    ["partner_id"], ["partner_id"])}

    @api.multi
    def action_credit_aging(self):
        """Open the aging snapshots of the customer."""
        self.ensure_one()
        action = self.env.ref(
            "credit_management.credit_aging_action").read()[0]
        action["domain"] = [
            ("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_date": 0}
        return action

    @api.multi
    def credit_overdue_invoices(self, company_id=None, date=None):
        """Open customer invoices past due (the collection statement lists
        them; public so that mail templates may call it; no sudo)."""
        self.ensure_one()
        return self.env["account.invoice"].search([
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
            ("company_id", "=", company_id or self._credit_company().id),
            ("state", "=", "open"), ("type", "=", "out_invoice"),
            ("date_due", "<", date or fields.Date.context_today(self)),
        ], order="date_due, id")

    credit_open_warning_count = fields.Integer(
        "Open Credit Warnings", compute="_compute_credit_open_warning_count")

    def _compute_credit_open_warning_count(self):
        company = self._credit_company()
        commercial = self.mapped("commercial_partner_id")
        counts = commercial._credit_count_by_partner(
            "credit.warning", company, [("state", "=", "open")])
        for partner in self:
            partner.credit_open_warning_count = counts.get(
                partner.commercial_partner_id.id, 0)

    @api.multi
    def action_credit_warnings(self):
        self.ensure_one()
        action = self.env.ref(
            "credit_management.credit_warning_action").read()[0]
        action["domain"] = [
            ("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    @api.multi
    def action_credit_collection_logs(self):
        self.ensure_one()
        action = self.env.ref(
            "credit_management.credit_collection_log_action").read()[0]
        action["domain"] = [
            ("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {
            "default_partner_id": self.commercial_partner_id.id}
        return action

    credit_bad_debt_ratio = fields.Float(
        "Bad-Debt Ratio (%)", compute="_compute_credit_bad_debt_ratio",
        digits=(16, 2),
        help="Bad debt written off over the last 12 months as a share of "
             "the credit sales of those months.")

    def _compute_credit_bad_debt_ratio(self):
        company = self._credit_company()
        commercial = self.mapped("commercial_partner_id")
        ratios = {}
        if commercial.ids:
            since = fields.Date.to_string(fields.Date.from_string(
                fields.Date.context_today(self)) - timedelta(days=365))
            sales = payment_queries.credit_sales(
                self.env.cr, commercial.ids, company.id, since)
            for group in self.env["credit.bad.debt"].sudo().read_group(
                    [("partner_id", "in", commercial.ids),
                     ("company_id", "=", company.id), ("date", ">", since)],
                    ["partner_id", "amount"], ["partner_id"]):
                pid = group["partner_id"][0]
                ratios[pid] = aging_domain.bad_debt_ratio(
                    group["amount"], float(sales.get(pid) or 0.0))
        for partner in self:
            partner.credit_bad_debt_ratio = ratios.get(
                partner.commercial_partner_id.id, 0.0)
