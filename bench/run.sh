#!/usr/bin/env bash
# Benchmarks (see bench/README.md); prints JSON lines.
#   bash bench/run.sh [check]      order check cost (1,000 customers + big customers
#                                  with 10 / 1,000 / 10,000 / 100,000 open items) and
#                                  the customer filters at 1,000 customers
#   SCALE=large bash bench/run.sh  filters at 20,000 customers, 1,000,000 items
#   bash bench/run.sh posting      journal posting, invoice validation and payments
#                                  with and without the addon, side by side
#                                  (POSTING_RUNS=5 rounds of the heavy operations)
#   bash bench/run.sh install      installing the addon into a database with
#                                  ITEMS=100000 open receivable items
# Databases: ${BENCH_DB:-credit_bench}_{base,cm,oca} (check),
# ${BENCH_DB}_post_{base,cm} (posting), ${BENCH_DB}_inst_{small,big} (install,
# dropped afterwards); OCA's sale_financial_risk 11.0 is downloaded into
# var/oca (never committed) and installed beside (check only).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PY=.venv/bin/python
DB="${BENCH_DB:-credit_bench}"
SCALE="${SCALE:-small}"
RUNS="${RUNS:-9}"
OCA="$ROOT/var/oca"
ODOO_ADDONS="$("$PY" -c 'import odoo.addons, os; print(os.path.dirname(odoo.addons.__file__))')"

MODE="${1:-check}"
DEPS=account_invoicing,sale_management,report_xlsx,base_tier_validation

psql_do() { psql -d postgres -qAtc "$1"; }

if [ "$MODE" = posting ] || [ "$MODE" = install ]; then
    # plain Odoo with the addon's dependencies, and the same plus the addon
    psql_do "DROP DATABASE IF EXISTS ${DB}_post_base"
    psql_do "DROP DATABASE IF EXISTS ${DB}_post_cm"
    bin/odoo -d "${DB}_post_base" -i "$DEPS" --without-demo=all \
        --stop-after-init --log-level=warn
    if [ "$MODE" = install ]; then
        "$PY" bench/measure_install.py "${DB}_post_base" --items "${ITEMS:-100000}" \
            --customers "${CUSTOMERS:-2000}" --prefix "${DB}_inst" | grep '^{'
        exit 0
    fi
    "$PY" bench/measure_posting.py setup "${DB}_post_base" | grep -v ' INFO '
    psql_do "CREATE DATABASE ${DB}_post_cm TEMPLATE ${DB}_post_base"
    bin/odoo -d "${DB}_post_cm" -i credit_management --stop-after-init --log-level=warn
    for flavour in base cm; do psql -d "${DB}_post_${flavour}" -qc "VACUUM ANALYZE"; done
    "$PY" bench/measure_posting.py measure "${DB}_post_base" "${DB}_post_cm" \
        --runs "${POSTING_RUNS:-5}" | grep '^{'
    exit 0
fi

if [ ! -d "$OCA/odoo/addons/sale_financial_risk" ]; then
    mkdir -p "$OCA/wheels"
    .venv/bin/pip download --no-deps -d "$OCA/wheels" \
        odoo11-addon-sale-financial-risk odoo11-addon-account-financial-risk
    for w in "$OCA"/wheels/*.whl; do "$PY" -m zipfile -e "$w" "$OCA"; done
fi

if [ "$SCALE" = large ]; then
    GEN=(--customers 20000 --items 50 --orders 1 --big "")
else
    GEN=(--customers 1000 --items 10 --big 10,1000,10000,100000)
fi

for flavour in base cm oca; do psql_do "DROP DATABASE IF EXISTS ${DB}_${flavour}"; done
bin/odoo -d "${DB}_base" -i sale_management,account_invoicing --without-demo=all \
    --stop-after-init --log-level=warn
"$PY" bench/generate.py "${DB}_base" "${GEN[@]}" 2>&1 | grep -v ' INFO '
for flavour in cm oca; do psql_do "CREATE DATABASE ${DB}_${flavour} TEMPLATE ${DB}_base"; done
bin/odoo -d "${DB}_cm" -i credit_management --stop-after-init --log-level=warn
"$PY" -c 'import sys, odoo.cli; sys.argv[0] = "odoo"; odoo.cli.main()' \
    --addons-path="$OCA/odoo/addons,$ODOO_ADDONS" -d "${DB}_oca" -i sale_financial_risk \
    --stop-after-init --log-level=warn
for flavour in base cm oca; do psql -d "${DB}_${flavour}" -qc "VACUUM ANALYZE"; done

if [ "$SCALE" != large ]; then
    for flavour in base cm oca; do
        "$PY" bench/measure_check.py "${DB}_${flavour}" --flavour "$flavour" \
            --runs "$RUNS" --addons-path "$OCA/odoo/addons" | grep '^{'
    done
fi
"$PY" bench/measure_filters.py "${DB}_cm" --flavour cm --runs 7 | grep '^{'
if [ "$SCALE" != large ]; then
    "$PY" bench/measure_filters.py "${DB}_oca" --flavour oca --runs 1 \
        --addons-path "$OCA/odoo/addons" | grep '^{'
fi
