# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer filters as SQL subqueries (query, params) selecting
commercial partner ids. They restate the decision's limit and overdue rules
for speed; tests/test_rule_parity.py holds them to the rules."""
from .receivable import receivable_account_join


def over_limit(company_id, tolerance, drafts, orders, factors, epsilon,
               secured=None):
    """Customers whose receivable totals, draft invoices (``drafts``) and
    uninvoiced orders (``orders``, converted by ``factors``: ((currency id,
    factor),)) exceed the limit of their credit profile x (1 + tolerance)
    plus their ``secured`` credit ({commercial partner: amount}) by more
    than ``epsilon``, where a limit or the grade allows credit."""
    secured = sorted((secured or {}).items())
    query = """
        SELECT p.commercial_partner_id
          FROM (
            SELECT t.partner_id, t.amount_residual AS amount
              FROM credit_receivable_total t
              {receivable} AND acc.company_id = %s
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
          LEFT JOIN ({secured}) AS sec (partner_id, amount)
            ON sec.partner_id = p.commercial_partner_id
         WHERE cp.credit_limit > %s OR g.allow_credit
         GROUP BY p.commercial_partner_id, cp.credit_limit, sec.amount
        HAVING SUM(a.amount) - cp.credit_limit * (1 + %s / 100.0)
               - COALESCE(sec.amount, 0) > %s
    """.format(values=", ".join(["(%s, %s::float)"] * len(factors)),
               receivable=receivable_account_join("t", "acc"),
               secured="VALUES " + ", ".join(["(%s, %s::float)"] * len(secured))
               if secured else "SELECT 0, 0.0::float WHERE false")
    params = [company_id, drafts, company_id]
    for currency_id, factor in factors:
        params += [currency_id, factor]
    params += [orders, company_id, company_id]
    for partner_id, amount in secured:
        params += [partner_id, amount]
    params += [epsilon, tolerance, epsilon]
    return query, params


def overdue(company_id, today, grace_days, epsilon):
    """Customers whose overdue amount (the total less the buckets not due
    yet) is above ``epsilon`` and whose oldest open due date is more than
    ``grace_days`` before ``today``."""
    query = """
        SELECT p.commercial_partner_id
          FROM credit_receivable_total t
          {receivable} AND acc.company_id = %s
          JOIN res_partner p ON p.id = t.partner_id
          LEFT JOIN (
              SELECT b.partner_id, b.account_id,
                     SUM(b.amount_residual) AS amount
                FROM credit_receivable_balance b
               WHERE b.date_maturity >= %s
               GROUP BY b.partner_id, b.account_id
          ) not_due ON not_due.partner_id = t.partner_id
                   AND not_due.account_id = t.account_id
         GROUP BY p.commercial_partner_id
        HAVING SUM(t.amount_residual - COALESCE(not_due.amount, 0)) > %s
           AND MIN(t.oldest_open_due) < %s::date - %s
    """.format(receivable=receivable_account_join("t", "acc"))
    return query, [company_id, today, epsilon, today, grace_days]
