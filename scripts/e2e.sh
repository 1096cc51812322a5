#!/usr/bin/env bash
# End-to-end tests: Odoo's real web client in headless Chromium (Selenium).
# Starts Odoo on a free local port against a fresh database ($E2E_DB, default
# credit_e2e) with the addon and test users, runs e2e/, stops everything.
# Screenshots and logs go to var/e2e-artifacts/<UTC time>/ (printed).
# Runs pytest without pytest-odoo (-p no:odoo): Odoo runs in its own process.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PY=.venv/bin/python
CHROMIUM="${E2E_CHROMIUM:-/usr/bin/chromium}"
CHROMEDRIVER="${E2E_CHROMEDRIVER:-/usr/bin/chromedriver}"
if [ ! -x "$CHROMIUM" ] || [ ! -x "$CHROMEDRIVER" ]; then
    echo "[e2e] ERROR: $CHROMIUM or $CHROMEDRIVER is missing. Install Debian's chromium and" \
         "chromium-driver packages (as root: apt-get install chromium chromium-driver; 'make setup'" \
         "does it when run as root)." >&2
    exit 1
fi
"$PY" -c 'import selenium' 2>/dev/null || {
    echo "[e2e] ERROR: Selenium is not installed in .venv: run 'make setup'." >&2; exit 1; }
export E2E_DB="${E2E_DB:-credit_e2e}"
echo "[e2e] running end-to-end tests (database $E2E_DB)"
export PYTHONPATH="$ROOT/scripts${PYTHONPATH:+:$PYTHONPATH}"  # pytest_timing
exec "$PY" -m pytest -p no:odoo -p no:cacheprovider -p pytest_timing -o testpaths=e2e e2e "$@"
