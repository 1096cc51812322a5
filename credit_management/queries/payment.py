# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Payment behaviour and credit sales of customers, from the posted
receivable items."""
from psycopg2 import sql

from .receivable import posted_receivable_items


def payment_behaviour(cr, partner_ids, company_id, rounding, as_of=None):
    """(paid, first) for the commercial partners ``partner_ids``.

    ``paid``: {partner: (invoices paid, paid on time, average days late,
    amount-weighted days late, most days late)}; an invoice counts as paid
    when its receivable items are fully reconciled, on the date of the last
    reconciling item. ``first``: {partner: date of the first invoice}.
    ``as_of``: the ledger as it stood on that date (items dated by then,
    paid when the reconciliations dated by then cover them, within half of
    ``rounding``).
    """
    params = {"partners": tuple(partner_ids), "company": company_id,
              "date": as_of, "rounding": rounding / 2.0}
    if as_of:
        scope = {"partial": "AND apr.max_date <= %(date)s",
                 "item": "AND aml.date <= %(date)s",
                 "paid": "HAVING SUM(apr.amount) >= aml.debit - %(rounding)s"}
    else:
        scope = {"partial": "", "item": "AND aml.reconciled", "paid": ""}
    items = sql.SQL(posted_receivable_items("aml", "acc", "move"))
    cr.execute(sql.SQL("""
        WITH items AS (
            SELECT p.commercial_partner_id AS partner_id, aml.move_id,
                   aml.debit AS amount,
                   GREATEST(MAX(pay.date)
                            - COALESCE(aml.date_maturity, aml.date), 0)
                       AS days_late
              FROM {items}
              JOIN res_partner p ON p.id = aml.partner_id
              JOIN account_partial_reconcile apr
                   ON apr.debit_move_id = aml.id {partial}
              JOIN account_move_line pay ON pay.id = apr.credit_move_id
             WHERE p.commercial_partner_id IN %(partners)s
               AND aml.company_id = %(company)s
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
    """).format(
        items=items, partial=sql.SQL(scope["partial"]),
        item=sql.SQL(scope["item"]), paid=sql.SQL(scope["paid"])), params)
    paid = {row[0]: row[1:] for row in cr.fetchall()}
    cr.execute(sql.SQL("""
        SELECT p.commercial_partner_id, MIN(aml.date)
          FROM {items}
          JOIN res_partner p ON p.id = aml.partner_id
         WHERE p.commercial_partner_id IN %(partners)s
           AND aml.company_id = %(company)s
           AND aml.debit > 0
           {item}
         GROUP BY p.commercial_partner_id
    """).format(items=items,
                item=sql.SQL(scope["item"] if as_of else "")), params)
    return paid, dict(cr.fetchall())


def credit_sales(cr, partner_ids, company_id, since):
    """{commercial partner: invoiced receivable balance dated after
    ``since``} (the credit sales of the period)."""
    cr.execute(sql.SQL("""
        SELECT p.commercial_partner_id, SUM(l.balance)
          FROM {items}
          JOIN res_partner p ON p.id = l.partner_id
         WHERE p.commercial_partner_id IN %s AND l.company_id = %s
           AND l.invoice_id IS NOT NULL AND l.date > %s
         GROUP BY p.commercial_partner_id
    """).format(items=sql.SQL(posted_receivable_items())), (
        tuple(partner_ids), company_id, since))
    return dict(cr.fetchall())


def customers_with_debit(cr, company_id, as_of):
    """Commercial partners with a posted receivable debit by ``as_of``."""
    cr.execute(sql.SQL("""
        SELECT DISTINCT p.commercial_partner_id
          FROM {items}
          JOIN res_partner p ON p.id = l.partner_id
         WHERE l.company_id = %(company)s
           AND l.debit > 0
           AND l.date <= %(date)s
    """).format(items=sql.SQL(posted_receivable_items())), {
        "company": company_id, "date": as_of})
    return [row[0] for row in cr.fetchall()]
