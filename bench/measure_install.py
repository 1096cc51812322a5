"""Time installing (and upgrading) credit_management on a database with history.

    .venv/bin/python bench/measure_install.py TEMPLATE_DB [--items 100000]
        [--customers 2000] [--prefix credit_inst] [--keep]

TEMPLATE_DB has the addon's dependencies installed and not the addon. Two
copies are made: ``PREFIX_small`` as is and ``PREFIX_big`` filled by
``gen_receivables.py`` with ``--items`` open receivable items over
``--customers`` customers (posted entries, partial payments, credit notes).
The addon is installed into both (``bin/odoo -i``, separate processes, one
after the other) and upgraded in the big one (``-u``); the difference between
the two installs is what the data costs. Then, in the big database and in a
transaction rolled back, the parts that read every item are timed alone:
filling the maintained totals (``REBUILD_SQL``) and building each index the
addon creates on core tables (its definition read back from pg_indexes).
Prints JSON lines; drops both copies unless ``--keep``.
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = os.path.join(ROOT, ".venv", "bin", "python")


def psql(db, sql):
    return subprocess.check_output(
        ["psql", "-d", db, "-qAtc", sql], universal_newlines=True).strip()


def timed(cmd):
    started = time.time()
    subprocess.check_call(cmd, cwd=ROOT)
    return round(time.time() - started, 1)


def odoo(db, *args):
    return timed([os.path.join(ROOT, "bin", "odoo"), "-d", db, "--stop-after-init",
                  "--log-level=warn"] + list(args))


def breakdown(db):
    """Seconds of the totals rebuild and of each core-table index build."""
    import odoo as odoo_pkg
    odoo_pkg.tools.config.parse_config(
        ["-d", db, "--addons-path", "%s,%s" % (
            ROOT, os.path.dirname(odoo_pkg.addons.__file__)),
         "--log-level", "warn"])
    from odoo.addons.credit_management.queries.ddl import (
        CORE_TABLE_INDEXES, REBUILD_SQL)
    import psycopg2
    conn = psycopg2.connect(dbname=db)
    result = {}
    try:
        with conn.cursor() as cr:
            started = time.time()
            cr.execute(REBUILD_SQL)
            result["rebuild_totals_s"] = round(time.time() - started, 2)
            cr.execute("SELECT count(*) FROM credit_receivable_balance")
            result["balance_rows"] = cr.fetchone()[0]
            cr.execute("SELECT count(*) FROM credit_receivable_total")
            result["total_rows"] = cr.fetchone()[0]
            for index in CORE_TABLE_INDEXES:
                cr.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s",
                           (index,))
                indexdef = cr.fetchone()[0]
                cr.execute('DROP INDEX "%s"' % index)
                started = time.time()
                cr.execute(indexdef)
                result["index_%s_s" % index] = round(time.time() - started, 2)
    finally:
        conn.rollback()
        conn.close()
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("template")
    parser.add_argument("--items", type=int, default=100000)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--prefix", default="credit_inst")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    small, big = args.prefix + "_small", args.prefix + "_big"
    for db in (small, big):
        psql("postgres", "DROP DATABASE IF EXISTS %s" % db)
        psql("postgres", "CREATE DATABASE %s TEMPLATE %s" % (db, args.template))
    gen = timed([PY, "bench/gen_receivables.py", big, "--customers",
                 str(args.customers), "--items", str(args.items),
                 "--label", "I"])
    for db in (small, big):
        psql(db, "VACUUM ANALYZE")
    count_sql = """
        SELECT count(*) FROM account_move_line l
          JOIN account_account a ON a.id = l.account_id
         WHERE a.internal_type = 'receivable'"""
    result = {"items_generated": args.items, "customers": args.customers,
              "generate_s": gen}
    for label, db in (("small", small), ("big", big)):
        result[label + "_receivable_items"] = int(psql(db, count_sql))
        result[label + "_install_s"] = odoo(db, "-i", "credit_management")
    result["big_upgrade_s"] = odoo(big, "-u", "credit_management")
    result["install_difference_s"] = round(
        result["big_install_s"] - result["small_install_s"], 1)
    print(json.dumps(result), flush=True)
    print(json.dumps(dict(breakdown(big), db=big)), flush=True)
    if not args.keep:
        for db in (small, big):
            psql("postgres", "DROP DATABASE IF EXISTS %s" % db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
