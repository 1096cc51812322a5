# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import sql

from odoo import api, fields, models, tools

from ..queries import receivable


class CreditKpiReport(models.Model):
    """Portfolio KPIs of a company at each aging snapshot date.

    DSO, overdue ratio, bad-debt ratio and collection effectiveness over
    time, from the ``credit.aging`` snapshots, the posted invoices and the
    bad-debt write-offs. Stocks and ratios average when several dates are
    grouped (a month shows the month's average); flows add up.
    """

    _name = "credit.kpi.report"
    _description = "Credit KPIs over Time"
    _auto = False
    _order = "date desc"
    _rec_name = "date"

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    customer_count = fields.Integer(
        "Customers with Receivables", readonly=True, group_operator="avg")
    receivable = fields.Float(
        "Open Receivable", readonly=True, group_operator="avg")
    overdue = fields.Float(
        "Overdue Amount", readonly=True, group_operator="avg")
    current_amount = fields.Float(
        "Not Due", readonly=True, group_operator="avg")
    window_days = fields.Integer(
        "DSO Window (days)", readonly=True, group_operator="max")
    sales_window = fields.Float(
        "Sales in Window", readonly=True, group_operator="avg",
        help="Credit sales (posted invoices less credit notes) of the DSO "
             "window before the date.")
    bad_debt_window = fields.Float(
        "Bad Debt in Window", readonly=True, group_operator="avg")
    period_sales = fields.Float(
        "Sales since Previous Date", readonly=True)
    period_bad_debt = fields.Float(
        "Written Off since Previous Date", readonly=True)
    dso = fields.Float("DSO (days)", readonly=True, group_operator="avg")
    overdue_ratio = fields.Float(
        "Overdue Ratio (%)", readonly=True, group_operator="avg")
    bad_debt_ratio = fields.Float(
        "Bad-Debt Ratio (%)", readonly=True, group_operator="avg",
        help="Written-off amount of the DSO window as a share of its sales.")
    collection_effectiveness = fields.Float(
        "Collection Effectiveness (%)", readonly=True, group_operator="avg",
        help="Share of what could be collected since the previous date that "
             "was collected: (receivable before + sales - receivable now - "
             "write-offs) / (receivable before + sales - not due now).")

    @api.model
    def _sales_sql(self, start, end):
        """Credit sales of a company between two date expressions."""
        return """
            SELECT COALESCE(SUM(l.balance), 0)
              FROM {items}
             WHERE l.company_id = q.company_id
               AND l.invoice_id IS NOT NULL
               AND l.date > {start} AND l.date <= {end}
        """.format(start=start, end=end,
                   items=receivable.posted_receivable_items())

    @api.model
    def _bad_debt_sql(self, start, end):
        return """
            SELECT COALESCE(SUM(b.amount), 0)
              FROM credit_bad_debt b
             WHERE b.company_id = q.company_id
               AND b.date > {start} AND b.date <= {end}
        """.format(start=start, end=end)

    @api.model
    def _query(self):
        window_start = "q.date - q.window_days"
        return """
            WITH snap AS (
                SELECT MIN(a.id) AS id, a.company_id, a.date,
                       COUNT(*) AS customer_count,
                       SUM(a.amount_total) AS receivable,
                       SUM(a.amount_overdue) AS overdue,
                       SUM(a.amount_not_due) AS current_amount,
                       COALESCE(MAX(a.dso_window_days), 90) AS window_days
                  FROM credit_aging a
                 GROUP BY a.company_id, a.date
            ), seq AS (
                SELECT s.*,
                       LAG(s.date) OVER w AS prev_date,
                       LAG(s.receivable) OVER w AS prev_receivable
                  FROM snap s
                WINDOW w AS (PARTITION BY s.company_id ORDER BY s.date)
            ), figures AS (
                SELECT q.*,
                       ({sales_window}) AS sales_window,
                       ({bad_debt_window}) AS bad_debt_window,
                       CASE WHEN q.prev_date IS NOT NULL
                            THEN ({period_sales}) END AS period_sales,
                       CASE WHEN q.prev_date IS NOT NULL
                            THEN ({period_bad_debt}) END AS period_bad_debt
                  FROM seq q
            )
            SELECT f.id, f.company_id, f.date, f.customer_count, f.receivable,
                   f.overdue, f.current_amount, f.window_days, f.sales_window,
                   f.bad_debt_window, f.period_sales, f.period_bad_debt,
                   CASE WHEN f.receivable <= 0 THEN 0
                        WHEN f.sales_window <= 0 THEN f.window_days
                        ELSE ROUND((f.receivable / f.sales_window
                                    * f.window_days)::numeric, 2)
                   END AS dso,
                   CASE WHEN f.receivable <= 0 OR f.overdue <= 0 THEN 0
                        ELSE ROUND((LEAST(f.overdue / f.receivable, 1)
                                    * 100)::numeric, 2)
                   END AS overdue_ratio,
                   CASE WHEN f.sales_window <= 0 THEN 0
                        ELSE ROUND((f.bad_debt_window / f.sales_window
                                    * 100)::numeric, 2)
                   END AS bad_debt_ratio,
                   CASE WHEN f.prev_date IS NULL
                          OR f.prev_receivable + f.period_sales
                             - f.current_amount <= 0 THEN NULL
                        ELSE ROUND(((f.prev_receivable + f.period_sales
                                     - f.receivable - f.period_bad_debt)
                                    / (f.prev_receivable + f.period_sales
                                       - f.current_amount) * 100)::numeric, 2)
                   END AS collection_effectiveness
              FROM figures f
        """.format(
            sales_window=self._sales_sql(window_start, "q.date"),
            bad_debt_window=self._bad_debt_sql(window_start, "q.date"),
            period_sales=self._sales_sql("q.prev_date", "q.date"),
            period_bad_debt=self._bad_debt_sql("q.prev_date", "q.date"))

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(sql.SQL("CREATE VIEW {} AS ({})").format(
            sql.Identifier(self._table), sql.SQL(self._query())))
