"""Retake the screenshots of credit_management/static/description/.

Serves an existing demo database (made by ``make demo`` / scripts/demo.sh)
with the e2e harness and photographs the key screens in headless Chromium,
each as the role that uses it. Nothing is changed in the database.

    .venv/bin/python scripts/screenshots.py [--db credit_demo] [--ports 8390-8399]
"""
import argparse
import os
import shutil
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "e2e"))

from browser import Browser  # noqa: E402
from harness import OdooDatabase, OdooServer, free_port, log  # noqa: E402

TARGET = os.path.join(ROOT, "credit_management", "static", "description")


class DemoDatabase(OdooDatabase):
    """The demo database as scripts/demo.sh serves it (demo data, default
    data directory)."""

    def odoo_args(self):
        return [os.path.join(ROOT, "bin", "odoo"), "-d", self.name]


# (file name, login, password, URL fragment of the web client, text to wait for)
SHOTS = [
    ("credit_aging.png", "controller", "controller",
     "action=credit_management.credit_aging_analysis_action", None),
    ("credit_kpi.png", "controller", "controller",
     "action=credit_management.credit_kpi_report_action", None),
    ("credit_warnings.png", "controller", "controller",
     "action=credit_management.credit_warning_action", None),
    ("credit_collections.png", "controller", "controller",
     "action=credit_management.credit_collection_log_action", None),
    ("credit_customers.png", "manager", "manager",
     "action=credit_management.res_partner_credit_action", None),
    ("credit_backtest.png", "controller", "controller",
     "model=credit.scorecard.backtest&view_type=form&id={backtest}", "Charts"),
]


def take(db, ports):
    database = DemoDatabase(db, tempfile.mkdtemp(prefix="credit-shots-"))
    if not database.installed():
        raise SystemExit("database %s has no credit_management: run "
                         "DEMO_DB=%s make demo first" % (db, db))
    server = OdooServer(database, free_port(ports))
    browser = None
    try:
        server.start()
        backtest = server.rpc().ref("credit_management.backtest_history_demo")
        browser = Browser(server.url, database.artifacts)
        os.makedirs(TARGET, exist_ok=True)
        for name, login, password, fragment, tab in SHOTS:
            browser.login(login, password)
            browser.goto("/web#" + fragment.format(backtest=backtest))
            browser.wait_webclient()
            if tab:
                browser.click("//a[@role='tab'][normalize-space(.)='%s']" % tab)
            path = browser.screenshot(name[:-4])
            browser.raise_if_error_dialog()
            shutil.copyfile(path, os.path.join(TARGET, name))
            log("%s (%s)" % (name, login))
    finally:
        if browser is not None:
            browser.quit()
        server.stop()
        shutil.rmtree(database.artifacts, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("DEMO_DB", "credit_demo"))
    parser.add_argument("--ports", default=os.environ.get("E2E_PORTS"))
    args = parser.parse_args()
    take(args.db, args.ports)


if __name__ == "__main__":
    main()
