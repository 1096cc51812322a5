# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer segments (优质 / 一般 / 风险, from the grade) to filter and group
by, and the escalation of high warnings to the credit managers."""
from datetime import timedelta

from odoo import _, api, fields, models

from ..domain import risk_warnings as warning_domain

SEGMENTS = [("prime", "Prime"), ("standard", "Standard"), ("risk", "Risk")]


class CreditAging(models.Model):
    _inherit = "credit.aging"

    credit_segment = fields.Selection(
        SEGMENTS, "Segment", compute="_compute_credit_segment", store=True,
        readonly=True, index=True,
        help="Segment of the customer's grade when the snapshot was taken.")

    @api.depends("credit_grade_id.segment")
    def _compute_credit_segment(self):
        for row in self:
            row.credit_segment = row.credit_grade_id.segment

    @api.model
    def _write_snapshots(self, company, date, partner_ids=None):
        count = super()._write_snapshots(company, date,
                                         partner_ids=partner_ids)
        # the snapshots are written in SQL: their segment too
        self.env.cr.execute("""
            UPDATE credit_aging a SET credit_segment = g.segment
              FROM credit_grade g
             WHERE g.id = a.credit_grade_id AND a.company_id = %s
               AND a.date = %s
               AND a.credit_segment IS DISTINCT FROM g.segment
        """, (company.id, date))
        self.invalidate_cache(["credit_segment"])
        return count


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_segment = fields.Selection(
        SEGMENTS, "Segment", compute="_compute_credit_segment",
        search="_search_credit_segment",
        help="Segment of the customer's credit grade in the current "
             "company.")

    def _compute_credit_segment(self):
        for partner in self:
            partner.credit_segment = \
                partner.commercial_partner_id.credit_grade_id.segment

    def _search_credit_segment(self, operator, value):
        return [("commercial_partner_id.credit_grade_id.segment", operator,
                 value)]


class CreditWarning(models.Model):
    _inherit = "credit.warning"

    escalated_date = fields.Date(
        "Escalated On", readonly=True, copy=False,
        help="The warning went to the credit managers: still open after the "
             "policy's escalation days.")
    credit_segment = fields.Selection(
        SEGMENTS, "Segment", related="partner_id.credit_grade_id.segment",
        readonly=True)

    @api.model
    def _cron_evaluate_portfolio(self, date, company_ids):
        super()._cron_evaluate_portfolio(date, company_ids)
        self.sudo()._cron_escalate(date=date, company_ids=company_ids)

    @api.model
    def _credit_escalation_managers(self, company):
        group = self.env.ref("credit_management.group_credit_manager")
        return group.sudo().users.filtered(
            lambda u: u.active and not u.share and company in u.company_ids)

    @api.model
    def _cron_escalate(self, date=None, company_ids=None):
        """Hand high warnings still open after the escalation days to the
        credit managers: a to-do each and a message on the warning."""
        date = date or fields.Date.context_today(self)
        today = fields.Date.from_string(date)
        companies = self.env["res.company"].sudo().search(
            [("id", "in", company_ids)] if company_ids else [])
        escalated = self.browse()
        high = [s for s in warning_domain.SEVERITIES
                if warning_domain.at_least(s, "high")]
        for company in companies:
            policy = company.sudo().credit_policy_id
            days = policy.warning_escalation_days if policy else 0
            if days <= 0:
                continue
            limit = fields.Date.to_string(today - timedelta(days=days))
            warnings = self.search([
                ("company_id", "=", company.id), ("state", "=", "open"),
                ("severity", "in", high), ("escalated_date", "=", False),
                ("date", "<=", limit)])
            managers = self._credit_escalation_managers(company)
            for warning in warnings:
                warning._credit_escalate(managers - warning.user_id, date,
                                         days)
            escalated |= warnings
        return escalated

    def _credit_escalate(self, managers, date, days):
        self.ensure_one()
        activity_type = self.env.ref("mail.mail_activity_data_todo",
                                     raise_if_not_found=False)
        model = self.env["ir.model"].sudo()._get(self._name)
        summary = _("Escalated credit warning: %s") % self.display_name
        for user in managers:
            self.env["mail.activity"].sudo().create({
                "res_model_id": model.id, "res_id": self.id,
                "user_id": user.id,
                "activity_type_id": activity_type.id if activity_type
                else False,
                "summary": summary, "note": self.message,
                "date_deadline": date})
        self.write({"escalated_date": date})
        self.message_post(
            body=_("Still open %d days after it was raised (responsible: %s): "
                   "escalated to %s.") % (
                days, self.user_id.name or _("nobody"),
                ", ".join(managers.mapped("name")) or _("nobody")),
            partner_ids=managers.mapped("partner_id").ids,
            subtype="mail.mt_comment")
