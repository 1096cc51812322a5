# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..domain import aging as aging_domain
from ..queries import aging as aging_queries
from ..queries import ddl

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
        ddl.install_aging_indexes(self.env.cr)

    # ------------------------------------------------------------------
    # The SQL pass
    # ------------------------------------------------------------------
    @api.model
    def _get_buckets(self):
        return aging_domain.bucket_bounds(period_length=30, periods=4)

    @api.model
    def _get_bucket_sql(self, buckets):
        """``SUM(...) FILTER`` columns, one per bucket, with bound params."""
        return aging_queries.bucket_columns(buckets)

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
        return aging_queries.aging_query(
            bucket_columns, params, buckets,
            partner_ids=partner_ids)

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
        return aging_queries.snapshot_upsert(query, params, columns,
                                             partner_ids=partner_ids)

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

            def run(_batch, company=company):
                try:
                    with self.env.cr.savepoint():
                        result[company.id] = self.sudo()._write_snapshots(
                            company, date)
                        self.sudo()._thin_snapshots(company, date)
                except Exception:  # pylint: disable=broad-except
                    _logger.exception("credit.aging: company %s failed",
                                      company.id)

            if self._credit_cron_run_batches("credit.aging", company, date,
                                             [None], run, commit):
                _logger.info("credit.aging: company %s is being aged by "
                             "another worker, skipped", company.id)
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
