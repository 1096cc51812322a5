# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Overdue interest (逾期利率): computed monthly per customer at the rate of
the invoice's credit terms, stored per item and period (the same days are
never charged twice), proposed on the dunning statement or invoiced as a
draft for a controller to validate."""
import logging

from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..domain import terms as terms_domain
from ..queries import receivable

_logger = logging.getLogger(__name__)


class CreditPolicy(models.Model):
    _inherit = "credit.policy"

    interest_mode = fields.Selection(
        [("off", "Off"), ("proposed", "Proposed (on the statement)"),
         ("invoiced", "Invoiced (draft interest invoice)")],
        "Overdue Interest", default="off", required=True,
        track_visibility="onchange",
        help="Monthly: interest on overdue items at the rate of their credit "
             "terms. Proposed: shown on the dunning statement. Invoiced: a "
             "draft interest invoice per customer for a controller to "
             "validate.")
    interest_grace_days = fields.Integer(
        default=0, track_visibility="onchange",
        help="No interest on an item overdue this many days or less.")
    interest_min_amount = fields.Monetary(
        "Minimum Interest", currency_field="currency_id",
        track_visibility="onchange",
        help="A customer's interest of a run below this amount is not "
             "charged; the days are charged with a later run.")
    interest_account_id = fields.Many2one(
        "account.account", "Interest Income Account",
        track_visibility="onchange")

    @api.constrains("interest_grace_days", "interest_min_amount",
                    "interest_mode", "interest_account_id")
    def _check_interest(self):
        for policy in self:
            if policy.interest_grace_days < 0 or policy.interest_min_amount < 0:
                raise ValidationError(_("Interest grace days and minimum "
                                        "cannot be negative."))
            if policy.interest_mode == "invoiced" \
                    and not policy.interest_account_id:
                raise ValidationError(_("Invoiced interest needs an interest "
                                        "income account."))


class CreditInterestLine(models.Model):
    """Interest charged on one overdue item for one period."""

    _name = "credit.interest.line"
    _description = "Overdue Interest Line"
    _order = "period_end desc, id desc"

    partner_id = fields.Many2one("res.partner", "Customer", required=True,
                                 index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True,
                                 readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id",
                                  readonly=True)
    move_line_id = fields.Many2one(
        "account.move.line", "Overdue Item", required=True, index=True,
        readonly=True, ondelete="restrict")
    invoice_id = fields.Many2one("account.invoice", readonly=True,
                                 index=True)
    due_date = fields.Date(readonly=True)
    period_start = fields.Date(required=True, readonly=True)
    period_end = fields.Date(required=True, readonly=True, index=True)
    days = fields.Integer(readonly=True)
    residual = fields.Monetary(readonly=True,
                               help="Overdue amount the interest is on.")
    rate = fields.Float("Rate (% per year)", digits=(5, 2), readonly=True)
    amount = fields.Monetary(readonly=True)
    state = fields.Selection(
        [("proposed", "Proposed"), ("invoiced", "Invoiced")],
        required=True, readonly=True, default="proposed", index=True)
    interest_invoice_id = fields.Many2one(
        "account.invoice", "Interest Invoice", readonly=True, index=True,
        ondelete="set null")

    _sql_constraints = [
        ("item_period_uniq", "unique(move_line_id, period_start)",
         "Interest is charged once per item and period."),
    ]

    @api.multi
    def unlink(self):
        if any(line.interest_invoice_id.state in ("open", "paid")
               for line in self):
            raise UserError(_("Interest already invoiced cannot be "
                              "deleted."))
        return super().unlink()

    # ------------------------------------------------------------------
    @api.model
    def _get_overdue_items(self, company, date):
        """Open overdue receivable items of customer invoices whose terms
        charge interest, with the rate and the last day already charged (one
        query; items without a rate are not read at all)."""
        self.env.cr.execute(sql.SQL("""
            SELECT l.id, p.commercial_partner_id, l.date_maturity,
                   l.amount_residual, inv.id, t.overdue_interest_rate,
                   (SELECT MAX(i.period_end) FROM credit_interest_line i
                     WHERE i.move_line_id = l.id)
              FROM {items}
              JOIN res_partner p ON p.id = l.partner_id
              JOIN account_invoice inv ON inv.id = l.invoice_id
              JOIN credit_term_template t
                ON t.payment_term_id = inv.payment_term_id
                   AND t.company_id = inv.company_id
                   AND t.overdue_interest_rate > 0
             WHERE l.company_id = %(company)s
               AND inv.type = 'out_invoice'
               AND {is_open} AND l.amount_residual > 0
               AND l.date_maturity < %(date)s
             ORDER BY p.commercial_partner_id, l.date_maturity, l.id
        """).format(
            items=sql.SQL(receivable.posted_receivable_items()),
            is_open=sql.SQL(receivable.is_open())),
            {"company": company.id, "date": date})
        return self.env.cr.fetchall()

    @api.model
    def _compute_interest(self, company, policy, date):
        """{partner id: [line values]} of interest to charge up to ``date``."""
        day = fields.Date.from_string(date)
        rounding = company.currency_id.rounding
        result = {}
        for (line_id, partner_id, due, residual, invoice_id, rate,
             charged) in self._get_overdue_items(company, date):
            if not rate:
                continue
            period = terms_domain.interest_period(
                fields.Date.from_string(due),
                fields.Date.from_string(charged) if charged else None,
                day, policy.interest_grace_days)
            if not period:
                continue
            start, end, days = period
            amount = terms_domain.interest_amount(residual, rate, days,
                                                  rounding)
            if not amount:
                continue
            result.setdefault(partner_id, []).append({
                "partner_id": partner_id, "company_id": company.id,
                "move_line_id": line_id, "invoice_id": invoice_id,
                "due_date": due, "period_start": fields.Date.to_string(start),
                "period_end": fields.Date.to_string(end), "days": days,
                "residual": residual, "rate": rate, "amount": amount})
        return result

    @api.model
    def _cron_run(self, date=None, company_ids=None):
        """The monthly interest run for every company whose policy charges
        interest. Returns the lines created."""
        date = date or fields.Date.context_today(self)
        companies = self.env["res.company"].sudo().browse(company_ids) \
            if company_ids else self.env["res.company"].sudo().search([])
        created = self.browse()
        for company in companies:
            policy = company.credit_policy_id
            if not policy or policy.interest_mode == "off":
                continue
            created |= self.sudo()._run_company(company, policy, date)
        _logger.info("credit interest: %d lines", len(created))
        return created

    @api.model
    def _run_company(self, company, policy, date):
        created = self.browse()
        for partner_id, values in self._compute_interest(
                company, policy, date).items():
            total = sum(v["amount"] for v in values)
            if total < (policy.interest_min_amount or 0.0):
                continue  # these days are charged with a later run
            lines = self.browse()
            for vals in values:
                lines |= self.create(vals)
            if policy.interest_mode == "invoiced":
                lines._create_interest_invoice(policy)
            created |= lines
        return created

    def _create_interest_invoice(self, policy):
        """A draft interest invoice of one customer, one line per item."""
        partner = self[:1].partner_id
        company = self[:1].company_id
        journal = self.env["account.journal"].search([
            ("company_id", "=", company.id), ("type", "=", "sale")], limit=1)
        invoice = self.env["account.invoice"].with_context(
            force_company=company.id).create({
                "partner_id": partner.id, "type": "out_invoice",
                "company_id": company.id, "journal_id": journal.id,
                "origin": _("Overdue interest"),
                "invoice_line_ids": [(0, 0, {
                    "name": _("Overdue interest on %s: %d days (%s to %s) at "
                              "%s%% a year on %s") % (
                        line.invoice_id.number or line.move_line_id.name,
                        line.days, line.period_start, line.period_end,
                        "%g" % line.rate, line.residual),
                    "quantity": 1, "price_unit": line.amount,
                    "account_id": policy.interest_account_id.id,
                }) for line in self],
            })
        self.write({"interest_invoice_id": invoice.id, "state": "invoiced"})
        return invoice


class ResPartner(models.Model):
    _inherit = "res.partner"

    def credit_interest_lines(self, company_id=None):
        """Overdue interest still claimed from this customer (the dunning
        statement lists it; public so that mail templates may call it; no
        sudo): proposed interest on items still open, invoiced interest
        whose interest invoice is not paid."""
        self.ensure_one()
        return self.env["credit.interest.line"].search([
            ("partner_id", "=", self.commercial_partner_id.id),
            ("company_id", "=", company_id or self._credit_company().id),
            "|", "&", ("state", "=", "proposed"),
            ("move_line_id.reconciled", "=", False),
            "&", ("state", "=", "invoiced"),
            ("interest_invoice_id.state", "in", ("draft", "open"))],
            order="period_end, id")
