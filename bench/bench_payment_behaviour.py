"""Payment behaviour at scale: the portfolio, and one customer with many
settled items.

    .venv/bin/python bench/bench_payment_behaviour.py DB COMPANY_ID
        [--settled 100000] [--runs 3]

DB: a database made by bench/gen_receivables.py (its company's customers,
items and partial payments). Measures ``res.partner._credit_payment_behaviour``
(one SQL pass over the paid receivable items, used by the dossier's
indicators, the scorecard and its back-test), today's ledger and as of 90
days ago (the back-test's scope):

* ``portfolio``: every customer of the company at once;
* ``settled``: one new customer with ``--settled`` receivable items, each
  fully paid by its own payment item (one partial reconciliation each, paid
  0-60 days after the due date; one invoice each), written by SQL inside a
  transaction that is rolled back at the end (the database is left as it
  was).

Prints one JSON line per case: customers, paid items found, median ms of
``--runs`` runs (ORM cache cleared before each), queries.
"""
import argparse
import json
import os
import statistics
import time
from datetime import timedelta

import odoo
import odoo.addons
from odoo import SUPERUSER_ID, api, fields


def _timed(env, partners, company, as_of, runs):
    times, queries, result = [], 0, {}
    for _run in range(runs):
        env.cache.invalidate()
        before = env.cr.sql_log_count
        started = time.perf_counter()
        result = partners._credit_payment_behaviour(company, as_of=as_of)
        times.append((time.perf_counter() - started) * 1000)
        queries = env.cr.sql_log_count - before
    return statistics.median(times), queries, result


def _settled_customer(env, company, count):
    """A customer with ``count`` settled receivable items (SQL, in the
    current transaction)."""
    cr = env.cr
    cr.execute("""
        SELECT l.account_id, l.journal_id, l.user_type_id,
               l.company_currency_id
          FROM account_move_line l
          JOIN account_account a ON a.id = l.account_id
         WHERE a.internal_type = 'receivable' AND l.company_id = %s
           AND l.debit > 0
         LIMIT 1""", (company.id,))
    account, journal, user_type, currency = cr.fetchone()
    today = fields.Date.from_string(fields.Date.context_today(env.user))
    params = {"company": company.id, "account": account, "journal": journal,
              "type": user_type, "currency": currency, "count": count,
              "start": fields.Date.to_string(today - timedelta(days=700)),
              "uid": SUPERUSER_ID}
    cr.execute("""
        INSERT INTO res_partner (name, display_name, active, customer,
            supplier, is_company, type, lang, invoice_warn, sale_warn,
            employee, create_uid, write_uid, create_date, write_date)
        VALUES ('Bench Settled', 'Bench Settled', TRUE, TRUE, FALSE, TRUE,
                'contact', 'en_US', 'no-message', 'no-message', FALSE,
                %(uid)s, %(uid)s, NOW(), NOW())
        RETURNING id""", params)
    params["partner"] = partner_id = cr.fetchone()[0]
    cr.execute("UPDATE res_partner SET commercial_partner_id = id "
               "WHERE id = %(partner)s", params)
    cr.execute("""
        INSERT INTO account_move (name, ref, date, journal_id, state,
            company_id, partner_id, amount, matched_percentage,
            create_uid, write_uid, create_date, write_date)
        VALUES ('SETTLED/PAY', 'settled', %(start)s, %(journal)s, 'posted',
                %(company)s, %(partner)s, 0, 1, %(uid)s, %(uid)s, NOW(),
                NOW())
        RETURNING id""", params)
    params["pay"] = cr.fetchone()[0]
    # invoice g (one item): dated start + g % 600, due 30 days later, paid
    # g % 61 days after the due date by payment item g (same amount)
    cr.execute("""
        CREATE TEMP TABLE bench_settled ON COMMIT DROP AS
        SELECT g, nextval('account_move_id_seq') AS move_id,
               nextval('account_move_line_id_seq') AS item_id,
               nextval('account_move_line_id_seq') AS pay_id,
               %(start)s::date + g %% 600 AS date,
               %(start)s::date + g %% 600 + 30 AS due,
               %(start)s::date + g %% 600 + 30 + g %% 61 AS paid,
               (10 + g %% 990)::numeric AS amount
          FROM generate_series(1, %(count)s) g""", params)
    cr.execute("""
        INSERT INTO account_move (id, name, ref, date, journal_id, state,
            company_id, partner_id, amount, matched_percentage,
            create_uid, write_uid, create_date, write_date)
        SELECT move_id, 'SETTLED/' || g, 'settled', date, %(journal)s,
               'posted', %(company)s, %(partner)s, amount, 1, %(uid)s,
               %(uid)s, NOW(), NOW()
          FROM bench_settled""", params)
    cr.execute("""
        INSERT INTO account_move_line (id, name, move_id, account_id,
            partner_id, company_id, journal_id, date, date_maturity, debit,
            credit, balance, amount_residual, amount_residual_currency,
            amount_currency, reconciled, user_type_id, company_currency_id,
            blocked, debit_cash_basis, credit_cash_basis, balance_cash_basis,
            tax_exigible, create_uid, write_uid, create_date, write_date)
        SELECT item_id, 'Settled ' || g, move_id, %(account)s, %(partner)s,
               %(company)s, %(journal)s, date, due, amount, 0, amount, 0, 0,
               0, TRUE, %(type)s, %(currency)s, FALSE, 0, 0, 0, TRUE,
               %(uid)s, %(uid)s, NOW(), NOW()
          FROM bench_settled
        UNION ALL
        SELECT pay_id, 'Paid ' || g, %(pay)s, %(account)s, %(partner)s,
               %(company)s, %(journal)s, paid, paid, 0, amount, -amount, 0,
               0, 0, TRUE, %(type)s, %(currency)s, FALSE, 0, 0, 0, TRUE,
               %(uid)s, %(uid)s, NOW(), NOW()
          FROM bench_settled""", params)
    cr.execute("""
        INSERT INTO account_partial_reconcile (debit_move_id, credit_move_id,
            amount, amount_currency, company_id, max_date,
            create_uid, write_uid, create_date, write_date)
        SELECT item_id, pay_id, amount, 0, %(company)s, paid,
               %(uid)s, %(uid)s, NOW(), NOW()
          FROM bench_settled""", params)
    cr.execute("ANALYZE account_move_line")
    cr.execute("ANALYZE account_partial_reconcile")
    return env["res.partner"].browse(partner_id)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("company_id", type=int)
    parser.add_argument("--settled", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-d", args.db, "--log-level", "warn"])
    odoo.tools.config["addons_path"] = ",".join(
        [os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
         os.path.dirname(odoo.addons.__file__)])
    registry = odoo.registry(args.db)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].browse(args.company_id)
        today = fields.Date.from_string(fields.Date.context_today(env.user))
        as_of = fields.Date.to_string(today - timedelta(days=90))
        cr.execute("SELECT DISTINCT partner_id FROM credit_receivable_total "
                   "WHERE company_id = %s", (company.id,))
        portfolio = env["res.partner"].browse([r[0] for r in cr.fetchall()])
        cases = [("portfolio", portfolio)]
        setup_s = 0.0
        if args.settled:  # --settled 0: the portfolio only
            started = time.perf_counter()
            cases.append(("settled", _settled_customer(env, company,
                                                       args.settled)))
            setup_s = time.perf_counter() - started
        try:
            for label, partners in cases:
                for scope in (None, as_of):
                    ms, queries, result = _timed(env, partners, company,
                                                 scope, args.runs)
                    paid = sum(b.invoices_paid or 0
                               for b in result.values())
                    print(json.dumps({
                        "case": label, "as_of": scope or "today",
                        "customers": len(partners),
                        "settled_items": args.settled
                        if label == "settled" else None,
                        "setup_s": round(setup_s, 1)
                        if label == "settled" else None,
                        "paid_invoices": paid, "median_ms": round(ms, 1),
                        "queries": queries, "runs": args.runs}), flush=True)
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
