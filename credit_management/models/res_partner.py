# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError

from ..domain import exposure as exposure_domain


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_grade_id = fields.Many2one(
        "credit.grade", "Credit Grade", track_visibility="onchange",
        company_dependent=False, copy=False,
        help="Approved credit grade of the commercial partner.")
    credit_hold = fields.Boolean(
        track_visibility="onchange", copy=False,
        help="Orders of a customer on hold fail the credit check.")
    credit_hold_reason = fields.Char(track_visibility="onchange", copy=False)
    credit_review_date = fields.Date(
        "Next Credit Review", copy=False, track_visibility="onchange",
        help="Date by which the customer's credit must be evaluated again.")
    credit_currency_id = fields.Many2one(
        "res.currency", compute="_compute_credit_exposure")
    credit_receivable = fields.Monetary(
        "Open Receivable", compute="_compute_credit_exposure",
        currency_field="credit_currency_id")
    credit_draft_invoiced = fields.Monetary(
        "Draft Invoices", compute="_compute_credit_exposure",
        currency_field="credit_currency_id")
    credit_uninvoiced = fields.Monetary(
        "Uninvoiced Orders", compute="_compute_credit_exposure",
        currency_field="credit_currency_id")
    credit_exposure = fields.Monetary(
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        help="Open receivable plus, as the credit policy says, draft "
             "invoices and confirmed orders not invoiced yet, in the "
             "company currency.")
    credit_available = fields.Monetary(
        "Available Credit", compute="_compute_credit_exposure",
        currency_field="credit_currency_id")
    credit_overdue_amount = fields.Monetary(
        "Overdue Amount", compute="_compute_credit_exposure",
        currency_field="credit_currency_id")
    credit_overdue_days = fields.Integer(
        "Overdue Days", compute="_compute_credit_exposure",
        help="Days since the oldest unpaid due date.")

    @api.model
    def _credit_company(self):
        return self.env["res.company"].browse(
            self.env.context.get("force_company")) or self.env.user.company_id

    def _compute_credit_exposure(self):
        company = self._credit_company()
        policy = company.sudo().credit_policy_id
        today = fields.Date.from_string(fields.Date.context_today(self))
        commercial = self.mapped("commercial_partner_id")
        data = commercial._credit_exposure_data(company) if commercial.ids else {}
        for partner in self:
            item = data.get(partner.commercial_partner_id.id,
                            exposure_domain.EMPTY_EXPOSURE)
            exposure = exposure_domain.total_exposure(
                item,
                include_draft_invoices=policy.include_draft_invoices
                if policy else True,
                include_uninvoiced_orders=policy.include_uninvoiced_orders
                if policy else True)
            partner.credit_currency_id = company.currency_id
            partner.credit_receivable = item.receivable
            partner.credit_draft_invoiced = item.draft_invoices
            partner.credit_uninvoiced = item.uninvoiced_orders
            partner.credit_exposure = exposure
            partner.credit_available = exposure_domain.available_credit(
                partner.commercial_partner_id.credit_limit, exposure)
            partner.credit_overdue_amount = item.overdue_amount
            partner.credit_overdue_days = exposure_domain.overdue_days(
                item.oldest_due_date, today)

    # ------------------------------------------------------------------
    # Exposure sources: one SQL aggregate each, for many commercial
    # partners at once. Override one to change what counts.
    # ------------------------------------------------------------------
    def _credit_exposure_data(self, company, today=None):
        """Return {commercial partner id: ExposureData} for ``self``."""
        today = today or fields.Date.context_today(self)
        result = {}
        receivable = self._credit_receivable_amounts(company, today)
        drafts = self._credit_draft_invoice_amounts(company)
        orders = self._credit_uninvoiced_order_amounts(company)
        for partner_id in self.ids:
            rec, overdue, oldest = receivable.get(partner_id, (0.0, 0.0, None))
            result[partner_id] = exposure_domain.ExposureData(
                receivable=rec,
                draft_invoices=drafts.get(partner_id, 0.0),
                uninvoiced_orders=orders.get(partner_id, 0.0),
                overdue_amount=overdue,
                oldest_due_date=fields.Date.from_string(oldest) if oldest else None,
            )
        return result

    def _credit_receivable_amounts(self, company, today):
        """{partner: (open receivable, overdue amount, oldest overdue due date)}.

        Residual of posted receivable items in company currency; credit notes
        and unreconciled payments (negative residuals) reduce it.
        """
        self.env.cr.execute("""
            SELECT p.commercial_partner_id,
                   SUM(aml.amount_residual),
                   SUM(CASE WHEN aml.date_maturity < %(today)s
                            THEN aml.amount_residual ELSE 0 END),
                   MIN(CASE WHEN aml.date_maturity < %(today)s
                             AND aml.amount_residual > 0
                            THEN aml.date_maturity END)
              FROM account_move_line aml
              JOIN res_partner p ON p.id = aml.partner_id
              JOIN account_account acc ON acc.id = aml.account_id
              JOIN account_move move ON move.id = aml.move_id
             WHERE p.commercial_partner_id IN %(partners)s
               AND aml.company_id = %(company)s
               AND acc.internal_type = 'receivable'
               AND aml.reconciled IS NOT TRUE
               AND move.state = 'posted'
             GROUP BY p.commercial_partner_id
        """, {"today": today, "partners": tuple(self.ids),
              "company": company.id})
        return {row[0]: (row[1] or 0.0, max(row[2] or 0.0, 0.0), row[3])
                for row in self.env.cr.fetchall()}

    def _credit_draft_invoice_amounts(self, company):
        """{partner: draft customer invoices less draft credit notes}."""
        self.env.cr.execute("""
            SELECT inv.commercial_partner_id,
                   SUM(inv.amount_total_company_signed)
              FROM account_invoice inv
             WHERE inv.commercial_partner_id IN %(partners)s
               AND inv.company_id = %(company)s
               AND inv.state = 'draft'
               AND inv.type IN ('out_invoice', 'out_refund')
             GROUP BY inv.commercial_partner_id
        """, {"partners": tuple(self.ids), "company": company.id})
        return dict(self.env.cr.fetchall())

    def _credit_uninvoiced_order_amounts(self, company, exclude_order_ids=()):
        """{partner: confirmed order amounts not invoiced yet, company currency}.

        The uninvoiced share of each confirmed line (tax included), grouped
        by currency in SQL and converted at today's rate.
        """
        self.env.cr.execute("""
            SELECT p.commercial_partner_id, pl.currency_id,
                   SUM(CASE WHEN sol.product_uom_qty > 0 THEN
                       sol.price_total
                       * GREATEST(sol.product_uom_qty - sol.qty_invoiced, 0)
                       / sol.product_uom_qty ELSE 0 END)
              FROM sale_order_line sol
              JOIN sale_order so ON so.id = sol.order_id
              JOIN res_partner p ON p.id = so.partner_id
              JOIN product_pricelist pl ON pl.id = so.pricelist_id
             WHERE p.commercial_partner_id IN %(partners)s
               AND so.company_id = %(company)s
               AND so.state IN ('sale', 'done')
               AND so.id NOT IN %(exclude)s
             GROUP BY p.commercial_partner_id, pl.currency_id
        """, {"partners": tuple(self.ids), "company": company.id,
              "exclude": tuple(exclude_order_ids) or (0,)})
        result = {}
        for partner_id, currency_id, amount in self.env.cr.fetchall():
            currency = self.env["res.currency"].browse(currency_id)
            result[partner_id] = result.get(partner_id, 0.0) + currency.compute(
                amount or 0.0, company.currency_id, round=False)
        return result

    # ------------------------------------------------------------------
    # Protection: grade and limit change through approvals (run as
    # superuser) or by a credit manager, never by anyone else over RPC.
    # ------------------------------------------------------------------
    @api.model
    def _credit_protected_fields(self):
        return {"credit_limit": "credit_management.group_credit_manager",
                "credit_grade_id": "credit_management.group_credit_manager",
                "credit_hold": "credit_management.group_credit_controller",
                "credit_hold_reason": "credit_management.group_credit_controller",
                "credit_review_date": "credit_management.group_credit_controller"}

    def _credit_check_protected_write(self, vals):
        if self.env.uid == SUPERUSER_ID:
            return
        for field, group in self._credit_protected_fields().items():
            if field not in vals or self.env.user.has_group(group):
                continue
            new = self._fields[field].convert_to_record(
                self._fields[field].convert_to_cache(vals[field], self), self)
            if any(partner[field] != new for partner in self):
                raise AccessError(
                    _("Only the credit team may change %s; ask for it through "
                      "a credit limit request or an evaluation.")
                    % self._fields[field].get_description(self.env)["string"])

    @api.multi
    def write(self, vals):
        self._credit_check_protected_write(vals)
        return super().write(vals)

    def _credit_apply_grade_terms(self):
        """Give each partner the payment term of its grade's credit terms."""
        for partner in self:
            term = partner.credit_grade_id.term_template_id.payment_term_id
            if term:
                partner.sudo().property_payment_term_id = term
        return True
