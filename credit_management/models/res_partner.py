# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..domain import aging as aging_domain
from ..domain import decision as decision_domain
from ..domain import exposure as exposure_domain
from ..domain import flags as flags_domain
from ..domain import payment as payment_domain
from .credit_profile import create_profile_function
from .trusted import credit_trusted_write, trusted_write


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
        self.env.cr.execute("""
            SELECT p.commercial_partner_id,
                   SUM(b.amount_residual),
                   SUM(CASE WHEN b.date_maturity < %(today)s
                            THEN b.amount_residual ELSE 0 END),
                   MIN(CASE WHEN b.date_maturity < %(today)s
                             AND b.positive_count > 0
                            THEN b.date_maturity END)
              FROM credit_receivable_balance b
              JOIN res_partner p ON p.id = b.partner_id
             WHERE p.commercial_partner_id IN %(partners)s
               AND b.account_id IN (
                   SELECT id FROM account_account
                    WHERE internal_type = 'receivable'
                      AND company_id = %(company)s)
             GROUP BY p.commercial_partner_id
        """, {"today": today, "partners": tuple(self.ids),
              "company": company.id})
        return {row[0]: (row[1] or 0.0, max(row[2] or 0.0, 0.0), row[3])
                for row in self.env.cr.fetchall()}

    def _credit_draft_invoice_amounts(self, company, exclude_invoice_ids=()):
        """{partner: draft customer invoices less draft credit notes}."""
        self.env.cr.execute("""
            SELECT inv.commercial_partner_id,
                   SUM(inv.amount_total_company_signed)
              FROM account_invoice inv
             WHERE inv.commercial_partner_id IN %(partners)s
               AND inv.company_id = %(company)s
               AND inv.state = 'draft'
               AND inv.type IN ('out_invoice', 'out_refund')
               AND inv.id NOT IN %(exclude)s
             GROUP BY inv.commercial_partner_id
        """, {"partners": tuple(self.ids), "company": company.id,
              "exclude": tuple(exclude_invoice_ids) or (0,)})
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
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
              JOIN sale_order_line sol ON sol.order_id = so.id
              JOIN product_pricelist pl ON pl.id = so.pricelist_id
             WHERE so.partner_id IN (
                       SELECT id FROM res_partner
                        WHERE commercial_partner_id IN %(partners)s)
               AND so.company_id = %(company)s
               AND so.state IN ('sale', 'done')
               AND so.id NOT IN %(exclude)s
             GROUP BY p.commercial_partner_id, pl.currency_id
        """, {"partners": tuple(self.ids), "company": company.id,
              "exclude": tuple(exclude_order_ids) or (0,)})
        result = {}
        for partner_id, currency_id, amount in self.env.cr.fetchall():
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
        """Indexes the exposure queries and the customer filters run on,
        and the SQL function reading the per-company credit profile."""
        res = super().init()
        cr = self.env.cr
        create_profile_function(cr)
        # no INCLUDE (date_maturity, amount_residual): PostgreSQL 10 has
        # none, and a residual in an index makes every residual update of a
        # journal item write every index of the table (no HOT update)
        cr.execute("""
            CREATE INDEX IF NOT EXISTS account_move_line_credit_open_idx
                ON account_move_line (partner_id, account_id)
             WHERE reconciled IS NOT TRUE
        """)
        cr.execute("""
            CREATE INDEX IF NOT EXISTS account_move_credit_draft_idx
                ON account_move (company_id) WHERE state = 'draft'
        """)
        cr.execute("""
            CREATE INDEX IF NOT EXISTS account_invoice_credit_draft_idx
                ON account_invoice (commercial_partner_id)
             WHERE state = 'draft'
        """)
        cr.execute("""
            CREATE INDEX IF NOT EXISTS sale_order_credit_open_idx
                ON sale_order (partner_id) WHERE state IN ('sale', 'done')
        """)
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
        return [("partner_id", "child_of", self.ids),
                ("company_id", "=", company.id),
                ("account_id.internal_type", "=", "receivable"),
                ("reconciled", "=", False),
                ("move_id.state", "=", "posted")]

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
        for partner in self:
            commercial = partner.commercial_partner_id
            grade = commercial.credit_grade_id
            snap = decision_domain.snapshot(
                limit=commercial.credit_limit,
                exposure=partner.credit_exposure,
                overdue_amount=partner.credit_overdue_amount,
                overdue_days=partner.credit_overdue_days,
                has_grade=bool(grade),
                grade_allows_credit=grade.allow_credit if grade else True)
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
        policy counts them, against the company's credit profile.

        Restates the decision's limit rule for speed (parity tested in
        tests/test_rule_parity.py): the rule applies with a limit or a grade
        that allows credit (``decision.limit_applies``) and fails when the
        exposure exceeds limit x (1 + tolerance) by more than
        ``decision.EPSILON``.
        """
        company = self._credit_company()
        policy = company.sudo().credit_policy_id
        tolerance = policy.limit_tolerance_percent if policy else 0.0
        drafts = policy.include_draft_invoices if policy else True
        orders = policy.include_uninvoiced_orders if policy else True
        factors = self._credit_currency_factors(company)
        query = """
            SELECT p.commercial_partner_id
              FROM (
                SELECT t.partner_id, t.amount_residual AS amount
                  FROM credit_receivable_total t
                  JOIN account_account acc ON acc.id = t.account_id
                 WHERE acc.internal_type = 'receivable' AND acc.company_id = %s
                UNION ALL
                SELECT inv.partner_id, inv.amount_total_company_signed
                  FROM account_invoice inv
                 WHERE %s AND inv.state = 'draft' AND inv.company_id = %s
                   AND inv.type IN ('out_invoice', 'out_refund')
                UNION ALL
                SELECT so.partner_id,
                       SUM(sol.price_total
                           * GREATEST(sol.product_uom_qty - sol.qty_invoiced, 0)
                           / sol.product_uom_qty) * MAX(fx.factor)
                  FROM sale_order so
                  JOIN sale_order_line sol ON sol.order_id = so.id
                  JOIN product_pricelist pl ON pl.id = so.pricelist_id
                  JOIN (VALUES {values}) AS fx (currency_id, factor)
                    ON fx.currency_id = pl.currency_id
                 WHERE %s AND so.state IN ('sale', 'done')
                   AND so.company_id = %s AND sol.product_uom_qty > 0
                 GROUP BY so.partner_id, pl.currency_id
              ) a
              JOIN res_partner p ON p.id = a.partner_id
              JOIN credit_partner_profile(%s) cp
                ON cp.partner_id = p.commercial_partner_id
              LEFT JOIN credit_grade g ON g.id = cp.credit_grade_id
             WHERE cp.credit_limit > %s OR g.allow_credit
             GROUP BY p.commercial_partner_id, cp.credit_limit
            HAVING SUM(a.amount) - cp.credit_limit * (1 + %s / 100.0) > %s
        """.format(values=", ".join(["(%s, %s::float)"] * len(factors)))
        params = [company.id, drafts, company.id]
        for currency_id, factor in factors:
            params += [currency_id, factor]
        params += [orders, company.id, company.id, decision_domain.EPSILON,
                   tolerance, decision_domain.EPSILON]
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
        grace = policy.overdue_grace_days if policy else 0
        today = fields.Date.context_today(self)
        query = """
            SELECT p.commercial_partner_id
              FROM credit_receivable_total t
              JOIN account_account acc ON acc.id = t.account_id
              JOIN res_partner p ON p.id = t.partner_id
              LEFT JOIN (
                  SELECT b.partner_id, b.account_id,
                         SUM(b.amount_residual) AS amount
                    FROM credit_receivable_balance b
                   WHERE b.date_maturity >= %s
                   GROUP BY b.partner_id, b.account_id
              ) not_due ON not_due.partner_id = t.partner_id
                       AND not_due.account_id = t.account_id
             WHERE acc.internal_type = 'receivable' AND acc.company_id = %s
             GROUP BY p.commercial_partner_id
            HAVING SUM(t.amount_residual - COALESCE(not_due.amount, 0)) > %s
               AND MIN(t.oldest_open_due) < %s::date - %s
        """
        params = [today, company.id, decision_domain.EPSILON, today, grace]
        return self._credit_flag_domain(operator, value, query, params)

    # ------------------------------------------------------------------
    # Protection: the credit profile changes through the addon's own
    # approvals (a trusted write, see trusted.py) or by the credit team,
    # never by anyone else over RPC, whatever the context says.
    # ------------------------------------------------------------------
    @api.model
    def _credit_protected_fields(self):
        return {"credit_limit": "credit_management.group_credit_manager",
                "credit_grade_id": "credit_management.group_credit_manager",
                "credit_hold": "credit_management.group_credit_controller",
                "credit_hold_reason": "credit_management.group_credit_controller",
                "credit_review_date": "credit_management.group_credit_controller",
                "credit_order_cap": "credit_management.group_credit_manager"}

    def _credit_trusted_write(self):
        """The addon's own write of these partners (or of their commercial
        partners, whose profile the contacts follow), else None."""
        return trusted_write(self) or trusted_write(
            self.mapped("commercial_partner_id"))

    @api.model
    def _credit_check_values(self, vals):
        """Refuse impossible profile values before anything is written."""
        for field in ("credit_limit", "credit_order_cap"):
            if (vals.get(field) or 0.0) < 0:
                raise ValidationError(
                    _("%s cannot be negative.")
                    % self._fields[field].get_description(self.env)["string"])

    def _credit_check_protected_write(self, vals, parent=None):
        """Refuse a change of the credit profile by someone outside the
        credit team. A contact follows its commercial partner: giving it the
        commercial partner's values (Odoo's sync) changes nothing."""
        if self._credit_trusted_write():
            return
        for field, group in self._credit_protected_fields().items():
            if field not in vals or self.env.user.has_group(group):
                continue
            new = self._fields[field].convert_to_record(
                self._fields[field].convert_to_cache(vals[field], self), self)
            if parent is not None:  # creation: the default, or the parent's
                current = [parent[field] if parent
                           else self._fields[field].convert_to_record(
                               self._fields[field].convert_to_cache(
                                   self.default_get([field]).get(field, False),
                                   self), self)]
            else:
                current = [partner[field]
                           if partner.commercial_partner_id == partner
                           else partner.commercial_partner_id[field]
                           for partner in self]
            if any(value != new for value in current):
                raise AccessError(
                    _("Only the credit team may change %s; ask for it through "
                      "a credit limit request or an evaluation.")
                    % self._fields[field].get_description(self.env)["string"])

    @api.model
    def create(self, vals):
        self._credit_check_values(vals)
        # a new customer starts from the defaults (a new contact from its
        # company's profile): any other value is the credit team's change
        parent = self.browse(vals.get("parent_id")).commercial_partner_id \
            if vals.get("parent_id") and not vals.get("is_company") \
            else self.browse()
        self.browse()._credit_check_protected_write(vals, parent=parent)
        return super().create(vals)

    @api.multi
    def write(self, vals):
        self._credit_check_values(vals)
        self._credit_check_protected_write(vals)
        before = None
        if set(vals) & set(self._credit_history_fields()):
            before = self._credit_history_snapshot()
        res = super().write(vals)
        if before:
            self._credit_log_history(before)
        if "credit_review_date" in vals:
            self._credit_sync_review_date()
        return res

    def _credit_sync_review_date(self):
        """The dossiers of the company follow the partner's next review
        date of that company."""
        company = self._credit_company()
        dossiers = self.env["credit.dossier"].sudo().search(
            [("partner_id", "in", self.filtered(
                lambda p: p.commercial_partner_id == p).ids),
             ("company_id", "=", company.id)])
        for dossier in dossiers:
            date = dossier.partner_id.with_context(
                force_company=company.id).credit_review_date
            if dossier.review_date != date:
                dossier.write({"review_date": date})

    def _credit_write_profile(self, vals, change_type="other", reason=None,
                              origin=None, user_id=None):
        """Write credit profile ``vals`` as the addon (an approval, a
        penalty, a sync): trusted for these partners only, the history
        labelled with ``change_type``, ``reason``, ``origin`` and the
        deciding ``user_id``. The company is the context's."""
        with credit_trusted_write(self, change_type=change_type,
                                  reason=reason, origin=origin,
                                  user_id=user_id):
            return self.write(vals)

    @api.multi
    def action_credit_open_dossier(self):
        """Open (creating it for the credit team) the customer's dossier."""
        self.ensure_one()
        partner = self.commercial_partner_id
        company = self._credit_company()
        Dossier = self.env["credit.dossier"]
        dossier = Dossier.search([("partner_id", "=", partner.id),
                                  ("company_id", "=", company.id)], limit=1)
        if not dossier:
            if not self.env.user.has_group(
                    "credit_management.group_credit_controller"):
                raise UserError(_("%s has no credit dossier yet; the credit "
                                  "team opens it.") % partner.display_name)
            dossier = Dossier._get_or_create(partner, company)
        return {"type": "ir.actions.act_window", "res_model": "credit.dossier",
                "res_id": dossier.id, "view_mode": "form",
                "name": _("Credit Dossier")}

    # ------------------------------------------------------------------
    # History: every change of grade, limit or terms of a commercial
    # partner is logged in its credit dossier of the company (who, when,
    # from, to, why). Approvals pass the reason and origin through
    # ``_credit_write_profile``.
    # ------------------------------------------------------------------
    @api.model
    def _credit_history_fields(self):
        return ("credit_grade_id", "credit_limit", "property_payment_term_id")

    def _credit_history_snapshot(self):
        return {p.id: (p.credit_grade_id, p.credit_limit,
                       p.property_payment_term_id)
                for p in self if p.commercial_partner_id == p}

    def _credit_log_history(self, before):
        company = self._credit_company()
        # type, reason and origin come from the addon's own approvals
        # (trusted.py), never from the context: a client cannot label its
        # own change, whoever it is
        frame = self._credit_trusted_write()
        Dossier = self.env["credit.dossier"]
        for partner in self.filtered(lambda p: p.id in before):
            grade, limit, term = before[partner.id]
            after = (partner.credit_grade_id, partner.credit_limit,
                     partner.property_payment_term_id)
            if after == (grade, limit, term):
                continue
            dossier = Dossier.sudo().search(
                [("partner_id", "=", partner.id),
                 ("company_id", "=", company.id)], limit=1)
            if not dossier:
                if (grade, limit) == after[:2]:
                    continue  # terms only, customer not under credit control
                dossier = Dossier._get_or_create(partner, company)
            dossier._log_history({
                "change_type": frame.change_type if frame else "manual",
                "reason": frame.reason if frame else False,
                "origin": frame.origin if frame else False,
                "user_id": (frame.user_id if frame else False)
                or self.env.uid,
                "old_grade_id": grade.id, "new_grade_id": after[0].id,
                "old_limit": limit, "new_limit": after[1],
                "old_payment_term_id": term.id,
                "new_payment_term_id": after[2].id,
            })

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
        params = {"partners": tuple(self.ids), "company": company.id,
                  "date": as_of, "rounding": company.currency_id.rounding / 2.0}
        if as_of:
            scope = {"partial": "AND apr.max_date <= %(date)s",
                     "item": "AND aml.date <= %(date)s",
                     "paid": "HAVING SUM(apr.amount) >= aml.debit - %(rounding)s"}
        else:
            scope = {"partial": "", "item": "AND aml.reconciled", "paid": ""}
        self.env.cr.execute("""
            WITH items AS (
                SELECT p.commercial_partner_id AS partner_id, aml.move_id,
                       aml.debit AS amount,
                       GREATEST(MAX(pay.date)
                                - COALESCE(aml.date_maturity, aml.date), 0)
                           AS days_late
                  FROM account_move_line aml
                  JOIN res_partner p ON p.id = aml.partner_id
                  JOIN account_account acc ON acc.id = aml.account_id
                  JOIN account_move move ON move.id = aml.move_id
                  JOIN account_partial_reconcile apr
                       ON apr.debit_move_id = aml.id {partial}
                  JOIN account_move_line pay ON pay.id = apr.credit_move_id
                 WHERE p.commercial_partner_id IN %(partners)s
                   AND aml.company_id = %(company)s
                   AND acc.internal_type = 'receivable'
                   AND move.state = 'posted'
                   AND aml.debit > 0
                   {item}
                 GROUP BY p.commercial_partner_id, aml.id
                 {paid}
            ), invoices AS (
                SELECT partner_id, move_id, SUM(amount) AS amount,
                       SUM(amount * days_late) AS weighted,
                       MAX(days_late) AS days_late
                  FROM items
                 GROUP BY partner_id, move_id
            )
            SELECT partner_id, COUNT(*),
                   COUNT(*) FILTER (WHERE days_late = 0),
                   AVG(days_late),
                   SUM(weighted) / NULLIF(SUM(amount), 0),
                   MAX(days_late)
              FROM invoices
             GROUP BY partner_id
        """.format(**scope), params)
        paid = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        self.env.cr.execute("""
            SELECT p.commercial_partner_id, MIN(aml.date)
              FROM account_move_line aml
              JOIN res_partner p ON p.id = aml.partner_id
              JOIN account_account acc ON acc.id = aml.account_id
              JOIN account_move move ON move.id = aml.move_id
             WHERE p.commercial_partner_id IN %(partners)s
               AND aml.company_id = %(company)s
               AND acc.internal_type = 'receivable'
               AND move.state = 'posted'
               AND aml.debit > 0
               {item}
             GROUP BY p.commercial_partner_id
        """.format(item=scope["item"] if as_of else ""), params)
        first = dict(self.env.cr.fetchall())
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

    def _credit_apply_grade_terms(self):
        """Give each partner the payment term of its grade's credit terms."""
        for partner in self:
            term = partner.credit_grade_id.term_template_id.payment_term_id
            if term:
                partner.sudo().property_payment_term_id = term
        return True

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
        counts = {}
        if commercial.ids:
            for group in self.env["credit.aging"].sudo().read_group(
                    [("partner_id", "in", commercial.ids),
                     ("company_id", "=", company.id)],
                    ["partner_id"], ["partner_id"]):
                counts[group["partner_id"][0]] = group["partner_id_count"]
        for partner in self:
            row = rows.get(partner.commercial_partner_id.id) or {}
            partner.credit_dso = float(row.get("dso") or 0.0)
            partner.credit_overdue_ratio = float(
                row.get("overdue_ratio") or 0.0)
            partner.credit_avg_days_late = float(
                row.get("avg_days_late") or 0.0)
            partner.credit_aging_count = counts.get(
                partner.commercial_partner_id.id, 0)

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
        counts = {}
        if commercial.ids:
            for group in self.env["credit.warning"].sudo().read_group(
                    [("partner_id", "in", commercial.ids),
                     ("company_id", "=", company.id),
                     ("state", "=", "open")], ["partner_id"], ["partner_id"]):
                counts[group["partner_id"][0]] = group["partner_id_count"]
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
            self.env.cr.execute("""
                SELECT p.commercial_partner_id, SUM(l.balance)
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id
                  JOIN account_move m ON m.id = l.move_id
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE p.commercial_partner_id IN %s AND l.company_id = %s
                   AND a.internal_type = 'receivable' AND m.state = 'posted'
                   AND l.invoice_id IS NOT NULL AND l.date > %s
                 GROUP BY p.commercial_partner_id
            """, (tuple(commercial.ids), company.id, since))
            sales = dict(self.env.cr.fetchall())
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
