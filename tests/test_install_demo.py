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
    check_demo_history(scratch_db)
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


# ---------------------------------------------------------------------------
# The living portfolio (demo/credit_history_demo.xml): 18 months of history
# ---------------------------------------------------------------------------
def check_demo_history(db):
    """Right after the install with demo data: the history customers are
    graded through approved evaluations, the aging, KPI, warning and
    collection views have rows over the history, the back-test ran, and the
    ledger written in bulk holds the invariants the ORM keeps."""
    [(customers, graded, approved)] = _query(db, """
        SELECT count(*), count(cp.credit_grade_id),
               count(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM credit_evaluation e
                    WHERE e.partner_id = p.id AND e.state = 'approved'
                      AND e.final_grade_id = cp.credit_grade_id))
          FROM res_partner p
          JOIN credit_partner_profile((SELECT MIN(id) FROM res_company)) cp
            ON cp.partner_id = p.id
         WHERE p.ref ~ '^H[0-9]{3}$'""")
    assert customers == graded == approved == 100
    assert len(_query(db, """
        SELECT DISTINCT cp.credit_grade_id
          FROM res_partner p
          JOIN credit_partner_profile((SELECT MIN(id) FROM res_company)) cp
            ON cp.partner_id = p.id WHERE p.ref ~ '^H[0-9]{3}$'""")) >= 3
    # Receivable Aging: snapshots over the 18 months, today's among them
    [(dates, first, today_rows)] = _query(db, """
        SELECT count(DISTINCT date), min(date),
               count(*) FILTER (WHERE date = CURRENT_DATE)
          FROM credit_aging""")
    assert dates >= 100 and today_rows >= 50
    assert first <= _query(db, "SELECT CURRENT_DATE - 500")[0][0]
    # Credit KPIs: DSO and overdue ratio over time
    [(kpi_dates, kpi_dso)] = _query(db, """
        SELECT count(DISTINCT date), count(*) FILTER (WHERE dso > 0)
          FROM credit_kpi_report""")
    assert kpi_dates == dates and kpi_dso >= 100
    # Credit Warnings (overdue and trend kinds) and collection levels
    kinds = dict(_query(db, """
        SELECT warning_type, count(*) FROM credit_warning
         WHERE state = 'open' GROUP BY warning_type"""))
    assert sum(kinds.values()) >= 10, kinds
    [(collections,)] = _query(db, "SELECT count(*) FROM credit_collection_log")
    assert collections >= 10
    # the scorecard back-test of the demo, with its grade lines
    [(state, observations, bad, auc, lines)] = _query(db, """
        SELECT t.state, t.observation_count, t.bad_count, t.auc,
               (SELECT count(*) FROM credit_scorecard_backtest_grade g
                 WHERE g.backtest_id = t.id AND g.customers > 0)
          FROM credit_scorecard_backtest t
          JOIN ir_model_data d ON d.res_id = t.id
                AND d.model = 'credit.scorecard.backtest'
                AND d.name = 'backtest_history_demo'""")
    assert state == "done" and observations >= 500
    assert 0 < bad < observations and auc > 0.6 and lines >= 3
    # monotonic-ish: the worst grade in use has the highest bad rate
    rates = [row[0] for row in _query(db, """
        SELECT g.bad_rate FROM credit_scorecard_backtest_grade g
          JOIN ir_model_data d ON d.res_id = g.backtest_id
                AND d.model = 'credit.scorecard.backtest'
                AND d.name = 'backtest_history_demo'
         WHERE g.customers > 0 ORDER BY g.min_score""")]
    assert rates[0] == max(rates) > rates[-1]
    # fitted on the same history: a draft scorecard version to review
    [(proposal_state, proposed_auc, proposal_lines)] = _query(db, """
        SELECT p.state, p.proposed_auc,
               (SELECT count(*) FROM credit_scorecard_proposal_grade l
                 WHERE l.proposal_id = p.id)
          FROM credit_scorecard_proposal p
          JOIN ir_model_data d ON d.res_id = p.backtest_id
                AND d.model = 'credit.scorecard.backtest'
                AND d.name = 'backtest_history_demo'""")
    assert proposal_state == "draft" and proposed_auc > 0.6 and proposal_lines >= 6
    # the ledger: every history invoice as the ORM leaves it
    [(invoices, paid, broken)] = _query(db, """
        SELECT count(*), count(*) FILTER (WHERE i.state = 'paid'),
               count(*) FILTER (WHERE
                   (i.state = 'paid') <> i.reconciled
                OR i.residual <> (SELECT sum(l.amount_residual)
                                    FROM account_move_line l
                                    JOIN account_account a ON a.id = l.account_id
                                   WHERE l.move_id = i.move_id
                                     AND a.internal_type = 'receivable')
                OR (SELECT sum(l.debit) - sum(l.credit) FROM account_move_line l
                     WHERE l.move_id = i.move_id) <> 0
                OR (i.state = 'paid') <> EXISTS (
                       SELECT 1 FROM account_partial_reconcile pr
                         JOIN account_move_line l ON l.id = pr.debit_move_id
                        WHERE l.move_id = i.move_id
                          AND pr.amount = i.amount_total
                          AND pr.full_reconcile_id IS NOT NULL))
          FROM account_invoice i
          JOIN res_partner p ON p.id = i.partner_id
         WHERE p.ref ~ '^H[0-9]{3}$'""")
    assert invoices > 1500 and paid > 1300 and broken == 0
    # the receivable balance tables (kept by triggers) agree with the items
    assert not _query(db, """
        SELECT l.partner_id, sum(l.amount_residual)
          FROM account_move_line l
          JOIN account_account a ON a.id = l.account_id
          JOIN account_move m ON m.id = l.move_id
          JOIN res_partner p ON p.id = l.partner_id
         WHERE a.internal_type = 'receivable' AND m.state = 'posted'
           AND NOT l.reconciled AND l.date_maturity IS NOT NULL
           AND p.ref ~ '^H[0-9]{3}$'
         GROUP BY 1
        EXCEPT
        SELECT b.partner_id, sum(b.amount_residual)
          FROM credit_receivable_balance b
          JOIN res_partner p ON p.id = b.partner_id
         WHERE p.ref ~ '^H[0-9]{3}$' GROUP BY 1""")
    # paid late as in the calibration sample (35.6 %, 3.44 days on average)
    [(late_share, mean_late)] = _query(db, """
        SELECT avg((pay.date > i.date_due)::int),
               avg(GREATEST(pay.date - i.date_due, 0))
          FROM account_invoice i
          JOIN res_partner p ON p.id = i.partner_id
          JOIN account_move_line l ON l.move_id = i.move_id AND l.debit > 0
          JOIN account_partial_reconcile pr ON pr.debit_move_id = l.id
          JOIN account_move_line pay ON pay.id = pr.credit_move_id
         WHERE p.ref ~ '^H[0-9]{3}$' AND i.state = 'paid'""")
    assert abs(float(late_share) - 0.356) <= 0.04
    assert abs(float(mean_late) - 3.44) <= 0.7
