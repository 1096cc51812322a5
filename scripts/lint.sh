#!/usr/bin/env bash
# flake8 and pylint-odoo (OCA's 11.0 set) on the addon, the tests and bench;
# OCA's own checks (oca-odoo-pre-commit-hooks) on the addon and its translations.
# Mandatory pylint-odoo checks and flake8 block; optional checks are reported.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
echo "[lint] flake8"
.venv/bin/flake8 credit_management credit_management_queue scripts $(ls -d bench 2>/dev/null)
.venv/bin/flake8 --max-line-length=100 tests e2e
echo "[lint] pylint-odoo mandatory checks"
.venv/bin/pylint --rcfile=.pylintrc-mandatory --output-format=parseable credit_management credit_management_queue
echo "[lint] pylint-odoo optional checks (reported)"
.venv/bin/pylint --rcfile=.pylintrc --output-format=parseable credit_management \
    || echo "[lint] optional checks above are worth fixing"
echo "[lint] OCA's checks (oca-odoo-pre-commit-hooks in .venv-oca; exceptions in .oca_hooks.cfg)"
[ -x .venv-oca/bin/oca-checks-odoo-module ] \
    || { echo "[lint] .venv-oca missing: run 'make setup' (needs a Python >= 3.9)" >&2; exit 1; }
.venv-oca/bin/oca-checks-odoo-module credit_management
.venv-oca/bin/oca-checks-po credit_management/i18n/*.po credit_management/i18n/*.pot
echo "[lint] README.rst and index.html up to date with readme/*.rst"
.venv/bin/python scripts/gen_readme.py --check credit_management credit_management_queue
echo "[lint] clean"
