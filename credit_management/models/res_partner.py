# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""res.partner: the credit profile fields, the exposure and the flags.

The profile's protection and change history are in res_partner_profile.py,
the monitoring figures (payment behaviour, aging KPIs, warnings) in
res_partner_monitoring.py; the SQL of all three in ``queries/``.
"""
from odoo import api, fields, models

from ..domain import decision as decision_domain
from ..domain import exposure as exposure_domain
from ..domain import flags as flags_domain
from ..queries import ddl
from ..queries import exposure as exposure_queries
from ..queries import flags as flag_queries
from ..queries import receivable as receivable_queries


class ResPartner(models.Model):
    _inherit = "res.partner"

    # The credit profile (limit, grade, hold, single-order cap, review date
    # and, Odoo's own, payment terms) is per company: company-dependent
    # fields kept in ir.property (see credit_profile.py).
    credit_limit = fields.Float(company_dependent=True)
    credit_grade_id = fields.Many2one(
        "credit.grade", "Credit Grade", track_visibility="onchange",
        company_dependent=True, copy=False,
        help="Approved credit grade of the commercial partner.")
    credit_hold = fields.Boolean(
        track_visibility="onchange", copy=False, company_dependent=True,
        help="Orders of a customer on hold fail the credit check.")
    credit_hold_reason = fields.Char(
        track_visibility="onchange", copy=False, company_dependent=True)
    credit_review_date = fields.Date(
        "Next Credit Review", copy=False, track_visibility="onchange",
        company_dependent=True,
        help="Date by which the customer's credit must be evaluated again.")
    credit_dossier_ids = fields.One2many(
        "credit.dossier", "partner_id", "Credit Dossiers")
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
    credit_order_cap = fields.Float(
        "Single Order Cap", copy=False, track_visibility="onchange",
        company_dependent=True,
        help="Optional: an order above this amount (company currency) fails "
             "the credit check even within the limit. 0 means no cap.")
    credit_checked_at = fields.Datetime(
        "Last Credit Check", readonly=True, copy=False,
        help="Written by every order credit check of this customer; the "
             "check locks and writes this row so that two concurrent checks "
             "of one customer are serialized.")
    credit_over_limit = fields.Boolean(
        "Over Credit Limit", compute="_compute_credit_flags",
        search="_search_credit_over_limit",
        help="The credit check's limit rule fails on the current exposure: "
             "beyond the limit and its tolerance, or any exposure for a "
             "grade that allows credit without a limit.")
    credit_is_overdue = fields.Boolean(
        "Overdue", compute="_compute_credit_flags",
        search="_search_credit_is_overdue",
        help="The credit check's overdue rule fails: invoices overdue for "
             "longer than the policy's grace days.")

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
    def _credit_exposure_data(self, company, today=None, exclude_order_ids=(),
                              exclude_invoice_ids=()):
        """Return {commercial partner id: ExposureData} for ``self``."""
        today = today or fields.Date.context_today(self)
        result = {}
        receivable = self._credit_receivable_amounts(company, today)
        drafts = self._credit_draft_invoice_amounts(
            company, exclude_invoice_ids=exclude_invoice_ids)
        orders = self._credit_uninvoiced_order_amounts(
            company, exclude_order_ids=exclude_order_ids)
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
        and unreconciled payments (negative residuals) reduce it. Read from
        ``credit_receivable_balance`` (kept by triggers, one row per partner,
        account and due date), so the cost does not grow with the number of
        open items.
        """
        return exposure_queries.receivable_amounts(
            self.env.cr, self.ids, company.id, today)

    def _credit_draft_invoice_amounts(self, company, exclude_invoice_ids=()):
        """{partner: draft customer invoices less draft credit notes}."""
        return exposure_queries.draft_invoice_amounts(
            self.env.cr, self.ids, company.id, exclude_invoice_ids)

    def _credit_uninvoiced_order_amounts(self, company, exclude_order_ids=()):
        """{partner: confirmed order amounts not invoiced yet, company currency}.

        The uninvoiced share of each confirmed line (tax included), grouped
        by currency in SQL and converted at today's rate.
        """
        result = {}
        for partner_id, currency_id, amount in \
                exposure_queries.uninvoiced_order_amounts(
                    self.env.cr, self.ids, company.id, exclude_order_ids):
            amount = amount or 0.0
            if currency_id != company.currency_id.id:
                amount = self.env["res.currency"].browse(currency_id).with_context(
                    company_id=company.id).compute(
                        amount, company.currency_id, round=False)
            result[partner_id] = result.get(partner_id, 0.0) + amount
        return result

    # ------------------------------------------------------------------
    # Order check support
    # ------------------------------------------------------------------
    @api.model_cr
    def init(self):
        """The indexes and functions the addon's SQL runs on (queries/ddl.py
        owns them)."""
        res = super().init()
        ddl.install_partner_objects(self.env.cr)
        return res

    def _credit_lock(self):
        """Lock and write the commercial partner rows for a credit check.

        The row lock makes a concurrent check of the same customer wait; the
        write makes it fail to serialize afterwards (REPEATABLE READ), so
        Odoo's RPC layer retries it on fresh data that includes the order
        confirmed first.
        """
        if not self.ids:
            return
        ids = tuple(sorted(self.ids))
        # one statement: the rows locked in id order, then written
        self.env.cr.execute(
            "UPDATE res_partner SET credit_checked_at = (now() at time zone 'UTC')"
            " WHERE id IN (SELECT id FROM res_partner WHERE id IN %s"
            " ORDER BY id FOR UPDATE)", (ids,))
        self.invalidate_cache(["credit_checked_at"], list(ids))

    def _credit_open_items_domain(self, company):
        """Domain of the open receivable items of these commercial partners."""
        return receivable_queries.open_receivable_domain(self.ids, company.id)

    def _credit_has_credit_term(self, payment_term, date_ref=None):
        """Whether ``payment_term`` gives the customer time to pay."""
        if not payment_term:
            return False
        date_ref = date_ref or fields.Date.context_today(self)
        lines = payment_term.with_context(currency_id=False).compute(
            100.0, date_ref=date_ref)
        if lines and isinstance(lines[0], list):  # account.payment.term: [lines]
            lines = lines[0]
        return any(due > date_ref for due, _amount in lines)

    def _credit_review_overdue(self, today):
        self.ensure_one()
        return bool(self.credit_review_date and self.credit_review_date < today)

    @api.model
    def _credit_flag_rules(self, policy):
        """The decision rules the flags apply (the order check's)."""
        if policy:
            return self.env["credit.check"]._prepare_rules(policy)
        return decision_domain.Rules(
            tolerance_percent=0.0, grace_days=0, no_limit_action="allow",
            review_overdue_blocks=False)

    def _compute_credit_flags(self):
        """Over limit / overdue: the decision's rules (domain), no formula
        of their own."""
        company = self._credit_company()
        rules = self._credit_flag_rules(company.sudo().credit_policy_id)
        secured = self.env["credit.collateral"]._credit_secured_amounts(
            self.mapped("commercial_partner_id"), company)
        for partner in self:
            commercial = partner.commercial_partner_id
            grade = commercial.credit_grade_id
            snap = decision_domain.snapshot(
                limit=commercial.credit_limit,
                exposure=partner.credit_exposure,
                overdue_amount=partner.credit_overdue_amount,
                overdue_days=partner.credit_overdue_days,
                has_grade=bool(grade),
                grade_allows_credit=grade.allow_credit if grade else True,
                secured=secured.get(commercial.id, 0.0))
            partner.credit_over_limit, partner.credit_is_overdue = \
                flags_domain.customer_flags(snap, rules)

    @api.model
    def _credit_flag_domain(self, operator, value, query, params):
        """Domain on the commercial partner answered by ``query`` (one SQL
        subquery inside the search itself, no id list through Python)."""
        positive = (operator == "=" and value) or (operator == "!=" and not value)
        return [("commercial_partner_id",
                 "inselect" if positive else "not inselect", (query, params))]

    @api.model
    def _search_credit_over_limit(self, operator, value):
        """Customers over their limit: one SQL query over the per-partner
        receivable totals, draft invoices and uninvoiced orders, as the
        policy counts them, against the company's credit profile and the
        credit secured by collateral (computed by the collateral rules in
        Python, passed in as rows: few customers have collateral).

        Restates the decision's limit rule for speed (parity tested in
        tests/test_rule_parity.py): the rule applies with a limit or a grade
        that allows credit (``decision.limit_applies``) and fails when the
        exposure exceeds limit x (1 + tolerance) by more than
        ``decision.EPSILON``.
        """
        company = self._credit_company()
        policy = company.sudo().credit_policy_id
        query, params = flag_queries.over_limit(
            company.id,
            tolerance=policy.limit_tolerance_percent if policy else 0.0,
            drafts=policy.include_draft_invoices if policy else True,
            orders=policy.include_uninvoiced_orders if policy else True,
            factors=self._credit_currency_factors(company),
            epsilon=decision_domain.EPSILON,
            secured=self.env["credit.collateral"]._credit_secured_in_company(
                company))
        return self._credit_flag_domain(operator, value, query, params)

    @api.model
    def _credit_currency_factors(self, company):
        """((currency id, factor to the company currency at today's rate),)
        for the active currencies, as SQL VALUES rows."""
        to = company.currency_id
        Currency = self.env["res.currency"].with_context(
            company_id=company.id, date=fields.Date.context_today(self))
        return tuple(
            (currency.id, 1.0 if currency == to
             else Currency._get_conversion_rate(currency, to))
            for currency in Currency.search([]))

    @api.model
    def _search_credit_is_overdue(self, operator, value):
        """Customers failing the decision's overdue rule: overdue amount
        above ``decision.EPSILON`` and the oldest unpaid due date more than
        the policy's grace days ago. One SQL query over the per-partner
        totals (kept by the triggers with the oldest open due date): the
        overdue amount is the total less the buckets not due yet (parity
        tested in tests/test_rule_parity.py).

        The oldest open due date counts items not due yet too, but when it
        is more than the grace days ago it is past due, and then it is the
        oldest past-due date the rule means.
        """
        company = self._credit_company()
        policy = company.sudo().credit_policy_id
        query, params = flag_queries.overdue(
            company.id, fields.Date.context_today(self),
            policy.overdue_grace_days if policy else 0,
            decision_domain.EPSILON)
        return self._credit_flag_domain(operator, value, query, params)
