# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..domain import aging as aging_domain

_logger = logging.getLogger(__name__)


class CreditAging(models.Model):
    """Aged receivable of one commercial partner in one company on a date.

    Written by one SQL statement per company (see ``_write_snapshots``):
    a rerun on the same date replaces that date's snapshots. The figures
    are those of Odoo's Aged Partner Balance for the same date (posted
    entries, receivable accounts, period length 30):

    * items dated after the date are ignored;
    * an item counts with its residual *as of the date*: reconciliations
      whose later matched line is dated after the date (the partial
      reconcile's ``max_date``) are undone;
    * the bucket follows the item's due date (its date when it has none);
      an item due on the date itself is not due.

    Unlike the report, items without a partner are left out, partners are
    their commercial partner and each company is aged on its own.
    """

    _name = "credit.aging"
    _description = "Receivable Aging Snapshot"
    _inherit = ["credit.cron.mixin"]
    _order = "date desc, amount_overdue desc, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True,
        ondelete="cascade", readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, ondelete="cascade",
        readonly=True)
    currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=True)
    date = fields.Date(required=True, index=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", "Salesperson", readonly=True,
        help="The customer's salesperson when the snapshot was taken.")
    credit_grade_id = fields.Many2one(
        "credit.grade", "Credit Grade", readonly=True,
        help="The customer's grade when the snapshot was taken.")
    amount_not_due = fields.Monetary("Not Due", readonly=True)
    amount_1_30 = fields.Monetary("1-30", readonly=True)
    amount_31_60 = fields.Monetary("31-60", readonly=True)
    amount_61_90 = fields.Monetary("61-90", readonly=True)
    amount_91_120 = fields.Monetary("91-120", readonly=True)
    amount_over_120 = fields.Monetary("Older", readonly=True)
    amount_total = fields.Monetary("Total", readonly=True)
    amount_overdue = fields.Monetary(
        "Overdue", readonly=True,
        help="Sum of the past-due buckets (credit notes past due reduce it).")
    max_days_overdue = fields.Integer(
        "Oldest Overdue (days)", readonly=True, group_operator="max",
        help="Days past due of the oldest item still open on the date.")
    avg_days_late = fields.Float(
        "Average Days Late", readonly=True, digits=(16, 1),
        group_operator="avg",
        help="Amount-weighted average of the days past due of the overdue "
             "items open on the date.")
    sales_window = fields.Monetary(
        "Credit Sales (DSO window)", readonly=True,
        help="Posted customer invoices less credit notes dated in the DSO "
             "window of the policy, ending on the date.")
    dso_window_days = fields.Integer("DSO Window (days)", readonly=True)
    dso = fields.Float(
        "DSO (days)", readonly=True, digits=(16, 1), group_operator="avg",
        help="Days sales outstanding: open receivable / credit sales of the "
             "window x days of the window.")
    overdue_ratio = fields.Float(
        "Overdue Ratio (%)", readonly=True, digits=(16, 2),
        group_operator="avg")

    _sql_constraints = [
        ("partner_company_date_uniq", "unique(partner_id, company_id, date)",
         "There is one aging snapshot per customer, company and date."),
    ]

    @api.model_cr
    def init(self):
        # reconciliations dated after the as-of date are undone: find them
        # without reading the whole reconciliation history
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS account_partial_reconcile_max_date_idx
                ON account_partial_reconcile (max_date)
        """)

    # ------------------------------------------------------------------
    # The SQL pass
    # ------------------------------------------------------------------
    @api.model
    def _get_buckets(self):
        return aging_domain.bucket_bounds(period_length=30, periods=4)

    @api.model
    def _get_bucket_sql(self, buckets):
        """``SUM(...) FILTER`` columns, one per bucket, with bound params."""
        columns, params = [], {}
        for index, bucket in enumerate(buckets):
            conds = []
            if bucket.low is not None:
                conds.append("days >= %%(b%d_low)s" % index)
                params["b%d_low" % index] = bucket.low
            if bucket.high is not None:
                conds.append("days <= %%(b%d_high)s" % index)
                params["b%d_high" % index] = bucket.high
            columns.append(
                "COALESCE(SUM(amount) FILTER (WHERE %s), 0) AS amount_%s"
                % (" AND ".join(conds), bucket.key))
        return columns, params

    @api.model
    def _get_aging_query(self, company, date, partner_ids=None):
        """SELECT of one row per commercial partner with the aging columns.

        One pass over the company's posted receivable items; partial
        reconciliations dated after ``date`` are added back.
        """
        policy = company.sudo().credit_policy_id
        window = policy.aging_dso_window_days if policy else 90
        buckets = self._get_buckets()
        bucket_columns, params = self._get_bucket_sql(buckets)
        params.update({
            "company": company.id, "date": date, "window": window,
            "window_start": fields.Date.to_string(
                fields.Date.from_string(date) - timedelta(days=window)),
            "rounding": company.currency_id.rounding / 2.0,
        })
        partner_clause = ""
        if partner_ids is not None:
            partner_clause = "AND p.commercial_partner_id IN %(partners)s"
            params["partners"] = tuple(partner_ids) or (0,)
        bucket_names = ["amount_%s" % bucket.key for bucket in buckets]
        query = """
            WITH late AS (
                SELECT line_id, SUM(amount) AS amount FROM (
                    SELECT pr.debit_move_id AS line_id, pr.amount
                      FROM account_partial_reconcile pr
                     WHERE pr.max_date > %(date)s
                       AND pr.company_id = %(company)s
                    UNION ALL
                    SELECT pr.credit_move_id, -pr.amount
                      FROM account_partial_reconcile pr
                     WHERE pr.max_date > %(date)s
                       AND pr.company_id = %(company)s
                ) AS undone GROUP BY line_id
            ), items AS (
                SELECT p.commercial_partner_id AS partner_id,
                       %(date)s::date - COALESCE(l.date_maturity, l.date)
                           AS days,
                       l.amount_residual + COALESCE(late.amount, 0) AS amount
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                  JOIN res_partner p ON p.id = l.partner_id
                  LEFT JOIN late ON late.line_id = l.id
                 WHERE l.account_id IN (
                           SELECT a.id FROM account_account a
                            WHERE a.company_id = %(company)s
                              AND a.internal_type = 'receivable')
                   AND l.company_id = %(company)s
                   AND m.state = 'posted'
                   AND l.date <= %(date)s
                   AND l.balance <> 0
                   AND (l.reconciled IS NOT TRUE OR late.line_id IS NOT NULL)
                   {partner_clause}
            ), sales AS (
                SELECT p.commercial_partner_id AS partner_id,
                       SUM(l.balance) AS amount
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE l.account_id IN (
                           SELECT a.id FROM account_account a
                            WHERE a.company_id = %(company)s
                              AND a.internal_type = 'receivable')
                   AND l.company_id = %(company)s
                   AND m.state = 'posted'
                   AND l.invoice_id IS NOT NULL
                   AND l.date > %(window_start)s AND l.date <= %(date)s
                   {partner_clause}
                 GROUP BY p.commercial_partner_id
            ), aged AS (
                SELECT partner_id, {bucket_columns},
                       SUM(amount) AS amount_total,
                       COALESCE(SUM(amount) FILTER (WHERE days > 0), 0)
                           AS amount_overdue,
                       COALESCE(MAX(days) FILTER (
                           WHERE days > 0 AND amount > 0), 0)
                           AS max_days_overdue,
                       COALESCE(SUM(amount * days) FILTER (
                           WHERE days > 0 AND amount > 0)
                         / NULLIF(SUM(amount) FILTER (
                           WHERE days > 0 AND amount > 0), 0), 0)
                           AS avg_days_late
                  FROM items
                 GROUP BY partner_id
            )
            SELECT aged.*, COALESCE(sales.amount, 0) AS sales_window,
                   %(window)s AS dso_window_days,
                   CASE WHEN aged.amount_total <= 0 THEN 0
                        WHEN COALESCE(sales.amount, 0) <= 0 THEN %(window)s
                        ELSE ROUND(aged.amount_total / sales.amount
                                   * %(window)s, 2)
                   END AS dso,
                   CASE WHEN aged.amount_total <= 0
                          OR aged.amount_overdue <= 0 THEN 0
                        ELSE ROUND(LEAST(aged.amount_overdue
                                         / aged.amount_total, 1) * 100, 2)
                   END AS overdue_ratio
              FROM aged
              LEFT JOIN sales ON sales.partner_id = aged.partner_id
             WHERE {nonzero}
        """.format(
            partner_clause=partner_clause,
            bucket_columns=", ".join(bucket_columns),
            nonzero=" OR ".join("ABS(aged.%s) >= %%(rounding)s" % name
                                for name in bucket_names))
        return query, params

    @api.model
    def _compute_rows(self, company, date, partner_ids=None):
        """{commercial partner id: dict of aging values} without storing."""
        query, params = self._get_aging_query(company, date, partner_ids)
        self.env.cr.execute(query, params)
        return {row["partner_id"]: row for row in self.env.cr.dictfetchall()}

    @api.model
    def _get_snapshot_columns(self):
        return ["amount_%s" % bucket.key for bucket in self._get_buckets()] + [
            "amount_total", "amount_overdue", "max_days_overdue",
            "avg_days_late", "sales_window", "dso_window_days", "dso",
            "overdue_ratio"]

    @api.model
    def _get_snapshot_query(self, company, date, partner_ids=None):
        """The upsert of ``_write_snapshots``: (sql, params)."""
        query, params = self._get_aging_query(company, date, partner_ids)
        columns = self._get_snapshot_columns()
        params["uid"] = self.env.uid
        scope = ""
        if partner_ids is not None:
            scope = "AND old.partner_id IN %(partners)s"
        sql = """
            WITH rows AS ({query}),
            written AS (
                INSERT INTO credit_aging (
                    create_uid, create_date, write_uid, write_date,
                    partner_id, company_id, date, user_id, credit_grade_id,
                    {columns})
                SELECT %(uid)s, NOW() AT TIME ZONE 'UTC',
                       %(uid)s, NOW() AT TIME ZONE 'UTC',
                       rows.partner_id, %(company)s, %(date)s,
                       p.user_id, cp.credit_grade_id,
                       {row_columns}
                  FROM rows JOIN res_partner p ON p.id = rows.partner_id
                  JOIN credit_partner_profile(%(company)s) cp
                    ON cp.partner_id = p.id
                ON CONFLICT (partner_id, company_id, date) DO UPDATE SET
                    write_uid = EXCLUDED.write_uid,
                    write_date = EXCLUDED.write_date,
                    user_id = EXCLUDED.user_id,
                    credit_grade_id = EXCLUDED.credit_grade_id,
                    {updates}
                RETURNING partner_id
            ), removed AS (
                DELETE FROM credit_aging old
                 WHERE old.company_id = %(company)s AND old.date = %(date)s
                   {scope}
                   AND NOT EXISTS (SELECT 1 FROM written
                                    WHERE written.partner_id = old.partner_id)
            )
            SELECT COUNT(*) FROM written
        """.format(query=query, columns=", ".join(columns),
                   row_columns=", ".join("rows.%s" % c for c in columns),
                   updates=", ".join("%s = EXCLUDED.%s" % (c, c)
                                     for c in columns),
                   scope=scope)
        return sql, params

    @api.model
    def _write_snapshots(self, company, date, partner_ids=None):
        """Store the aging of ``company`` on ``date``: one SQL statement.

        Inserts or updates one row per partner and deletes that date's rows
        of partners (of the scope) with nothing open any more, so a rerun
        replaces the day's snapshots. Returns the number of rows written.
        """
        sql, params = self._get_snapshot_query(company, date, partner_ids)
        self.env.cr.execute(sql, params)
        count = self.env.cr.fetchone()[0]
        self.invalidate_cache()
        return count

    @api.model
    def _thin_snapshots(self, company, today):
        """Delete old snapshots of ``company`` the policy does not keep."""
        policy = company.sudo().credit_policy_id
        if not policy or not policy.aging_thin_snapshots:
            return 0
        self.env.cr.execute(
            "SELECT DISTINCT date FROM credit_aging WHERE company_id = %s",
            (company.id,))
        dates = [fields.Date.from_string(row[0])
                 for row in self.env.cr.fetchall()]
        keep = aging_domain.snapshot_dates_to_keep(
            dates, fields.Date.from_string(today),
            keep_daily_days=policy.aging_keep_daily_days,
            keep_weekly_days=policy.aging_keep_weekly_days)
        drop = tuple(fields.Date.to_string(day)
                     for day in dates if day not in keep)
        if not drop:
            return 0
        self.env.cr.execute(
            "DELETE FROM credit_aging WHERE company_id = %s AND date IN %s",
            (company.id, drop))
        self.invalidate_cache()
        return self.env.cr.rowcount

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------
    @api.model
    def _cron_compute(self, date=None, company_ids=None, commit=True):
        """Daily cron: snapshot the aging of every company, then thin.

        One company is one batch (one SQL statement), committed on its
        own; a company whose batch another worker holds is skipped.
        Returns {company id: rows written}.
        """
        date = date or fields.Date.context_today(self)
        companies = self.env["res.company"].sudo().search(
            [("id", "in", company_ids)] if company_ids else [])
        result = {}
        for company in companies:
            if not self._credit_cron_lock("credit.aging", company.id, date):
                _logger.info("credit.aging: company %s is being aged by "
                             "another worker, skipped", company.id)
                continue
            try:
                with self.env.cr.savepoint():
                    result[company.id] = self.sudo()._write_snapshots(
                        company, date)
                    self.sudo()._thin_snapshots(company, date)
            except Exception:  # pylint: disable=broad-except
                _logger.exception("credit.aging: company %s failed",
                                  company.id)
                continue
            self._credit_cron_commit(commit)
        return result

    @api.model
    def action_compute_today(self):
        """Button: snapshot today's aging of the user's company."""
        if not self.env.user.has_group(
                "credit_management.group_credit_controller"):
            raise UserError(_("Only the credit team may compute the aging."))
        self._cron_compute(company_ids=self.env.user.company_id.ids,
                           commit=False)
        return self.env.ref(
            "credit_management.credit_aging_action").read()[0]
