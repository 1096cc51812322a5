"""Cost of the order credit check for customers with many open items.

    .venv/bin/python bench/measure_check.py DB --flavour cm|oca|base [--runs 15]
        [--addons-path EXTRA] [--sizes 10,1000,10000,100000]

For each ``Bench Big <n>`` customer (see generate.py) a one-line quotation is
created and confirmed, inside a savepoint rolled back after each run, so every
run sees the same data. Prints one line per size: median confirm time and
median time of the check alone (cm: ``sale.order._credit_run_check``; oca: the
partner risk fields ``sale_financial_risk`` reads before confirming), in ms.
"""
import argparse
import json
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def setup_flavour(env, flavour, partner):
    if flavour == "cm":
        policy = env.ref("base.main_company").credit_policy_id
        policy.write({"check_mode": "block", "overdue_grace_days": 100000})
    elif flavour == "oca":
        partner.write({"risk_invoice_draft_include": True,
                       "risk_invoice_open_include": True,
                       "risk_invoice_unpaid_include": True,
                       "risk_account_amount_include": True,
                       "risk_account_amount_unpaid_include": True,
                       "risk_sale_order_include": True,
                       "credit_limit": 1e9})


def check_alone(env, flavour, order):
    if flavour == "cm":
        return order._credit_run_check()
    if flavour == "oca":
        partner = order.partner_id.commercial_partner_id
        return partner.risk_exception, partner.risk_total
    return None


def measure(env, flavour, size, runs):
    partner = env["res.partner"].search([("name", "=", "Bench Big %d" % size)])
    if not partner:
        return None
    product = env["product.product"].search([("default_code", "=", "BENCH")])
    setup_flavour(env, flavour, partner)
    cr = env.cr
    confirm_times, check_times = [], []
    for run in range(runs + 1):
        for timed, bucket in (("confirm", confirm_times), ("check", check_times)):
            if timed == "check" and flavour == "base":
                continue
            cr.execute("SAVEPOINT bench")
            order = env["sale.order"].create({
                "partner_id": partner.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1,
                                       "price_unit": 100.0, "tax_id": [(6, 0, [])]})]})
            env.cache.invalidate()
            order = env["sale.order"].browse(order.id)
            start = time.perf_counter()
            if timed == "confirm":
                result = order.action_confirm()
            else:
                result = check_alone(env, flavour, order)
            elapsed = (time.perf_counter() - start) * 1000
            if timed == "confirm":
                assert order.state == "sale", (flavour, size, result)
            cr.execute("ROLLBACK TO SAVEPOINT bench")
            env.cache.invalidate()
            if run:  # the first run warms the caches
                bucket.append(elapsed)
    return {"flavour": flavour, "open_items": size, "runs": runs,
            "confirm_ms": round(statistics.median(confirm_times), 2),
            "check_ms": (round(statistics.median(check_times), 2)
                         if check_times else None)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--flavour", choices=("cm", "oca", "base"), required=True)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sizes", default="10,1000,10000,100000")
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
            for size in [int(s) for s in args.sizes.split(",")]:
                res = measure(env, args.flavour, size, args.runs)
                if res:
                    print(json.dumps(res), flush=True)
            cr.rollback()
    return 0


if __name__ == "__main__":
    sys.exit(main())
