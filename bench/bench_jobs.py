"""Time every scheduled job of the addon on a large portfolio.

Usage (from the repository root; DB made by bench/gen_receivables.py):

    .venv/bin/python bench/bench_jobs.py DB COMPANY_ID [--jobs aging,warnings,...]

Gives the company's customers credit limits between 60 % and 150 % of their
open receivable (deterministic, through the credit limit's own storage), then
runs, in this order, each job for that company: the receivable aging, the
risk warnings with penalties and rewards (a first run, which opens the
warnings, and the next day's rerun), the collection follow-up (a first run
and a rerun the next day), the credit reviews, the expiry of temporary
limits and the monthly overdue interest.

The follow-up set-up (skip with --no-followup-setup): every customer gets
an e-mail address (so that each gets its statement) and four controller
users are made the salespeople of four customers in five (the fifth has no
responsible: its to-dos go to the cron's user, as the policy says); the
company's policy keeps its default levels (reminder e-mail, call, final
notice, legal hand-over, hold). ``--max-batches N`` stops the follow-up
after N batches (to time the old one-by-one code on a sample). For each: wall time, SQL
queries (total and per customer) and the growth of the process's peak
memory (ru_maxrss). Jobs run as the cron does, committing per batch; the
database is left with their results (use a copy).
"""
import argparse
import json
import os
import resource
import time
from datetime import timedelta

import odoo
import odoo.addons
from odoo import SUPERUSER_ID, api, fields

JOBS = ("aging", "warnings", "warnings_rerun", "followup", "followup_rerun",
        "reviews", "expiry", "interest")
CONTROLLERS = 4


def _set_followup(env, company):
    """E-mail addresses for the customers, controllers as their
    salespeople (bench set-up in SQL, not a product path)."""
    Users = env["res.users"].with_context(no_reset_password=True)
    group = env.ref("credit_management.group_credit_controller")
    users = []
    for index in range(CONTROLLERS):
        login = "bench_controller_%d_%d" % (company.id, index)
        user = Users.search([("login", "=", login)])
        if not user:
            user = Users.create({
                "name": "Bench Controller %d" % index, "login": login,
                "company_id": company.id, "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, [group.id,
                                      env.ref("base.group_user").id])]})
        users.append(user.id)
    customers = """SELECT DISTINCT partner_id FROM credit_receivable_total
                    WHERE company_id = %(company)s"""
    env.cr.execute("""
        UPDATE res_partner SET email = 'ap' || id || '@bench.example.com'
         WHERE id IN ({customers}) AND email IS NULL""".format(
             customers=customers), {"company": company.id})
    env.cr.execute("""
        UPDATE res_partner
           SET user_id = (%(users)s::int[])[id %% 5 + 1]
         WHERE id IN ({customers})""".format(customers=customers),
                   {"company": company.id, "users": users + [None]})
    env.cr.commit()
    env["res.partner"].invalidate_cache()
    return len(users)


def _limit_batches(model, max_batches):
    """Stop the follow-up after ``max_batches`` batches."""
    if not max_batches:
        return lambda: None
    cls = type(model)
    original = cls._credit_cron_batches

    def batches(self, ids, size=None):
        for index, batch in enumerate(original(self, ids, size)):
            if index >= max_batches:
                return
            yield batch
    cls._credit_cron_batches = batches

    def restore():
        cls._credit_cron_batches = original
    return restore


def _set_limits(env, company):
    """Limits between 60 % and 150 % of each customer's open receivable, in
    one statement (bench set-up, not a product path: the ORM write with its
    change history costs some 100 ms a customer): into the column, or into
    ir.property when the limit is company-dependent."""
    share = "(0.6 + 0.9 * ((t.partner_id * 7919) %% 1000) / 1000.0)"
    limits = """
        SELECT t.partner_id, GREATEST(ROUND(SUM(t.amount_residual) * {share}, -2), 100)
               AS amount
          FROM credit_receivable_total t
         WHERE t.company_id = %(company)s AND t.amount_residual > 0
         GROUP BY t.partner_id""".format(share=share)
    field = env["res.partner"]._fields["credit_limit"]
    if getattr(field, "company_dependent", False):
        field_id = env["ir.model.fields"]._get("res.partner", "credit_limit").id
        env.cr.execute("""
            DELETE FROM ir_property WHERE fields_id = %(field)s
               AND company_id = %(company)s AND res_id IS NOT NULL""",
                       {"field": field_id, "company": company.id})
        env.cr.execute("""
            INSERT INTO ir_property (name, type, fields_id, company_id, res_id,
                                     value_float, create_uid, create_date,
                                     write_uid, write_date)
            SELECT 'credit_limit', 'float', %(field)s, %(company)s,
                   'res.partner,' || l.partner_id, l.amount, 1, now(), 1, now()
              FROM ({limits}) l""".format(limits=limits),
                       {"field": field_id, "company": company.id})
    else:
        env.cr.execute("""
            UPDATE res_partner p SET credit_limit = l.amount
              FROM ({limits}) l WHERE p.id = l.partner_id""".format(limits=limits),
                       {"company": company.id})
    count = env.cr.rowcount
    env.cr.commit()
    env["res.partner"].invalidate_cache()
    return count


def _measure(env, label, func, customers):
    cr = env.cr
    before = cr.sql_log_count
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.time()
    result = func()
    cr.commit()
    elapsed = time.time() - started
    queries = cr.sql_log_count - before
    return {"job": label, "seconds": round(elapsed, 1), "queries": queries,
            "queries_per_customer": round(queries / float(customers or 1), 2),
            "peak_rss_growth_mib": round(
                (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                 - rss_before) / 1024.0, 1),
            "result": _summary(result)}


def _summary(result):
    if isinstance(result, dict):
        return {key: (len(value) if isinstance(value, (list, tuple, set)) else value)
                for key, value in result.items()}
    return result if isinstance(result, (int, float, str, bool)) or result is None \
        else str(result)[:80]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("company_id", type=int)
    parser.add_argument("--jobs", default=",".join(JOBS))
    parser.add_argument("--no-limits", action="store_true",
                        help="keep the limits already set")
    parser.add_argument("--no-followup-setup", action="store_true",
                        help="no e-mail addresses or controllers")
    parser.add_argument("--max-batches", type=int, default=0,
                        help="follow-up: stop after this many batches")
    parser.add_argument("--interest-mode", default="proposed",
                        help="the policy's interest mode for the interest run")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-d", args.db, "--log-level", "warn"])
    odoo.tools.config["addons_path"] = ",".join(
        [os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
         os.path.dirname(odoo.addons.__file__)])
    registry = odoo.registry(args.db)
    jobs = args.jobs.split(",")
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].browse(args.company_id)
        if not args.no_limits:
            started = time.time()
            count = _set_limits(env, company)
            print(json.dumps({"job": "set_limits", "customers": count,
                              "seconds": round(time.time() - started, 1)}))
        if not args.no_followup_setup:
            started = time.time()
            count = _set_followup(env, company)
            print(json.dumps({"job": "set_followup", "controllers": count,
                              "seconds": round(time.time() - started, 1)}))
        policy = company.credit_policy_id
        if "interest_mode" in policy._fields and args.interest_mode:
            policy.sudo().with_context(tracking_disable=True).write(
                {"interest_mode": args.interest_mode})
            env.cr.commit()
        env.cr.execute("""SELECT count(DISTINCT partner_id) FROM credit_receivable_total
                           WHERE company_id = %s""", (company.id,))
        customers = env.cr.fetchone()[0]
        today = fields.Date.context_today(env.user)
        tomorrow = fields.Date.to_string(
            fields.Date.from_string(today) + timedelta(days=1))
        steps = {
            "aging": lambda: env["credit.aging"]._cron_compute(
                date=today, company_ids=company.ids),
            "warnings": lambda: env["credit.warning"]._cron_evaluate(
                date=today, company_ids=company.ids),
            "warnings_rerun": lambda: env["credit.warning"]._cron_evaluate(
                date=tomorrow, company_ids=company.ids),
            "followup": lambda: env["credit.collection.log"]._cron_followup(
                date=today, company_ids=company.ids),
            "followup_rerun": lambda: env["credit.collection.log"]._cron_followup(
                date=tomorrow, company_ids=company.ids),
            "reviews": lambda: env["credit.dossier"]._cron_review_due(),
            "expiry": lambda: env["credit.limit.request"]
            ._cron_expire_temporary_limits(),
            "interest": lambda: len(env["credit.interest.line"]._cron_run(
                date=today, company_ids=company.ids)),
        }
        total = {"job": "all", "seconds": 0.0, "queries": 0}
        for job in jobs:
            env["res.partner"].invalidate_cache()
            restore = _limit_batches(env["credit.collection.log"],
                                     args.max_batches) \
                if job.startswith("followup") else (lambda: None)
            try:
                result = _measure(env, job, steps[job], customers)
            finally:
                restore()
            total["seconds"] += result["seconds"]
            total["queries"] += result["queries"]
            print(json.dumps(dict(result, customers=customers)), flush=True)
        total["seconds"] = round(total["seconds"], 1)
        print(json.dumps(dict(total, customers=customers)), flush=True)


if __name__ == "__main__":
    main()
