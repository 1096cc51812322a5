#!/usr/bin/env bash
# flake8 and pylint-odoo (OCA's 11.0 set) on the addon, the tests and bench.
# Mandatory pylint-odoo checks and flake8 block; optional checks are reported.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
echo "[lint] flake8"
.venv/bin/flake8 credit_management scripts $(ls -d bench 2>/dev/null)
.venv/bin/flake8 --max-line-length=100 tests e2e
echo "[lint] pylint-odoo mandatory checks"
.venv/bin/pylint --rcfile=.pylintrc-mandatory --output-format=parseable credit_management
echo "[lint] pylint-odoo optional checks (reported)"
.venv/bin/pylint --rcfile=.pylintrc --output-format=parseable credit_management \
    || echo "[lint] optional checks above are worth fixing"
echo "[lint] clean"
