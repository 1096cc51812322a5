"""Time the "Over limit" and "Overdue" customer filters.

    .venv/bin/python bench/measure_filters.py DB --flavour cm|oca [--runs 7]

cm: ``res.partner.search([('credit_over_limit', '=', True)])`` and
``[('credit_is_overdue', '=', True)]`` (one SQL query each), beside a plain
``[('customer', '=', True)]`` search for the ORM's own cost of returning the ids. oca:
``search([('risk_exception', '=', True)])`` of account_financial_risk, run
``--oca-runs`` times (it computes every customer's risk in Python).
Prints one JSON line per filter with the median in ms and the hit count.
"""
import argparse
import json
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed_search(env, domain, runs):
    times, count = [], 0
    for run in range(runs + 1):
        env.cache.invalidate()
        start = time.perf_counter()
        count = len(env["res.partner"].search(domain))
        elapsed = (time.perf_counter() - start) * 1000
        if run:
            times.append(elapsed)
    return round(statistics.median(times), 1), count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--flavour", choices=("cm", "oca"), required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--addons-path", default="")
    args = parser.parse_args(argv)
    import odoo
    from odoo import api, SUPERUSER_ID
    paths = [ROOT, os.path.dirname(odoo.addons.__file__)]
    if args.addons_path:
        paths.insert(0, args.addons_path)
    odoo.tools.config.parse_config(["-d", args.db, "--addons-path", ",".join(paths),
                                    "--log-level", "warn"])
    with api.Environment.manage():
        registry = odoo.registry(args.db)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cr.execute("SELECT count(*) FROM res_partner WHERE customer AND is_company")
            customers = cr.fetchone()[0]
            if args.flavour == "cm":
                filters = [("plain_customer_search", [("customer", "=", True)]),
                           ("over_limit", [("credit_over_limit", "=", True)]),
                           ("overdue", [("credit_is_overdue", "=", True)])]
            else:
                cr.execute("""UPDATE res_partner SET risk_invoice_open_include = true,
                              risk_invoice_unpaid_include = true,
                              risk_sale_order_include = true
                              WHERE customer AND is_company""")
                filters = [("risk_exception", [("risk_exception", "=", True)])]
            for name, domain in filters:
                median, count = timed_search(env, domain, args.runs)
                print(json.dumps({"flavour": args.flavour, "filter": name,
                                  "customers": customers, "runs": args.runs,
                                  "median_ms": median, "hits": count}), flush=True)
            cr.rollback()
    return 0


if __name__ == "__main__":
    sys.exit(main())
