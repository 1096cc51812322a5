# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The exposure sources of the order check: one aggregate each, for many
commercial partners at once."""
from psycopg2 import sql

from .receivable import contact_ids, receivable_account_ids


def receivable_amounts(cr, partner_ids, company_id, today):
    """{commercial partner: (open receivable, overdue amount, oldest overdue
    due date)} from ``credit_receivable_balance`` (kept by the triggers),
    read through its partner index."""
    cr.execute(sql.SQL("""
        SELECT p.commercial_partner_id,
               SUM(b.amount_residual),
               SUM(CASE WHEN b.date_maturity < %(today)s
                        THEN b.amount_residual ELSE 0 END),
               MIN(CASE WHEN b.date_maturity < %(today)s
                         AND b.positive_count > 0
                        THEN b.date_maturity END)
          FROM credit_receivable_balance b
          JOIN res_partner p ON p.id = b.partner_id
         WHERE b.partner_id = ANY(ARRAY({contacts}))
           AND b.account_id IN ({accounts})
         GROUP BY p.commercial_partner_id
    """).format(accounts=sql.SQL(receivable_account_ids("%(company)s")),
               contacts=sql.SQL(contact_ids("%(partners)s"))), {
        "today": today, "partners": tuple(partner_ids),
        "company": company_id})
    return {row[0]: (row[1] or 0.0, max(row[2] or 0.0, 0.0), row[3])
            for row in cr.fetchall()}


def draft_invoice_amounts(cr, partner_ids, company_id, exclude_invoice_ids=()):
    """{commercial partner: draft customer invoices less draft credit
    notes, company currency}."""
    cr.execute("""
        SELECT inv.commercial_partner_id,
               SUM(inv.amount_total_company_signed)
          FROM account_invoice inv
         WHERE inv.commercial_partner_id IN %(partners)s
           AND inv.company_id = %(company)s
           AND inv.state = 'draft'
           AND inv.type IN ('out_invoice', 'out_refund')
           AND inv.id NOT IN %(exclude)s
         GROUP BY inv.commercial_partner_id
    """, {"partners": tuple(partner_ids), "company": company_id,
          "exclude": tuple(exclude_invoice_ids) or (0,)})
    return dict(cr.fetchall())


def uninvoiced_order_amounts(cr, partner_ids, company_id, exclude_order_ids=()):
    """[(commercial partner, currency, amount)]: the uninvoiced share of
    each confirmed order line (tax included), per pricelist currency."""
    cr.execute("""
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
    """, {"partners": tuple(partner_ids), "company": company_id,
          "exclude": tuple(exclude_order_ids) or (0,)})
    return cr.fetchall()
