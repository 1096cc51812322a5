"""Fixtures of the end-to-end tests: one fresh database, one Odoo server and
one headless Chromium for the whole run, all stopped at the end, on failure
too (fixtures' finally blocks, and an atexit hook that kills the process
groups this run started).

Run with ``make e2e`` (scripts/e2e.sh). Environment:
  E2E_DB     database name (dropped and re-created), default credit_e2e
  E2E_PORTS  port range for Odoo, e.g. 8150-8159; default: a free port the system picks
  E2E_ARTIFACTS  folder for screenshots and logs; default var/e2e-artifacts/<UTC time>
  E2E_KEEP_DB=1  keep the database afterwards; E2E_REUSE_DB=1 reuse a kept one, or
  E2E_TEMPLATE_DB=name  copy an installed database (development: a pristine copy in seconds)
"""
import os
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# and the helpers of scripts/ (ports.py) when pytest is run directly
sys.path.insert(1, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "scripts"))

from browser import Browser, chromium_version  # noqa: E402
from harness import ROOT, OdooDatabase, OdooServer, free_port, log  # noqa: E402
import seed  # noqa: E402

ARTIFACTS = os.environ.get("E2E_ARTIFACTS") or os.path.join(
    ROOT, "var", "e2e-artifacts", time.strftime("%Y%m%d-%H%M%S", time.gmtime()))


def pytest_report_header(config):
    return ["e2e: %s; screenshots and logs in %s" % (chromium_version(), ARTIFACTS)]


def pytest_collection_modifyitems(items):
    for item in items:  # every end-to-end test runs against a real Odoo server
        item.add_marker(pytest.mark.server)


@pytest.fixture(scope="session")
def artifacts():
    os.makedirs(ARTIFACTS, exist_ok=True)
    log("screenshots and logs: %s" % ARTIFACTS)
    return ARTIFACTS


@pytest.fixture(scope="session")
def odoo(artifacts):
    """A running Odoo with a fresh database, the addon and the test people."""
    database = OdooDatabase(os.environ.get("E2E_DB", "credit_e2e"), artifacts)
    template = os.environ.get("E2E_TEMPLATE_DB")
    if template and OdooDatabase(template, artifacts).installed():
        database.copy_from(template)
    elif not (os.environ.get("E2E_REUSE_DB") and database.installed()):
        database.create()
    server = OdooServer(database, free_port(os.environ.get("E2E_PORTS")))
    try:
        server.start()
        server.data = seed.seed(server.rpc())
        yield server
    finally:
        server.stop()
        log("Odoo stopped")
        if not os.environ.get("E2E_KEEP_DB"):
            database.drop()


@pytest.fixture(scope="session")
def rpc(odoo):
    return odoo.rpc()


@pytest.fixture(scope="session")
def browser(odoo, artifacts):
    chromium = Browser(odoo.url, artifacts)
    try:
        yield chromium
    finally:
        log("browser console log: %s" % chromium.save_console())
        chromium.quit()


@pytest.fixture
def web(browser, request):
    """The browser, for one test: screenshots get the test's name."""
    browser.test_name = request.node.name
    yield browser
    browser.collect_console()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    browser = item.funcargs.get("web") or item.funcargs.get("browser")
    if browser is None:
        return
    lines = []
    try:
        lines.append("screenshot: %s" % browser.screenshot("FAILED-" + item.name))
        lines.append("url: %s" % browser.driver.current_url)
    except Exception as exc:  # the browser itself may be what failed
        lines.append("no screenshot: %s" % exc)
    browser.collect_console()
    lines.append("browser console (%d entries, all in %s):" % (
        len(browser.console), browser.save_console()))
    for entry in browser.console[-30:]:
        lines.append("  %s %s" % (entry.get("level"), entry.get("message", "")[:500]))
    report.sections.append(("e2e evidence", "\n".join(lines)))


def pytest_terminal_summary(terminalreporter):
    if os.path.isdir(ARTIFACTS):
        terminalreporter.write_line("e2e screenshots and logs: %s" % ARTIFACTS)
