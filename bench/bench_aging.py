"""Time the aging snapshot pass beside Odoo's own Aged Partner Balance.

Usage (from the repository root):

    .venv/bin/python bench/bench_aging.py DB COMPANY_ID [--odoo] [--runs 3]

For the company: our snapshot pass (``credit.aging._write_snapshots``: the
aging of every customer written to ``credit_aging``), its number of SQL
queries and the Python memory peak (tracemalloc, separate run); with
``--odoo`` also Odoo 11's ``report.account.report_agedpartnerbalance``
``_get_partner_move_lines`` (period 30, posted, receivable) on the same
data, and a per-partner, per-bucket comparison of both results.
"""
import argparse
import os
import resource
import statistics
import time
import tracemalloc

import odoo
import odoo.addons
from odoo import SUPERUSER_ID, api, fields

BUCKETS = ("amount_not_due", "amount_1_30", "amount_31_60", "amount_61_90",
           "amount_91_120", "amount_over_120")
REPORT_COLUMNS = ("direction", "4", "3", "2", "1", "0")


def _ours(env, company, date):
    cr = env.cr
    before = cr.sql_log_count
    started = time.time()
    rows = env["credit.aging"]._write_snapshots(company, date)
    cr.commit()
    return time.time() - started, cr.sql_log_count - before, rows


def _ours_memory(env, company, date):
    tracemalloc.start()
    env["credit.aging"]._write_snapshots(company, date)
    env.cr.commit()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def _odoo(env, company, date):
    cr = env.cr
    report = env["report.account.report_agedpartnerbalance"].with_context(
        company_ids=(company.id,))
    before = cr.sql_log_count
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.time()
    rows, _total, _lines = report._get_partner_move_lines(
        ["receivable"], date, "posted", 30)
    elapsed = time.time() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return elapsed, cr.sql_log_count - before, rows, rss_after - rss_before


def _compare(env, company, date, odoo_rows):
    ours = env["credit.aging"]._compute_rows(company, date)
    theirs = {row["partner_id"]: row for row in odoo_rows}
    mismatches = 0
    for pid in set(ours) | set(theirs):
        if pid not in ours or pid not in theirs:
            mismatches += 1
            continue
        for field, column in zip(BUCKETS, REPORT_COLUMNS):
            if abs(float(ours[pid][field]) - theirs[pid][column]) > 0.005:
                mismatches += 1
                break
    return len(theirs), mismatches


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("company_id", type=int)
    parser.add_argument("--odoo", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    odoo.tools.config.parse_config([
        "-d", args.db, "--log-level=warn", "--addons-path=%s,%s" % (
            root, os.path.dirname(odoo.addons.__file__))])
    registry = odoo.registry(args.db)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].browse(args.company_id)
        date = fields.Date.context_today(env.user)
        cr.execute("""
            SELECT COUNT(*), COUNT(DISTINCT l.partner_id)
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
             WHERE l.company_id = %s AND a.internal_type = 'receivable'
               AND NOT l.reconciled AND l.amount_residual <> 0
        """, (company.id,))
        items, customers = cr.fetchone()
        print("%s: %d open receivable items, %d customers, as of %s"
              % (company.name, items, customers, date))
        times, queries = [], set()
        for _run in range(args.runs):
            elapsed, count, rows = _ours(env, company, date)
            times.append(elapsed)
            queries.add(count)
        print("credit.aging snapshot pass: median %.2f s over %d runs "
              "(%s), %s queries, %d snapshots written"
              % (statistics.median(times), len(times),
                 ", ".join("%.2f" % t for t in times),
                 "/".join(str(q) for q in sorted(queries)), rows))
        print("credit.aging Python memory peak: %.1f KiB"
              % (_ours_memory(env, company, date) / 1024.0))
        if args.odoo:
            elapsed, count, odoo_rows, rss = _odoo(env, company, date)
            print("Odoo Aged Partner Balance: %.2f s, %d queries, "
                  "max RSS +%.0f MiB, %d partners"
                  % (elapsed, count, rss / 1024.0, len(odoo_rows)))
            partners, mismatches = _compare(env, company, date, odoo_rows)
            print("comparison: %d partners, %d differ"
                  % (partners, mismatches))


if __name__ == "__main__":
    main()
