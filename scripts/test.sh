#!/usr/bin/env bash
# Runs every test: pure domain tests and pytest-odoo tests against a fresh
# database with the addon installed (without demo data; the demo install is
# itself a test). Exit code non-zero on any failure.
set -euo pipefail
SECONDS=0
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
DB="${TEST_DB:-credit_test}"
PY=.venv/bin/python
mkdir -p var
echo "[test] creating test database $DB"
"$PY" - "$DB" <<'PY'
import sys, psycopg2
conn = psycopg2.connect(dbname="postgres")
conn.autocommit = True
cur = conn.cursor()
cur.execute('DROP DATABASE IF EXISTS "%s"' % sys.argv[1])
PY
bin/odoo -d "$DB" -i credit_management,credit_management_stock,credit_management_queue --without-demo=all --stop-after-init \
    --log-level=warn --logfile=var/test-install.log \
    || { tail -50 var/test-install.log; echo "[test] install failed"; exit 1; }
"$PY" scripts/odoo_conf.py "$DB" > var/odoo-test.conf
echo "[test] running pytest"
mkdir -p var/test-results
rm -f var/test-results/pytest.xml var/test-results/e2e.xml
set +e
export PYTHONPATH="$ROOT/scripts${PYTHONPATH:+:$PYTHONPATH}"  # pytest_timing
phase_start=$SECONDS
"$PY" -m pytest -p no:cacheprovider -p pytest_timing --odoo-config=var/odoo-test.conf \
    --odoo-log-level=warn --junitxml=var/test-results/pytest.xml tests "$@"
rc=$?
pytest_seconds=$((SECONDS - phase_start))
# The addon's wheel installed into a clean virtualenv and database
# (scripts/wheel_check.sh); SKIP_WHEEL=1 leaves it out of a local run.
wheel_rc=0
wheel_seconds=0
if [ -z "${SKIP_WHEEL:-}" ]; then
    wheel_start=$SECONDS
    TEST_DB="$DB" bash scripts/wheel_check.sh || wheel_rc=$?
    echo "[test] wheel check: $([ "$wheel_rc" -eq 0 ] && echo ok || echo FAILED)" \
         "in $((SECONDS - wheel_start))s"
    wheel_seconds=$((SECONDS - wheel_start))
fi
# End-to-end tests in headless Chromium (scripts/e2e.sh), on their own database;
# SKIP_E2E=1 leaves them out of a local run.
e2e_rc=0
if [ -z "${SKIP_E2E:-}" ]; then
    E2E_DB="${E2E_DB:-${DB}_e2e}" bash scripts/e2e.sh --junitxml=var/test-results/e2e.xml
    e2e_rc=$?
fi
echo "[test] time: database install $((phase_start))s, pytest-odoo ${pytest_seconds}s," \
     "wheel check ${wheel_seconds}s," \
     "end-to-end $((SECONDS - phase_start - pytest_seconds - wheel_seconds))s, total ${SECONDS}s"
set -e
"$PY" - "var/test-results/pytest.xml=$rc" "var/test-results/e2e.xml=$e2e_rc" <<'PY'
import os, sys
import xml.etree.ElementTree as ET
passed = failed = skipped = 0
for arg in sys.argv[1:]:
    path, _sep, code = arg.rpartition("=")
    if not os.path.exists(path):
        if code != "0":  # the run broke before reporting any test
            print("[test] %s: no results (exit %s)" % (os.path.basename(path), code))
            failed += 1
        continue
    for suite in ET.parse(path).getroot().iter("testsuite"):
        tests, skip = int(suite.get("tests", 0)), int(suite.get("skipped", 0))
        bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        passed += tests - skip - bad
        failed += bad
        skipped += skip
        print("[test] %s: %d passed, %d failed, %d skipped"
              % (os.path.basename(path), tests - skip - bad, bad, skip))
print("total: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
PY
[ "$rc" -ne 0 ] && exit "$rc"
[ "$wheel_rc" -ne 0 ] && { echo "[test] the wheel check failed"; exit "$wheel_rc"; }
exit "$e2e_rc"
