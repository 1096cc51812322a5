"""Journal posting with and without credit_management, side by side.

    .venv/bin/python bench/measure_posting.py setup DB [--customers 250]
        [--invoices 100]
    .venv/bin/python bench/measure_posting.py measure BASE_DB CM_DB
        [--runs 5] [--light-runs 15] [--lines 1000] [--ops bulk_entry,...]

``setup`` prepares a database that has the addon's dependencies but not the
addon (run it once, then copy the database and install credit_management into
the copy, so that both hold the same records with the same ids): accounts and
journals (``generate.ensure_accounting`` plus a miscellaneous journal),
``--customers`` customers with 10 posted invoices each (history, by SQL, see
generate.py), one open invoice of ``Bench Payer`` (and a paid one) and
``--invoices`` open invoices of ``Bench Reconcile`` (through the ORM).

``measure`` starts with ``VACUUM FULL ANALYZE`` of both databases (the same
physical state whatever ran before), opens both in one process and runs each
operation on both, alternating which database goes first in every round so
that both see the same load; every run sits in a savepoint rolled back
afterwards (ORM caches cleared), the journal tables are vacuumed between
rounds (rolled-back rows are dead rows), the first round warms up and is not
counted. ``--runs``
rounds for the heavy operations (bulk entries, reconcile_many, cancel_entry),
``--light-runs`` for the others. Operations:

* ``bulk_entry``: create one journal entry with ``--lines`` receivable lines
  (over all the customers, 5 due dates) and one income line, then post it;
* ``bulk_entry_1``: the same, every line for one customer (5 due dates): the
  worst case for the maintained totals (the same rows over and over);
* ``invoice``: create and validate a one-line customer invoice (the addon's
  invoice credit check runs, as installed: warn);
* ``invoice_nocheck``: the same with the invoice check off (policy
  ``invoice_check_mode`` = none, inside the savepoint): posting alone;
* ``validate``: validate a draft one-line customer invoice (created before
  the timer starts; the check runs and passes): the validation alone;
* ``confirm``: confirm a one-line quotation of a customer with 10 posted
  invoices (created before the timer starts; the check runs and passes);
* ``payment``: register a payment of the open invoice of ``Bench Payer``;
* ``reconcile_many``: one payment for the ``--invoices`` open invoices of
  ``Bench Reconcile`` (reconciles them all at once);
* ``cancel_entry``: cancel the posted bulk entry (one UPDATE of the entry),
  then delete it;
* ``sql_import``: 10 x ``--lines`` receivable items written into a posted
  entry by SQL as an import or a migration script would: one INSERT ...
  SELECT, one UPDATE of every residual, one DELETE.

Prints one JSON line per operation: per database the median time (ms), the
queries Odoo sent (``cr.sql_log_count``; statements run inside triggers are
not counted), the median time spent in ``Cursor.execute`` (the database's
share, triggers included); for the addon's database also the median time
spent in its trigger functions (``pg_stat_xact_user_functions``, PL/pgSQL
functions tracked for the session) and how many times they ran; then the
ratio of the medians and the ratio of the fastest runs.
"""
import argparse
import json
import os
import statistics
import sys
import time
from datetime import timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))

HEAVY = ("bulk_entry", "bulk_entry_1", "reconcile_many", "cancel_entry",
         "sql_import")
LIGHT = ("invoice", "invoice_nocheck", "validate", "confirm", "payment")
OPS = LIGHT + HEAVY


def odoo_config(db):
    import odoo
    odoo.tools.config.parse_config(
        ["-d", db, "--addons-path", "%s,%s" % (
            ROOT, os.path.dirname(odoo.addons.__file__)), "--log-level", "warn"])


# ----------------------------------------------------------------------
# set-up (committed, once, before the database is copied)
# ----------------------------------------------------------------------
def setup(args):
    import odoo
    from odoo import api, SUPERUSER_ID
    import generate
    odoo_config(args.db)
    with api.Environment.manage():
        registry = odoo.registry(args.db)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            acc = generate.ensure_accounting(env)
            company = acc["company"]
            if not env["account.journal"].search([("code", "=", "BENM")]):
                env["account.journal"].create({
                    "name": "Bench Miscellaneous", "code": "BENM",
                    "type": "general", "company_id": company.id,
                    "update_posted": True})
            ids = generate.create_customers(
                env, ["Bench Poster %d" % (i + 1) for i in range(args.customers)],
                1e9)
            generate.create_invoices(env, acc, [(pid, 10) for pid in ids],
                                     paid_share=0.2, full_paid_share=0.3)
            payer = env["res.partner"].create({
                "name": "Bench Payer", "customer": True, "is_company": True,
                "credit_limit": 1e9})
            many = env["res.partner"].create({
                "name": "Bench Reconcile", "customer": True, "is_company": True,
                "credit_limit": 1e9})
            invoices = {}
            for partner, count in ((payer, 2), (many, args.invoices)):
                for i in range(count):
                    invoice = env["account.invoice"].create(invoice_vals(
                        env, acc, partner, 100.0 + i, days_ago=i % 60))
                    invoice.action_invoice_open()
                    invoices[partner] = invoice
            # pay one now, so that no measured run creates the payment
            # sequence's date range (rolled back, it would every time)
            paid = invoices[payer]
            env["account.payment"].create({
                "payment_type": "inbound", "partner_type": "customer",
                "partner_id": payer.id, "amount": paid.residual,
                "journal_id": acc["bank_journal"].id,
                "payment_method_id": env.ref(
                    "account.account_payment_method_manual_in").id,
                "invoice_ids": [(6, 0, paid.ids)]}).post()
            cr.commit()
            print("set up %s: %d customers with history, %d open invoices to "
                  "reconcile" % (args.db, args.customers, args.invoices))
    return 0


def invoice_vals(env, acc, partner, amount, days_ago=0):
    from odoo import fields
    today = fields.Date.from_string(fields.Date.context_today(env.user))
    date = today - timedelta(days=days_ago)
    return {
        "partner_id": partner.id, "type": "out_invoice",
        "account_id": acc["receivable"].id,
        "journal_id": acc["sale_journal"].id,
        "date_invoice": fields.Date.to_string(date),
        "date_due": fields.Date.to_string(date + timedelta(days=30)),
        "invoice_line_ids": [(0, 0, {
            "name": "Goods", "quantity": 1, "price_unit": amount,
            "account_id": acc["income"].id,
            "invoice_line_tax_ids": [(6, 0, [])]})],
    }


# ----------------------------------------------------------------------
# the operations
# ----------------------------------------------------------------------
class Bench(object):
    """The operations on one database; ``prepare_<op>`` runs before the
    timer starts, inside the same savepoint."""

    def __init__(self, env, lines, invoices):
        from odoo import fields
        self.env = env
        Account = env["account.account"]
        Journal = env["account.journal"]
        self.acc = {
            "receivable": Account.search([("code", "=", "BEN1100")]),
            "income": Account.search([("code", "=", "BEN4000")]),
            "sale_journal": Journal.search([("code", "=", "BENS")]),
            "bank_journal": Journal.search([("code", "=", "BENB")])}
        self.misc = Journal.search([("code", "=", "BENM")])
        self.customers = env["res.partner"].search(
            [("name", "like", "Bench Poster %")], order="id")
        self.payer = env["res.partner"].search([("name", "=", "Bench Payer")])
        self.many = env["res.partner"].search([("name", "=", "Bench Reconcile")])
        assert all(self.acc.values()) and self.misc and self.customers \
            and self.payer and self.many, "run 'measure_posting.py setup' first"
        self.lines = lines
        self.invoices = invoices
        self.today = fields.Date.from_string(fields.Date.context_today(env.user))
        self.bulk_move = None
        self.installed = bool(env["ir.module.module"].search_count([
            ("name", "=", "credit_management"), ("state", "=", "installed")]))

    def _bulk_entry(self, customers):
        from odoo import fields
        vals, total = [], 0.0
        for i in range(self.lines):
            amount = 10.0 + (i * 7919) % 990
            total += amount
            vals.append((0, 0, {
                "name": "Bulk %d" % i,
                "account_id": self.acc["receivable"].id,
                "partner_id": customers[i % len(customers)].id,
                "debit": amount,
                "date_maturity": fields.Date.to_string(
                    self.today + timedelta(days=15 * (i % 5)))}))
        vals.append((0, 0, {"name": "Bulk", "account_id": self.acc["income"].id,
                            "credit": round(total, 2)}))
        move = self.env["account.move"].create({
            "journal_id": self.misc.id, "ref": "bench bulk", "line_ids": vals})
        move.post()
        assert move.state == "posted"
        return move

    def bulk_entry(self):
        return self._bulk_entry(self.customers)

    def bulk_entry_1(self):
        return self._bulk_entry(self.customers[:1])

    def invoice(self):
        invoice = self.env["account.invoice"].create(invoice_vals(
            self.env, self.acc, self.customers[0], 250.0))
        invoice.action_invoice_open()
        assert invoice.state == "open", invoice.state
        return invoice

    def _pass_policy(self):
        """The check runs and passes (no chatter note): the gate's cost."""
        if self.installed:
            self.env.ref("base.main_company").credit_policy_id.write(
                {"overdue_grace_days": 100000})

    def prepare_validate(self):
        self._pass_policy()
        self.draft_invoice = self.env["account.invoice"].create(invoice_vals(
            self.env, self.acc, self.customers[0], 250.0))

    def validate(self):
        self.draft_invoice.action_invoice_open()
        assert self.draft_invoice.state == "open", self.draft_invoice.state

    def prepare_confirm(self):
        self._pass_policy()
        product = self.env["product.product"].search(
            [("default_code", "=", "BENCH")])
        self.quotation = self.env["sale.order"].create({
            "partner_id": self.customers[0].id,
            "order_line": [(0, 0, {
                "product_id": product.id, "product_uom_qty": 1,
                "price_unit": 100.0, "tax_id": [(6, 0, [])]})]})

    def confirm(self):
        self.quotation.action_confirm()
        assert self.quotation.state == "sale", self.quotation.state

    def prepare_invoice_nocheck(self):
        if self.installed:
            self.env.ref("base.main_company").credit_policy_id.write(
                {"invoice_check_mode": "none"})

    def invoice_nocheck(self):
        return self.invoice()

    def _open_invoices(self, partner):
        return self.env["account.invoice"].search(
            [("partner_id", "=", partner.id), ("state", "=", "open")],
            order="id")

    def _pay(self, invoices):
        payment = self.env["account.payment"].create({
            "payment_type": "inbound", "partner_type": "customer",
            "partner_id": invoices[0].commercial_partner_id.id,
            "amount": sum(invoices.mapped("residual")),
            "journal_id": self.acc["bank_journal"].id,
            "payment_method_id": self.env.ref(
                "account.account_payment_method_manual_in").id,
            "invoice_ids": [(6, 0, invoices.ids)]})
        payment.post()
        assert all(inv.state == "paid" for inv in invoices)
        return payment

    def payment(self):
        return self._pay(self._open_invoices(self.payer))

    def reconcile_many(self):
        invoices = self._open_invoices(self.many)
        assert len(invoices) == self.invoices, len(invoices)
        return self._pay(invoices)

    def prepare_sql_import(self):
        self.bulk_move = self._bulk_entry(self.customers[:1])

    def sql_import(self):
        cr = self.env.cr
        params = {"move": self.bulk_move.id, "count": 10 * self.lines,
                  "account": self.acc["receivable"].id,
                  "partners": self.customers.ids}
        cr.execute("""
            INSERT INTO account_move_line
                   (move_id, name, account_id, partner_id, company_id,
                    journal_id, date, date_maturity, debit, credit, balance,
                    amount_residual, reconciled, user_type_id,
                    company_currency_id, blocked, tax_exigible)
            SELECT m.id, 'Import', a.id, p.partners[1 + g %% array_length(
                       p.partners, 1)], m.company_id, m.journal_id, m.date,
                   m.date + g %% 90, 10 + g %% 990, 0, 10 + g %% 990,
                   10 + g %% 990, false, a.user_type_id, c.currency_id,
                   false, true
              FROM account_move m
              JOIN res_company c ON c.id = m.company_id
              JOIN account_account a ON a.id = %(account)s
             CROSS JOIN (SELECT %(partners)s::int[] AS partners) p
             CROSS JOIN generate_series(1, %(count)s) g
             WHERE m.id = %(move)s""", params)
        cr.execute("""
            UPDATE account_move_line SET amount_residual = amount_residual / 2
             WHERE move_id = %(move)s AND name = 'Import'""", params)
        cr.execute("""
            DELETE FROM account_move_line
             WHERE move_id = %(move)s AND name = 'Import'""", params)

    def prepare_cancel_entry(self):
        self.bulk_move = self.bulk_entry()

    def cancel_entry(self):
        self.bulk_move.button_cancel()
        self.bulk_move.unlink()


# ----------------------------------------------------------------------
# measuring
# ----------------------------------------------------------------------
SQL_TIME = [0.0]
SQL_LOG = []  # statements of the current run, with --dump-sql


def time_sql():
    """Add the time spent in ``Cursor.execute`` (round trips included) to
    SQL_TIME, to split a run into database and Python time."""
    from odoo import sql_db
    execute = sql_db.Cursor.execute

    def timed_execute(self, *args, **kwargs):
        start = time.perf_counter()
        if SQL_LOG:
            SQL_LOG.append(args[0] if args else kwargs.get("query"))
        try:
            return execute(self, *args, **kwargs)
        finally:
            SQL_TIME[0] += time.perf_counter() - start
    sql_db.Cursor.execute = timed_execute


def trigger_stats(cr):
    """(calls, ms) of the addon's PL/pgSQL functions in this transaction."""
    cr.execute("""
        SELECT COALESCE(SUM(calls), 0), COALESCE(SUM(self_time), 0)
          FROM pg_stat_xact_user_functions
         WHERE funcname LIKE 'credit\\_balance\\_%'""")
    calls, ms = cr.fetchone()
    return int(calls), float(ms)


def run_once(bench, op, dump=None):
    """Figures of one run of ``op``, in a savepoint rolled back after it;
    with ``dump`` (a file name), its statements are written there."""
    env = bench.env
    cr = env.cr
    cr.execute("SAVEPOINT bench_posting")
    try:
        prepare = getattr(bench, "prepare_" + op, None)
        if prepare:
            prepare()
        env.cache.invalidate()
        queries, sql_time = cr.sql_log_count, SQL_TIME[0]
        calls, fn_time = trigger_stats(cr) if bench.installed else (0, 0.0)
        if dump:
            SQL_LOG[:] = ["-- %s" % op]
        start = time.perf_counter()
        getattr(bench, op)()
        elapsed = (time.perf_counter() - start) * 1000
        if dump:
            with open(dump, "w") as out:
                out.write("\n".join(" ".join(str(q).split())
                                    for q in SQL_LOG) + "\n")
            SQL_LOG[:] = []
        sql_time = (SQL_TIME[0] - sql_time) * 1000
        queries = cr.sql_log_count - queries
        if bench.installed:
            after = trigger_stats(cr)
            calls, fn_time = after[0] - calls, after[1] - fn_time
            queries -= 1  # the second trigger_stats query
    finally:
        cr.execute("ROLLBACK TO SAVEPOINT bench_posting")
        env.cache.invalidate()
    return {"ms": elapsed, "queries": queries, "sql_ms": sql_time,
            "trigger_calls": calls, "trigger_ms": fn_time}


def median(samples, key):
    return statistics.median([sample[key] for sample in samples])


# rolled-back runs leave dead rows behind (1,000 journal items per bulk
# entry): vacuumed after every round, so that later rounds do not scan more
VACUUMED = ("account_move_line", "account_move", "account_partial_reconcile",
            "account_full_reconcile", "account_invoice", "account_invoice_line",
            "account_payment", "mail_message", "mail_tracking_value",
            "credit_receivable_balance", "credit_receivable_total",
            "credit_check")


def vacuum(dbs, full=False):
    import psycopg2
    for db in dbs:
        conn = psycopg2.connect(dbname=db)
        conn.autocommit = True
        with conn.cursor() as cr:
            if full:
                cr.execute("VACUUM FULL ANALYZE")
                continue
            cr.execute("SELECT relname FROM pg_class WHERE relname IN %s "
                       "AND relkind = 'r'", (VACUUMED,))
            tables = [row[0] for row in cr.fetchall()]
            cr.execute("VACUUM %s" % ", ".join(tables))
        conn.close()


def measure(args):
    import odoo
    from odoo import api, SUPERUSER_ID
    odoo_config(args.base_db)
    time_sql()
    ops = [op for op in args.ops.split(",") if op]
    unknown = set(ops) - set(OPS)
    if unknown:
        raise SystemExit("unknown operations: %s" % ", ".join(sorted(unknown)))
    dbs = {"base": args.base_db, "cm": args.cm_db}
    # both databases start from the same physical state (no dead rows, no
    # bloat left by earlier runs, fresh statistics)
    vacuum(dbs.values(), full=True)
    with api.Environment.manage():
        crs, benches = {}, {}
        for flavour, db in dbs.items():
            crs[flavour] = odoo.registry(db).cursor()
            env = api.Environment(crs[flavour], SUPERUSER_ID, {})
            benches[flavour] = bench = Bench(env, args.lines, args.invoices)
            assert bench.installed == (flavour == "cm"), (db, bench.installed)

        def new_round():
            for cr in crs.values():
                cr.rollback()
            vacuum(dbs.values())
            crs["cm"].execute("SET track_functions = 'pl'")
            crs["cm"].commit()

        try:
            for op in ops:
                runs = args.runs if op in HEAVY else args.light_runs
                samples = {"base": [], "cm": []}
                for run in range(runs + 1):
                    new_round()
                    order = ("base", "cm") if run % 2 else ("cm", "base")
                    for flavour in order:
                        dump = (os.path.join(args.dump_sql, "%s.%s.sql" % (
                            op, flavour)) if args.dump_sql and run == runs
                            else None)
                        sample = run_once(benches[flavour], op, dump)
                        if run:  # the first round warms the caches up
                            samples[flavour].append(sample)
                print(json.dumps(summary(op, runs, args, samples)), flush=True)
        finally:
            for cr in crs.values():
                cr.rollback()
                cr.close()
    return 0


def summary(op, runs, args, samples):
    result = {"op": op, "runs": runs}
    if op.startswith("bulk") or op == "cancel_entry":
        result["lines"] = args.lines
    if op == "sql_import":
        result["lines"] = 10 * args.lines
    if op == "reconcile_many":
        result["invoices"] = args.invoices
    for flavour in ("base", "cm"):
        for key in ("ms", "queries", "sql_ms"):
            value = median(samples[flavour], key)
            result["%s_%s" % (flavour, key)] = (
                int(value) if key == "queries" else round(value, 1))
    result["cm_trigger_ms"] = round(median(samples["cm"], "trigger_ms"), 1)
    result["cm_trigger_calls"] = int(median(samples["cm"], "trigger_calls"))
    result["ratio"] = round(result["cm_ms"] / result["base_ms"], 3)
    fastest = {flavour: min(sample["ms"] for sample in samples[flavour])
               for flavour in samples}
    result["ratio_of_fastest"] = round(fastest["cm"] / fastest["base"], 3)
    result["extra_queries"] = result["cm_queries"] - result["base_queries"]
    for flavour in ("base", "cm"):
        result[flavour + "_all_ms"] = [
            round(sample["ms"]) for sample in samples[flavour]]
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    p_setup = sub.add_parser("setup")
    p_setup.add_argument("db")
    p_setup.add_argument("--customers", type=int, default=250)
    p_setup.add_argument("--invoices", type=int, default=100)
    p_measure = sub.add_parser("measure")
    p_measure.add_argument("base_db")
    p_measure.add_argument("cm_db")
    p_measure.add_argument("--runs", type=int, default=5)
    p_measure.add_argument("--light-runs", type=int, default=15)
    p_measure.add_argument("--lines", type=int, default=1000)
    p_measure.add_argument("--invoices", type=int, default=100)
    p_measure.add_argument("--ops", default=",".join(OPS))
    p_measure.add_argument("--dump-sql", default="", help="a folder: the "
                           "statements of each operation's last run there")
    args = parser.parse_args(argv)
    if args.command == "setup":
        return setup(args)
    if args.command == "measure":
        return measure(args)
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
