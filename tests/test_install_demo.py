"""Installing the addon: with demo data (the portfolio users try) and on a new database.

Runs bin/odoo as a user would, into databases of its own, and reads the
result back with plain SQL.
"""
import os
import subprocess

import psycopg2
import pytest
from odoo.tools import config

pytestmark = pytest.mark.server  # runs Odoo in its own processes (timing summary)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ODOO = os.path.join(ROOT, "bin", "odoo")


def _odoo(db, *args):
    proc = subprocess.run(
        [ODOO, "-d", db, "--stop-after-init", "--log-level=warn"] + list(args),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900,
        universal_newlines=True)
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert "Traceback" not in proc.stdout, proc.stdout[-4000:]
    return proc.stdout


def _drop(db):
    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute('DROP DATABASE IF EXISTS "%s"' % db)
    conn.close()


@pytest.fixture
def scratch_db():
    name = "%s_install" % config["db_name"]
    _drop(name)
    yield name
    _drop(name)


def _query(db, sql, params=None):
    conn = psycopg2.connect(dbname=db)
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()
    finally:
        conn.close()


def test_install_with_demo_portfolio(scratch_db):
    """The demo database has graded customers, limits, open and overdue invoices."""
    _odoo(scratch_db, "-i", "sale_management,account_invoicing")
    _odoo(scratch_db, "-i", "credit_management")
    # the credit profile is per company (company-dependent fields)
    graded = dict(_query(scratch_db, """
        SELECT g.code, count(*)
          FROM credit_partner_profile((SELECT MIN(id) FROM res_company)) p
          JOIN credit_grade g ON g.id = p.credit_grade_id GROUP BY g.code"""))
    for code in ("AAA", "AA", "A", "B", "C", "D"):
        assert graded.get(code), "no demo customer of grade %s" % code
    [(open_amount, overdue_amount)] = _query(scratch_db, """
        SELECT sum(residual_company_signed),
               sum(CASE WHEN date_due < CURRENT_DATE THEN residual_company_signed END)
          FROM account_invoice WHERE state = 'open' AND type = 'out_invoice'""")
    assert open_amount > 0 and overdue_amount > 0
    logins = {row[0] for row in _query(scratch_db, "SELECT login FROM res_users")}
    assert {"admin", "sales", "controller", "manager"} <= logins
    [(mode,)] = _query(scratch_db, "SELECT check_mode FROM credit_policy")
    assert mode == "block"
    # credit files: dossiers with statements, an approved evaluation per grade in use
    [(dossiers, with_statements)] = _query(scratch_db, """
        SELECT count(*), count(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM credit_financial_statement s WHERE s.dossier_id = d.id))
          FROM credit_dossier d""")
    assert dossiers >= 7 and with_statements >= 6
    approved = {row[0] for row in _query(scratch_db, """
        SELECT g.code FROM credit_evaluation e
          JOIN credit_grade g ON g.id = e.final_grade_id
          JOIN credit_partner_profile(e.company_id) p
            ON p.partner_id = e.partner_id AND p.credit_grade_id = g.id
         WHERE e.state = 'approved'""")}
    assert set(graded) <= approved
    states = {row[0] for row in _query(scratch_db, "SELECT state FROM credit_limit_request")}
    assert {"approved", "to_approve"} <= states
    [(groups, members)] = _query(scratch_db, """
        SELECT count(DISTINCT g.id), count(m.id) FROM credit_group g
          JOIN credit_group_member m ON m.group_id = g.id WHERE g.credit_limit > 0""")
    assert groups >= 1 and members >= 2
    pending = _query(scratch_db, "SELECT state FROM credit_policy_version "
                                 "WHERE state = 'to_approve'")
    assert pending, "no pending policy change in the demo"


def test_install_with_demo_on_new_database_in_one_go(scratch_db):
    """Installing the addon alone on an empty database with demo data works: the
    portfolio is there and its invoices wait for a chart of accounts."""
    out = _odoo(scratch_db, "-i", "credit_management")
    assert "ERROR %s odoo.modules.loading" % scratch_db not in out
    assert "demo invoices skipped" in out
    [(graded,)] = _query(scratch_db, """
        SELECT count(*) FROM credit_partner_profile((SELECT MIN(id) FROM res_company))
         WHERE credit_grade_id IS NOT NULL""")
    assert graded >= 6
    [(installed,)] = _query(scratch_db, """
        SELECT count(*) FROM ir_module_module
         WHERE name IN ('credit_management', 'l10n_generic_coa') AND state = 'installed'""")
    assert installed == 2
