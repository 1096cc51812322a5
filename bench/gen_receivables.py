"""Generate open receivable items for the aging benchmark, SQL-fast.

Usage (from the repository root, database with credit_management installed):

    .venv/bin/python bench/gen_receivables.py DB --customers 20000 --items 1000000

Creates a new company with its own receivable, income and bank accounts and
journals (through the ORM), then with a handful of INSERT ... SELECT
statements: ``customers`` commercial partners, one posted invoice-like move
per customer holding ``items / customers`` receivable items (due dates
spread over 400 days past to 60 days ahead, amounts 10-5000, every 50th
item a credit note), one income line per move, and for every 20th item a
partial payment (payment line + account_partial_reconcile, residuals kept
consistent). Prints the company id. Deterministic (setseed).
"""
import argparse
import os
import time

import odoo
import odoo.addons
from odoo import SUPERUSER_ID, api, fields


def _setup_company(env, label):
    company = env["res.company"].create({
        "name": "Bench %s" % label,
        "currency_id": env.ref("base.main_company").currency_id.id})
    env.user.company_ids |= company
    account_type = env.ref
    accounts = {}
    for key, code, xml_id, reconcile in (
            ("receivable", "B1100", "account.data_account_type_receivable", True),
            ("income", "B4000", "account.data_account_type_revenue", False),
            ("bank", "B1010", "account.data_account_type_liquidity", False)):
        accounts[key] = env["account.account"].create({
            "code": code, "name": "Bench %s" % key, "reconcile": reconcile,
            "user_type_id": account_type(xml_id).id, "company_id": company.id})
    journal = env["account.journal"].create({
        "name": "Bench Sales", "code": "BSAL", "type": "sale",
        "company_id": company.id,
        "default_debit_account_id": accounts["income"].id,
        "default_credit_account_id": accounts["income"].id})
    bank = env["account.journal"].create({
        "name": "Bench Bank", "code": "BBNK", "type": "bank",
        "company_id": company.id,
        "default_debit_account_id": accounts["bank"].id,
        "default_credit_account_id": accounts["bank"].id})
    # one real (draft) invoice: generated items point to it so that the
    # credit-sales part of the aging pass has work to do
    partner = env["res.partner"].with_context(force_company=company.id).create({
        "name": "Bench invoice anchor", "company_id": company.id,
        "property_account_receivable_id": accounts["receivable"].id})
    invoice = env["account.invoice"].with_context(
        force_company=company.id).create({
            "partner_id": partner.id, "company_id": company.id,
            "account_id": accounts["receivable"].id, "journal_id": journal.id,
            "invoice_line_ids": [(0, 0, {
                "name": "anchor", "quantity": 1, "price_unit": 1.0,
                "account_id": accounts["income"].id})]})
    return company, accounts, journal, bank, invoice


def generate(env, customers, items, label):
    cr = env.cr
    started = time.time()
    company, accounts, journal, bank, invoice = _setup_company(env, label)
    per_customer = max(items // customers, 1)
    today = fields.Date.context_today(env.user)
    params = {
        "company": company.id, "customers": customers, "per": per_customer,
        "today": today, "prefix": "BENCH%s-" % label,
        "receivable": accounts["receivable"].id,
        "rec_type": accounts["receivable"].user_type_id.id,
        "income": accounts["income"].id,
        "inc_type": accounts["income"].user_type_id.id,
        "bank": accounts["bank"].id,
        "bank_type": accounts["bank"].user_type_id.id,
        "journal": journal.id, "bank_journal": bank.id,
        "currency": company.currency_id.id, "invoice": invoice.id,
        "uid": SUPERUSER_ID,
    }
    cr.execute("SELECT setseed(0.42)")
    cr.execute("""
        INSERT INTO res_partner (name, display_name, company_id, active,
            customer, supplier, is_company, type, lang, invoice_warn,
            sale_warn, employee, create_uid, write_uid, create_date,
            write_date)
        SELECT %(prefix)s || g, %(prefix)s || g, NULL, TRUE, TRUE, FALSE,
               TRUE, 'contact', 'en_US', 'no-message', 'no-message', FALSE,
               %(uid)s, %(uid)s, NOW(), NOW()
          FROM generate_series(1, %(customers)s) g
    """, params)
    cr.execute("""
        UPDATE res_partner SET commercial_partner_id = id
         WHERE name LIKE %(prefix)s || '%%' AND commercial_partner_id IS NULL
    """, params)
    # one move per customer, dated 0..399 days ago
    cr.execute("""
        INSERT INTO account_move (name, ref, date, journal_id, state,
            company_id, partner_id, amount, matched_percentage,
            create_uid, write_uid, create_date, write_date)
        SELECT 'INV/' || p.name, p.name,
               %(today)s::date - (p.id %% 400), %(journal)s, 'posted',
               %(company)s, p.id, 0, 0, %(uid)s, %(uid)s, NOW(), NOW()
          FROM res_partner p WHERE p.name LIKE %(prefix)s || '%%'
    """, params)
    # receivable items: per customer, due from the move date 0..90 days on
    cr.execute("""
        INSERT INTO account_move_line (name, move_id, account_id, partner_id,
            company_id, journal_id, date, date_maturity, debit, credit,
            balance, amount_residual, amount_residual_currency,
            amount_currency, reconciled, user_type_id, company_currency_id,
            invoice_id, blocked, debit_cash_basis, credit_cash_basis,
            balance_cash_basis, tax_exigible,
            create_uid, write_uid, create_date, write_date)
        SELECT m.name || '/' || s, m.id, %(receivable)s, m.partner_id,
               %(company)s, %(journal)s, m.date,
               LEAST(m.date + (random() * 90)::int, %(today)s::date + 60),
               CASE WHEN s %% 50 = 0 THEN 0 ELSE amt END,
               CASE WHEN s %% 50 = 0 THEN amt ELSE 0 END,
               CASE WHEN s %% 50 = 0 THEN -amt ELSE amt END,
               CASE WHEN s %% 50 = 0 THEN -amt ELSE amt END,
               0, 0, FALSE, %(rec_type)s, %(currency)s, %(invoice)s, FALSE,
               0, 0, 0, TRUE, %(uid)s, %(uid)s, NOW(), NOW()
          FROM account_move m
         CROSS JOIN generate_series(1, %(per)s) s
         CROSS JOIN LATERAL (SELECT round((10 + random() * 4990)::numeric, 2)
                             + 0 * s AS amt) a
         WHERE m.company_id = %(company)s AND m.journal_id = %(journal)s
    """, params)
    # balancing income line per move
    cr.execute("""
        INSERT INTO account_move_line (name, move_id, account_id, partner_id,
            company_id, journal_id, date, date_maturity, debit, credit,
            balance, amount_residual, amount_residual_currency,
            amount_currency, reconciled, user_type_id, company_currency_id,
            blocked, debit_cash_basis, credit_cash_basis, balance_cash_basis,
            tax_exigible, create_uid, write_uid, create_date, write_date)
        SELECT 'Sales', l.move_id, %(income)s, l.partner_id, %(company)s,
               %(journal)s, l.date, l.date,
               GREATEST(-SUM(l.balance), 0), GREATEST(SUM(l.balance), 0),
               -SUM(l.balance), 0, 0, 0, FALSE, %(inc_type)s, %(currency)s,
               FALSE, 0, 0, 0, TRUE, %(uid)s, %(uid)s, NOW(), NOW()
          FROM account_move_line l
         WHERE l.company_id = %(company)s AND l.account_id = %(receivable)s
         GROUP BY l.move_id, l.partner_id, l.date
    """, params)
    # partial payments on every 20th item: one payment move per customer
    cr.execute("""
        INSERT INTO account_move (name, ref, date, journal_id, state,
            company_id, partner_id, amount, matched_percentage,
            create_uid, write_uid, create_date, write_date)
        SELECT 'PAY/' || p.name, p.name,
               LEAST(%(today)s::date - (p.id %% 400) + 20, %(today)s::date),
               %(bank_journal)s, 'posted', %(company)s, p.id, 0, 0,
               %(uid)s, %(uid)s, NOW(), NOW()
          FROM res_partner p WHERE p.name LIKE %(prefix)s || '%%'
    """, params)
    cr.execute("""
        CREATE TEMP TABLE bench_pay ON COMMIT DROP AS
        SELECT l.id AS item_id, pm.id AS move_id, l.partner_id, pm.date,
               round(l.debit * 0.3, 2) AS amount
          FROM account_move_line l
          JOIN account_move pm ON pm.partner_id = l.partner_id
                              AND pm.journal_id = %(bank_journal)s
         WHERE l.company_id = %(company)s AND l.account_id = %(receivable)s
           AND l.debit > 0 AND l.id %% 20 = 1
    """, params)
    cr.execute("""
        ALTER TABLE bench_pay ADD COLUMN line_id INTEGER;
        UPDATE bench_pay SET line_id = nextval('account_move_line_id_seq');
        INSERT INTO account_move_line (id, name, move_id, account_id,
            partner_id, company_id, journal_id, date, date_maturity, debit,
            credit, balance, amount_residual, amount_residual_currency,
            amount_currency, reconciled, user_type_id, company_currency_id,
            blocked, debit_cash_basis, credit_cash_basis, balance_cash_basis,
            tax_exigible, create_uid, write_uid, create_date, write_date)
        SELECT line_id, 'Payment', move_id, %(receivable)s, partner_id,
               %(company)s, %(bank_journal)s, date, date, 0, amount, -amount,
               0, 0, 0, TRUE, %(rec_type)s, %(currency)s, FALSE, 0, 0, 0,
               TRUE, %(uid)s, %(uid)s, NOW(), NOW()
          FROM bench_pay;
        INSERT INTO account_partial_reconcile (debit_move_id, credit_move_id,
            amount, amount_currency, company_id, max_date,
            create_uid, write_uid, create_date, write_date)
        SELECT p.item_id, p.line_id, p.amount, 0, %(company)s,
               GREATEST(l.date, p.date), %(uid)s, %(uid)s, NOW(), NOW()
          FROM bench_pay p JOIN account_move_line l ON l.id = p.item_id;
        UPDATE account_move_line l SET amount_residual = l.balance - p.amount
          FROM bench_pay p WHERE l.id = p.item_id;
        INSERT INTO account_move_line (name, move_id, account_id, partner_id,
            company_id, journal_id, date, date_maturity, debit, credit,
            balance, amount_residual, amount_residual_currency,
            amount_currency, reconciled, user_type_id, company_currency_id,
            blocked, debit_cash_basis, credit_cash_basis, balance_cash_basis,
            tax_exigible, create_uid, write_uid, create_date, write_date)
        SELECT 'Bank', move_id, %(bank)s, partner_id, %(company)s,
               %(bank_journal)s, date, date, SUM(amount), 0, SUM(amount), 0,
               0, 0, FALSE, %(bank_type)s, %(currency)s, FALSE, 0, 0, 0,
               TRUE, %(uid)s, %(uid)s, NOW(), NOW()
          FROM bench_pay GROUP BY move_id, partner_id, date;
    """, params)
    cr.execute("""
        SELECT COUNT(*) FILTER (WHERE amount_residual <> 0),
               COUNT(DISTINCT partner_id)
          FROM account_move_line
         WHERE company_id = %(company)s AND account_id = %(receivable)s
    """, params)
    open_items, partners = cr.fetchone()
    cr.execute("ANALYZE account_move_line")
    cr.execute("ANALYZE account_partial_reconcile")
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE account_move")
    print("company %d: %d open receivable items over %d customers "
          "generated in %.1f s" % (company.id, open_items, partners,
                                   time.time() - started))
    return company


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument("--items", type=int, default=1000000)
    parser.add_argument("--label", default=None)
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    odoo.tools.config.parse_config([
        "-d", args.db, "--log-level=warn", "--addons-path=%s,%s" % (
            root, os.path.dirname(odoo.addons.__file__))])
    registry = odoo.registry(args.db)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        generate(env, args.customers, args.items,
                 args.label or "%dx%d" % (args.customers, args.items))
        cr.commit()


if __name__ == "__main__":
    main()
