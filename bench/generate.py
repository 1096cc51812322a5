"""Bench data generator: customers, posted invoices, partial payments, orders.

    .venv/bin/python bench/generate.py DB --customers 1000 --items 10 \
        --big 10,1000,10000,100000 [--orders 2]

Needs a database with sale_management and account_invoicing (no chart of
accounts needed: the script creates its own accounts and journals through the
ORM, like the tests). The bulk rows are written by SQL ``INSERT ... SELECT``
with the columns and values the ORM would write for a validated customer
invoice (account_invoice + posted account_move with a receivable and an
income line), a partial payment (payment move, partial reconcile, residuals)
and a confirmed sales order (not invoiced). Every customer is named
``Bench Customer <n>``; the ``--big`` customers ``Bench Big <items>`` carry
that many open receivable items each (for the per-customer check cost).
"""
import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def odoo_env(dbname):
    import odoo
    from odoo import api, SUPERUSER_ID
    odoo.tools.config.parse_config(
        ["-d", dbname, "--addons-path", "%s,%s" % (
            ROOT, os.path.dirname(odoo.addons.__file__))])
    registry = odoo.registry(dbname)
    cr = registry.cursor()
    return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})


def ensure_accounting(env):
    """Accounts and journals of the bench (created once)."""
    company = env.ref("base.main_company")
    Account = env["account.account"]
    ref = env.ref

    def account(code, name, xml_type, reconcile=False):
        found = Account.search([("code", "=", code), ("company_id", "=", company.id)])
        return found or Account.create({
            "code": code, "name": name, "reconcile": reconcile,
            "user_type_id": ref(xml_type).id, "company_id": company.id})

    receivable = account("BEN1100", "Bench Receivable",
                         "account.data_account_type_receivable", True)
    income = account("BEN4000", "Bench Sales", "account.data_account_type_revenue")
    bank = account("BEN1010", "Bench Bank", "account.data_account_type_liquidity")
    Journal = env["account.journal"]

    def journal(code, name, jtype, default):
        found = Journal.search([("code", "=", code), ("company_id", "=", company.id)])
        return found or Journal.create({
            "name": name, "code": code, "type": jtype, "company_id": company.id,
            "default_debit_account_id": default.id,
            "default_credit_account_id": default.id})

    sale_journal = journal("BENS", "Bench Sales", "sale", income)
    bank_journal = journal("BENB", "Bench Bank", "bank", bank)
    env["ir.property"].sudo().search([
        ("name", "=", "property_account_receivable_id"), ("res_id", "=", False)
    ]).unlink()
    env["ir.property"].sudo().create({
        "name": "property_account_receivable_id", "company_id": company.id,
        "fields_id": env["ir.model.fields"].search([
            ("model", "=", "res.partner"),
            ("name", "=", "property_account_receivable_id")]).id,
        "value_reference": "account.account,%s" % receivable.id})
    product = env["product.product"].search([("default_code", "=", "BENCH")])
    product = product or env["product.product"].create({
        "name": "Bench Widget", "default_code": "BENCH", "type": "consu",
        "list_price": 100.0, "invoice_policy": "order", "taxes_id": [(6, 0, [])]})
    return {"company": company, "receivable": receivable, "income": income,
            "bank": bank, "sale_journal": sale_journal, "bank_journal": bank_journal,
            "product": product}


def create_customers(env, names, limit=0.0):
    """Customers by SQL (commercial partner = itself), returns ids."""
    cr = env.cr
    cr.execute("""
        INSERT INTO res_partner (name, display_name, active, customer, supplier,
               is_company, employee, type, lang, company_id, color,
               invoice_warn, sale_warn,
               credit_limit, create_uid, write_uid, create_date, write_date)
        SELECT n, n, true, true, false, true, false, 'contact', 'en_US', %s, 0,
               'no-message', 'no-message',
               %s, 1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
          FROM unnest(%s::varchar[]) n
     RETURNING id
    """, (env.ref("base.main_company").id, limit, list(names)))
    ids = [row[0] for row in cr.fetchall()]
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
               (ids,))
    return ids


def create_invoices(env, acc, plan, paid_share=0.2, full_paid_share=0.0, seed=0.42):
    """Posted invoices for ``plan`` = [(partner id, number of items)].

    Each item is an invoice of 100..1000 dated up to 180 days ago, due 30 days
    later. ``paid_share`` of them are half paid (payment move + partial
    reconcile), ``full_paid_share`` fully paid (full reconcile; not open).
    """
    cr = env.cr
    company = acc["company"]
    cr.execute("SELECT setseed(%s)", (seed,))
    cr.execute("DROP TABLE IF EXISTS bench_gen")
    cr.execute("""
        CREATE TEMP TABLE bench_gen AS
        SELECT p.partner_id, g.i,
               round((100 + random() * 900)::numeric, 2) AS amount,
               (current_date - (random() * 180)::int) AS inv_date,
               random() AS r,
               nextval('account_invoice_id_seq') AS inv_id,
               nextval('account_move_id_seq') AS move_id,
               nextval('account_move_line_id_seq') AS rec_line,
               nextval('account_move_line_id_seq') AS inc_line
          FROM unnest(%s::int[], %s::int[]) AS p(partner_id, n),
               generate_series(1, p.n) AS g(i)
    """, ([p for p, _n in plan], [n for _p, n in plan]))
    cr.execute("""
        ALTER TABLE bench_gen ADD COLUMN paid numeric, ADD COLUMN pay_move bigint,
            ADD COLUMN pay_line bigint, ADD COLUMN bank_line bigint,
            ADD COLUMN full_rec bigint;
        UPDATE bench_gen SET paid = CASE
            WHEN r < %(full)s THEN amount
            WHEN r < %(full)s + %(part)s THEN round(amount / 2, 2)
            ELSE 0 END;
        UPDATE bench_gen SET pay_move = nextval('account_move_id_seq'),
            pay_line = nextval('account_move_line_id_seq'),
            bank_line = nextval('account_move_line_id_seq')
         WHERE paid > 0;
        UPDATE bench_gen SET full_rec = nextval('account_full_reconcile_id_seq')
         WHERE paid = amount;
    """, {"full": full_paid_share, "part": paid_share})
    params = {"company": company.id, "currency": company.currency_id.id,
              "journal": acc["sale_journal"].id, "bank_journal": acc["bank_journal"].id,
              "receivable": acc["receivable"].id, "income": acc["income"].id,
              "bank": acc["bank"].id,
              "rec_type": acc["receivable"].user_type_id.id,
              "inc_type": acc["income"].user_type_id.id,
              "bank_type": acc["bank"].user_type_id.id}
    audit = "1, now() at time zone 'UTC', 1, now() at time zone 'UTC'"
    cr.execute("""
        INSERT INTO account_move (id, name, ref, date, journal_id, currency_id, state,
               partner_id, amount, company_id, matched_percentage,
               create_uid, create_date, write_uid, write_date)
        SELECT move_id, 'BINV/' || move_id, NULL, inv_date, %(journal)s, %(currency)s,
               'posted', partner_id, amount, %(company)s, paid / amount, """ + audit + """
          FROM bench_gen;
        INSERT INTO account_full_reconcile (id, name, create_uid, create_date,
               write_uid, write_date)
        SELECT full_rec, 'BA' || full_rec, """ + audit + """
          FROM bench_gen WHERE full_rec IS NOT NULL;
        INSERT INTO account_invoice (id, name, type, number, move_name, reference_type,
               state, sent, date_invoice, date_due, date, partner_id, account_id,
               move_id, amount_untaxed, amount_untaxed_signed, amount_tax,
               amount_total, amount_total_signed, amount_total_company_signed,
               currency_id, journal_id, company_id, reconciled, residual,
               residual_signed, residual_company_signed, user_id,
               commercial_partner_id, create_uid, create_date, write_uid, write_date)
        SELECT inv_id, NULL, 'out_invoice', 'BINV/' || move_id, 'BINV/' || move_id,
               'none', CASE WHEN paid = amount THEN 'paid' ELSE 'open' END, false,
               inv_date, inv_date + 30, inv_date, partner_id, %(receivable)s,
               move_id, amount, amount, 0, amount, amount, amount,
               %(currency)s, %(journal)s, %(company)s, paid = amount, amount - paid,
               amount - paid, amount - paid, 1, partner_id, """ + audit + """
          FROM bench_gen;
        INSERT INTO account_move_line (id, name, quantity, debit, credit, balance,
               debit_cash_basis, credit_cash_basis, balance_cash_basis,
               amount_currency, company_currency_id, amount_residual,
               amount_residual_currency, tax_base_amount, account_id, move_id,
               reconciled, full_reconcile_id, journal_id, blocked, date_maturity,
               date, company_id, invoice_id, partner_id, user_type_id,
               tax_exigible, create_uid, create_date, write_uid, write_date)
        SELECT rec_line, '/', 1, amount, 0, amount, amount, 0, amount, 0,
               %(currency)s, amount - paid, 0, 0, %(receivable)s, move_id,
               paid = amount, full_rec, %(journal)s, false, inv_date + 30,
               inv_date, %(company)s, inv_id, partner_id, %(rec_type)s, true,
               """ + audit + """
          FROM bench_gen
        UNION ALL
        SELECT inc_line, 'Goods', 1, 0, amount, -amount, 0, amount, -amount, 0,
               %(currency)s, 0, 0, 0, %(income)s, move_id, false, NULL,
               %(journal)s, false, inv_date + 30, inv_date, %(company)s, inv_id,
               partner_id, %(inc_type)s, true, """ + audit + """
          FROM bench_gen;
    """, params)
    cr.execute("""
        INSERT INTO account_move (id, name, date, journal_id, currency_id, state,
               partner_id, amount, company_id, matched_percentage,
               create_uid, create_date, write_uid, write_date)
        SELECT pay_move, 'BPAY/' || pay_move, inv_date + 20, %(bank_journal)s,
               %(currency)s, 'posted', partner_id, paid, %(company)s, 1.0,
               """ + audit + """
          FROM bench_gen WHERE paid > 0;
        INSERT INTO account_move_line (id, name, quantity, debit, credit, balance,
               debit_cash_basis, credit_cash_basis, balance_cash_basis,
               amount_currency, company_currency_id, amount_residual,
               amount_residual_currency, tax_base_amount, account_id, move_id,
               reconciled, full_reconcile_id, journal_id, blocked, date_maturity,
               date, company_id, partner_id, user_type_id, tax_exigible,
               create_uid, create_date, write_uid, write_date)
        SELECT pay_line, 'Customer Payment', 1, 0, paid, -paid, 0, paid, -paid, 0,
               %(currency)s, 0, 0, 0, %(receivable)s, pay_move, true, full_rec,
               %(bank_journal)s, false, inv_date + 20, inv_date + 20, %(company)s,
               partner_id, %(rec_type)s, true, """ + audit + """
          FROM bench_gen WHERE paid > 0
        UNION ALL
        SELECT bank_line, 'Customer Payment', 1, paid, 0, paid, paid, 0, paid, 0,
               %(currency)s, 0, 0, 0, %(bank)s, pay_move, false, NULL,
               %(bank_journal)s, false, inv_date + 20, inv_date + 20, %(company)s,
               partner_id, %(bank_type)s, true, """ + audit + """
          FROM bench_gen WHERE paid > 0;
        INSERT INTO account_partial_reconcile (debit_move_id, credit_move_id, amount,
               amount_currency, company_id, full_reconcile_id, max_date,
               create_uid, create_date, write_uid, write_date)
        SELECT rec_line, pay_line, paid, 0, %(company)s, full_rec, inv_date + 20,
               """ + audit + """
          FROM bench_gen WHERE paid > 0;
    """, params)
    cr.execute("SELECT count(*), count(*) FILTER (WHERE paid < amount) FROM bench_gen")
    return cr.fetchone()


def create_orders(env, acc, partner_ids, per_customer=2):
    """Confirmed, not invoiced orders of one line each (100..1000)."""
    cr = env.cr
    if not partner_ids or not per_customer:
        return 0
    company = acc["company"]
    product = acc["product"]
    pricelist = env["product.pricelist"].search([], limit=1)
    audit = "1, now() at time zone 'UTC', 1, now() at time zone 'UTC'"
    cr.execute("DROP TABLE IF EXISTS bench_so")
    cr.execute("""
        CREATE TEMP TABLE bench_so AS
        SELECT p AS partner_id, nextval('sale_order_id_seq') AS id,
               round((100 + random() * 900)::numeric, 2) AS amount
          FROM unnest(%s::int[]) p, generate_series(1, %s)
    """, (list(partner_ids), per_customer))
    cr.execute("""
        INSERT INTO sale_order (id, name, state, date_order, confirmation_date,
               user_id, partner_id, partner_invoice_id, partner_shipping_id,
               pricelist_id, invoice_status, amount_untaxed, amount_tax,
               amount_total, company_id, create_uid, create_date, write_uid, write_date)
        SELECT id, 'BSO/' || id, 'sale', now() at time zone 'UTC',
               now() at time zone 'UTC', 1, partner_id, partner_id, partner_id,
               %(pricelist)s, 'to invoice', amount, 0, amount, %(company)s, """ + audit + """
          FROM bench_so;
        INSERT INTO sale_order_line (order_id, name, sequence, invoice_status,
               price_unit, price_subtotal, price_tax, price_total, price_reduce,
               price_reduce_taxinc, price_reduce_taxexcl, discount, product_id,
               product_uom_qty, product_uom, qty_delivered, qty_to_invoice,
               qty_invoiced, salesman_id, currency_id, company_id,
               order_partner_id, is_downpayment, state, customer_lead,
               amt_to_invoice, amt_invoiced, create_uid, create_date, write_uid,
               write_date)
        SELECT id, 'Bench Widget', 10, 'to invoice', amount, amount, 0, amount,
               amount, amount, amount, 0, %(product)s, 1, %(uom)s, 0, 1, 0, 1,
               %(currency)s, %(company)s, partner_id, false, 'sale', 0, amount, 0,
               """ + audit + """
          FROM bench_so;
    """, {"pricelist": pricelist.id, "company": company.id, "product": product.id,
          "uom": product.uom_id.id, "currency": company.currency_id.id})
    return len(partner_ids) * per_customer


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--items", type=int, default=10,
                        help="invoices per ordinary customer")
    parser.add_argument("--big", default="",
                        help="comma-separated open item counts of big customers")
    parser.add_argument("--orders", type=int, default=2,
                        help="confirmed orders per ordinary customer")
    parser.add_argument("--paid-share", type=float, default=0.2)
    parser.add_argument("--full-paid-share", type=float, default=0.3)
    parser.add_argument("--limit", type=float, default=3000.0,
                        help="credit limit of ordinary customers (big ones: 1e9)")
    parser.add_argument("--batch", type=int, default=2000,
                        help="customers per transaction")
    args = parser.parse_args(argv)
    from odoo import api
    with api.Environment.manage():
        generate(args)
    import psycopg2
    conn = psycopg2.connect(dbname=args.db)
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute("VACUUM ANALYZE")
    conn.close()
    return 0


def generate(args):
    env = odoo_env(args.db)
    started = time.time()
    try:
        acc = ensure_accounting(env)
        env.cr.commit()
        cr = env.cr
        cr.execute("SELECT count(*) FROM res_partner "
                   "WHERE name LIKE 'Bench Customer %%'")
        offset = cr.fetchone()[0]
        total_items = open_items = 0
        for start in range(0, args.customers, args.batch):
            count = min(args.batch, args.customers - start)
            ids = create_customers(env, ["Bench Customer %d" % (offset + start + i + 1)
                                         for i in range(count)], args.limit)
            items, opened = create_invoices(
                env, acc, [(pid, args.items) for pid in ids],
                paid_share=args.paid_share, full_paid_share=args.full_paid_share)
            create_orders(env, acc, ids, args.orders)
            env.cr.commit()
            total_items += items
            open_items += opened
            print("customers %d/%d, receivable items %d (%d open), %.0fs" % (
                start + count, args.customers, total_items, open_items,
                time.time() - started), flush=True)
        for size in [int(n) for n in args.big.split(",") if n.strip()]:
            ids = create_customers(env, ["Bench Big %d" % size], 1e9)
            create_invoices(env, acc, [(ids[0], size)], paid_share=args.paid_share,
                            full_paid_share=0.0)
            create_orders(env, acc, ids, 2)
            env.cr.commit()
            print("big customer with %d open items, %.0fs" % (
                size, time.time() - started), flush=True)
        env.cr.commit()
    finally:
        env.cr.close()
    print("done in %.0fs" % (time.time() - started))


if __name__ == "__main__":
    sys.exit(main())
