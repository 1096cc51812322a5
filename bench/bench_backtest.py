"""Time a scorecard back-test on a generated ledger.

Usage (from the repository root, on a database filled by gen_receivables.py):

    .venv/bin/python bench/bench_backtest.py DB COMPANY_ID [--months 12] [--outcome 12]

Runs ``credit.scorecard.backtest._run`` for the company's policy scorecard
over the last ``--months`` month-ends (outcome window ``--outcome`` months,
followed until today) inside a transaction that is rolled back, and prints
the scored customer-months, the time of the history gathering (SQL per
month-end), of the whole run and the figures it found. Never run by the tests.
"""
import argparse
import os
import time
from datetime import date

from dateutil.relativedelta import relativedelta

import odoo
import odoo.addons
from odoo import SUPERUSER_ID, api, fields


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("company_id", type=int)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--outcome", type=int, default=12)
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    odoo.tools.config.parse_config([
        "-d", args.db, "--log-level=warn", "--addons-path=%s,%s" % (
            root, os.path.dirname(odoo.addons.__file__))])
    registry = odoo.registry(args.db)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].browse(args.company_id)
        today = date.today()
        last_end = date(today.year, today.month, 1) - relativedelta(days=1)
        first = last_end + relativedelta(months=-args.months + 1, day=1)
        scorecard = env.ref("credit_management.credit_scorecard_default")
        test = env["credit.scorecard.backtest"].create({
            "name": "bench", "company_id": company.id,
            "scorecard_id": scorecard.id,
            "date_from": fields.Date.to_string(first),
            "date_to": fields.Date.to_string(last_end),
            "outcome_months": args.outcome})
        started = time.time()
        history, partial = test._gather_history()
        gathered = time.time() - started
        started = time.time()
        test._run()
        total = time.time() - started
        print("%s: %d month-ends (%s .. %s), %d customer-months scored, "
              "%d with an outcome window still open"
              % (company.name, args.months, first, last_end, len(history),
                 partial))
        print("history gathering: %.1f s; whole run (gathering again, "
              "scoring, statistics, storing): %.1f s" % (gathered, total))
        print("bad %d (%.1f %%), AUC %.4f, KS %.4f, PSI %.4f, inversions %d"
              % (test.bad_count, test.bad_rate, test.auc, test.ks, test.psi,
                 test.inversion_count))
        cr.rollback()


if __name__ == "__main__":
    main()
