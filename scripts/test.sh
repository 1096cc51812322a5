#!/usr/bin/env bash
# Runs every test: pure domain tests and pytest-odoo tests against a fresh
# database with the addon installed (without demo data; the demo install is
# itself a test). Exit code non-zero on any failure.
set -euo pipefail
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
bin/odoo -d "$DB" -i credit_management --without-demo=all --stop-after-init \
    --log-level=warn --logfile=var/test-install.log \
    || { tail -50 var/test-install.log; echo "[test] install failed"; exit 1; }
"$PY" scripts/odoo_conf.py "$DB" > var/odoo-test.conf
echo "[test] running pytest"
set +e
"$PY" -m pytest -p no:cacheprovider --odoo-config=var/odoo-test.conf \
    --odoo-log-level=warn tests "$@"
rc=$?
set -e
exit $rc
