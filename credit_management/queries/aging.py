# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The receivable aging in one SQL pass: one row per commercial partner
with the bucket amounts, the overdue figures, DSO and overdue ratio; and the
upsert that stores the rows as aging snapshots."""
from .receivable import contact_ids, is_open, posted_receivable_items


def bucket_columns(buckets):
    """``SUM(...) FILTER`` columns, one per bucket (``low``/``high`` days,
    ``key``), with their bound params."""
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


def aging_query(columns, params, buckets, partner_ids=None):
    """(SELECT, params) of the aging rows: ``columns`` and ``params`` from
    ``bucket_columns``, plus company, date, window (days), window_start and
    rounding in ``params``. One pass over the company's posted receivable
    items; partial reconciliations dated after ``date`` are added back."""
    partner_clause = ""
    if partner_ids is not None:
        partner_clause = "AND l.partner_id = ANY(ARRAY(%s))" % contact_ids(
            "%(partners)s")
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
              FROM {items}
              JOIN res_partner p ON p.id = l.partner_id
              LEFT JOIN late ON late.line_id = l.id
             WHERE l.company_id = %(company)s
               AND l.date <= %(date)s
               AND l.balance <> 0
               AND ({open} OR late.line_id IS NOT NULL)
               {partner_clause}
        ), sales AS (
            SELECT p.commercial_partner_id AS partner_id,
                   SUM(l.balance) AS amount
              FROM {items}
              JOIN res_partner p ON p.id = l.partner_id
             WHERE l.company_id = %(company)s
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
        items=posted_receivable_items(),
        open=is_open("l"),
        partner_clause=partner_clause,
        bucket_columns=", ".join(columns),
        nonzero=" OR ".join("ABS(aged.%s) >= %%(rounding)s" % name
                            for name in bucket_names))
    return query, params


def snapshot_upsert(query, params, columns, partner_ids=None):
    """(SQL, params) storing the rows of ``query`` as the snapshots of the
    company and date (``params``: company, date, uid), deleting the
    snapshots of that day no longer in the rows."""
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
