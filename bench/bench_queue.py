"""The aging + warnings at scale, inline and on OCA's job queue with 1 and 2
jobs at once (credit_management_queue).

Usage (from the repository root; BASE_DB: a copy of the bench database with
credit_management upgraded and credit_management_queue installed):

    .venv/bin/python bench/bench_queue.py BASE_DB COMPANY_ID [--runs inline,1,2]

Gives the customers their limits in BASE_DB once (bench/bench_jobs.py's
``_set_limits``: 60 % to 150 % of their receivable), then, for each run, on
its own fresh copy of BASE_DB (``createdb -T``, dropped afterwards unless
--keep), so that every run starts from the same state:

* ``inline``: the aging cron then the warnings cron, in this process, as
  without queue_job (batches of 500 run one after the other).
* ``N`` (1, 2): a real Odoo server started on the copy with
  ``--load=web,queue_job``, 3 HTTP workers (prefork) and a configuration
  file whose ``[queue_job] channels`` is ``root:N,root.credit:N``: its job
  runner runs at most N credit jobs at once, each in its own worker process.
  Once the runner is ready, the aging and warnings crons are run here with
  the queue on (they enqueue one job per company and batch of 500), and the
  wall time is taken from the first enqueue until no job is pending,
  enqueued or started any more.

For each queued run it checks that no batch ran twice: every job's identity
exists once, is ``done`` (none failed), and the server log shows exactly one
"credit batch started" line per identity; and that the result equals the
inline run's (warnings by type, severity and state; aging snapshots of the
day). Prints one JSON line per run, then a summary.
"""
import argparse
import collections
import configparser
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

import psycopg2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
sys.path.insert(0, os.path.join(ROOT, "bench"))

import odoo  # noqa: E402
import odoo.addons  # noqa: E402
from odoo import SUPERUSER_ID, api, fields  # noqa: E402

from ports import owned_by_session  # noqa: E402

WORKERS = 3


def _free_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def _admin(sql):
    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    conn.cursor().execute(sql)
    conn.close()


def _copy(base, name):
    _admin('DROP DATABASE IF EXISTS "%s"' % name)
    _admin('CREATE DATABASE "%s" TEMPLATE "%s"' % (name, base))


def _env_run(db, func):
    registry = odoo.registry(db)
    with api.Environment.manage(), registry.cursor() as cr:
        return func(api.Environment(cr, SUPERUSER_ID, {}))


def _state(cr, company_id, date):
    cr.execute("""SELECT warning_type, severity, state, count(*)
                    FROM credit_warning WHERE company_id = %s
                   GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""", (company_id,))
    warnings = [list(row) for row in cr.fetchall()]
    cr.execute("""SELECT count(*), round(sum(amount_total), 2),
                         round(sum(amount_overdue), 2)
                    FROM credit_aging WHERE company_id = %s AND date = %s""",
               (company_id, date))
    aging = [float(value or 0) for value in cr.fetchone()]
    return {"warnings": warnings,
            "warning_count": sum(row[3] for row in warnings),
            "aging": aging}


def run_inline(db, company_id):
    def work(env):
        date = fields.Date.context_today(env.user)
        env = env(context={"credit_cron_queue": False})
        started = time.time()
        env["credit.aging"]._cron_compute(date=date, company_ids=[company_id])
        env.cr.commit()
        aging = time.time() - started
        env["credit.warning"]._cron_evaluate(date=date,
                                             company_ids=[company_id])
        env.cr.commit()
        total = time.time() - started
        result = {"run": "inline", "seconds": round(total, 1),
                  "aging_seconds": round(aging, 1),
                  "warnings_seconds": round(total - aging, 1)}
        result.update(_state(env.cr, company_id, date))
        return result
    return _env_run(db, work)


def _start_server(db, capacity, logfile):
    conf = os.path.join(ROOT, "var", "bench_queue_%s.conf" % db)
    out = subprocess.check_output(
        [os.path.join(ROOT, ".venv", "bin", "python"),
         os.path.join(ROOT, "scripts", "odoo_conf.py"), db]).decode()
    parser = configparser.ConfigParser()
    parser.read_string(out)
    port, longpolling = _free_port(), _free_port()
    parser["options"].update({
        "http_port": str(port), "longpolling_port": str(longpolling),
        "workers": str(WORKERS), "max_cron_threads": "0",
        "server_wide_modules": "web,queue_job", "dbfilter": "^%s$" % db,
        "limit_time_real": "7200", "limit_time_cpu": "7200",
        "limit_memory_soft": str(4 << 30), "limit_memory_hard": str(5 << 30),
        "logfile": logfile, "log_level": "info"})
    parser["queue_job"] = {"channels": "root:%d,root.credit:%d"
                                       % (capacity, capacity)}
    with open(conf, "w") as handle:
        parser.write(handle)
    env = dict(os.environ)
    for name in list(env):
        if name.startswith("ODOO_QUEUE_JOB"):
            del env[name]
    proc = subprocess.Popen(
        [os.path.join(ROOT, "bin", "odoo"), "-c", conf, "-d", db],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True, env=env)
    deadline = time.time() + 300
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited, see %s" % logfile)
        if os.path.exists(logfile) and \
                "queue job runner ready for db %s" % db in open(logfile).read() \
                and owned_by_session(port, proc.pid):
            return proc, conf
        time.sleep(1)
    raise RuntimeError("the job runner did not start, see %s" % logfile)


def _stop_server(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def run_queued(db, company_id, capacity):
    logfile = os.path.join(ROOT, "var", "bench_queue_%s.log" % db)
    if os.path.exists(logfile):
        os.remove(logfile)
    proc, conf = _start_server(db, capacity, logfile)
    try:
        def enqueue(env):
            date = fields.Date.context_today(env.user)
            env = env(context={"credit_cron_queue": True})
            started = time.time()
            env["credit.aging"]._cron_compute(date=date,
                                              company_ids=[company_id])
            env["credit.warning"]._cron_evaluate(date=date,
                                                 company_ids=[company_id])
            env.cr.commit()
            return started, time.time() - started, date
        started, enqueue_seconds, date = _env_run(db, enqueue)
        conn = psycopg2.connect(dbname=db)
        conn.autocommit = True
        cur = conn.cursor()
        while True:
            cur.execute("""SELECT count(*) FROM queue_job
                            WHERE state IN ('pending', 'enqueued', 'started')""")
            if not cur.fetchone()[0]:
                break
            if proc.poll() is not None:
                raise RuntimeError("the server died, see %s" % logfile)
            time.sleep(0.5)
        seconds = time.time() - started
        cur.execute("""SELECT model_name, method_name, identity_key, state,
                              retry, EXTRACT(EPOCH FROM date_done
                                                 - date_started)
                         FROM queue_job ORDER BY id""")
        jobs = cur.fetchall()
        conn.close()
    finally:
        _stop_server(proc)
        os.remove(conf)
    log = open(logfile).read()
    started_lines = collections.Counter(
        re.findall(r"credit batch started: (\S+)", log))
    batches = [job for job in jobs if job[1] == "_credit_queue_run_batch"]
    identities = collections.Counter(job[2] for job in batches)
    busy = sum(float(job[5] or 0) for job in jobs)
    result = {
        "run": "queue, %d at once" % capacity, "seconds": round(seconds, 1),
        "enqueue_seconds": round(enqueue_seconds, 1),
        "jobs": len(jobs), "batch_jobs": len(batches),
        "states": dict(collections.Counter(job[3] for job in jobs)),
        "postponed_jobs": sum(1 for job in jobs if job[4] > 1),
        "job_seconds_sum": round(busy, 1),
        "identities_unique": all(n == 1 for n in identities.values()),
        "each_batch_started_once": set(started_lines) == set(identities)
        and all(n == 1 for n in started_lines.values()),
        "batch_starts_logged": sum(started_lines.values()),
        "log": os.path.relpath(logfile, ROOT),
    }
    result.update(_env_run(db, lambda env: _state(env.cr, company_id, date)))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_db")
    parser.add_argument("company_id", type=int)
    parser.add_argument("--runs", default="inline,1,2")
    parser.add_argument("--no-limits", action="store_true",
                        help="the limits of BASE_DB are already set")
    parser.add_argument("--keep", action="store_true",
                        help="keep the copies (BASE_DB_inline, BASE_DB_q1...)")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["--log-level", "warn"])
    odoo.tools.config["addons_path"] = ",".join(
        [ROOT, os.path.dirname(odoo.addons.__file__)])
    if not args.no_limits:
        from bench_jobs import _set_limits

        def limits(env):
            return _set_limits(env, env["res.company"].browse(args.company_id))
        print(json.dumps({"set_limits": _env_run(args.base_db, limits)}),
              flush=True)
        odoo.sql_db.close_db(args.base_db)
        odoo.modules.registry.Registry.delete(args.base_db)
    results = []
    for run in args.runs.split(","):
        copy = "%s_%s" % (args.base_db, "inline" if run == "inline"
                          else "q%s" % run)
        _copy(args.base_db, copy)
        try:
            if run == "inline":
                result = run_inline(copy, args.company_id)
            else:
                result = run_queued(copy, args.company_id, int(run))
        finally:
            odoo.sql_db.close_db(copy)
            odoo.modules.registry.Registry.delete(copy)
            if not args.keep:
                _admin('DROP DATABASE IF EXISTS "%s"' % copy)
        results.append(result)
        print(json.dumps(result), flush=True)
    inline = next((r for r in results if r["run"] == "inline"), None)
    queued = [r for r in results if r["run"] != "inline"]
    summary = {}
    for result in queued:
        if inline:
            summary[result["run"]] = {
                "same_warnings_as_inline":
                    result["warnings"] == inline["warnings"],
                "same_aging_as_inline": result["aging"] == inline["aging"]}
    if len(queued) >= 2:
        summary["speed_up_%s_vs_%s" % (queued[-1]["run"], queued[0]["run"])] = \
            round(queued[0]["seconds"] / queued[-1]["seconds"], 2)
    print(json.dumps({"summary": summary}), flush=True)


if __name__ == "__main__":
    main()
