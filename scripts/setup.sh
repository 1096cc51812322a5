#!/usr/bin/env bash
# Idempotent set-up: Python 3.7 virtualenv with Odoo 11 and the addon's dependencies,
# a running PostgreSQL with a login role for this user, and bin/odoo.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- Python 3.7
find_python() {
    local cand
    for cand in "${PYTHON37:-}" \
                "$(command -v pyenv >/dev/null 2>&1 && echo "$(pyenv root)/versions/3.7.16/bin/python")" \
                "${HOME}/.pyenv/versions/3.7.16/bin/python" \
                "$(command -v python3.7 || true)"; do
        [ -n "$cand" ] && [ -x "$cand" ] || continue
        if "$cand" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 7) else 1)' 2>/dev/null; then
            echo "$cand"; return 0
        fi
    done
    for cand in "${HOME}"/.pyenv/versions/3.7*/bin/python; do
        [ -x "$cand" ] && { echo "$cand"; return 0; }
    done
    return 1
}

VENV="$ROOT/.venv"
STAMP="$VENV/.credit-setup-stamp"
REQ_HASH="$(cat requirements.txt requirements-oca.txt requirements-dev.txt constraints.txt | sha1sum | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$REQ_HASH" ]; then
    PY="$(find_python)" || die "Python 3.7 was not found. Odoo 11 needs Python 3.7: install it (e.g. 'pyenv install 3.7.16') or set PYTHON37=/path/to/python3.7."
    say "using $PY ($("$PY" --version 2>&1))"
    [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check 'setuptools<58' 'pip<24' wheel
    say "installing Odoo 11 and dependencies (about 30 s)"
    "$VENV/bin/pip" install -q --disable-pip-version-check --no-build-isolation \
        -c constraints.txt -r requirements.txt
    "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps -r requirements-oca.txt
    if [ -f requirements-dev.txt ]; then
        "$VENV/bin/pip" install -q --disable-pip-version-check --no-build-isolation \
            -c constraints.txt -r requirements-dev.txt
    fi
    echo "$REQ_HASH" > "$STAMP"
else
    say "virtualenv up to date"
fi

# ---------------------------------------------------------------- .venv-oca (tools)
# OCA's checks (oca-odoo-pre-commit-hooks) need Python >= 3.9; they and the
# wheel builder (setuptools-odoo) live in their own virtualenv, pinned in
# requirements-tools.txt. Used by scripts/lint.sh and scripts/wheel_check.sh.
find_python_tools() {
    local cand
    for cand in "${PYTHON_TOOLS:-}" \
                "$(command -v pyenv >/dev/null 2>&1 && echo "$(pyenv root)/versions/3.11.7/bin/python")" \
                "${HOME}"/.pyenv/versions/3.1[0-2]*/bin/python \
                "${HOME}"/.pyenv/versions/3.9*/bin/python \
                "$(command -v python3 || true)"; do
        [ -n "$cand" ] && [ -x "$cand" ] || continue
        if "$cand" -c 'import sys, venv; sys.exit(0 if sys.version_info[:2] >= (3, 9) else 1)' 2>/dev/null; then
            echo "$cand"; return 0
        fi
    done
    return 1
}
TOOLS_VENV="$ROOT/.venv-oca"
TOOLS_STAMP="$TOOLS_VENV/.credit-setup-stamp"
TOOLS_HASH="$(sha1sum requirements-tools.txt | cut -d' ' -f1)"
if [ ! -x "$TOOLS_VENV/bin/python" ] || [ "$(cat "$TOOLS_STAMP" 2>/dev/null)" != "$TOOLS_HASH" ]; then
    if TOOLS_PY="$(find_python_tools)"; then
        say "installing OCA's checks and setuptools-odoo in .venv-oca ($("$TOOLS_PY" --version 2>&1))"
        [ -x "$TOOLS_VENV/bin/python" ] || "$TOOLS_PY" -m venv "$TOOLS_VENV"
        "$TOOLS_VENV/bin/pip" install -q --disable-pip-version-check -r requirements-tools.txt
        echo "$TOOLS_HASH" > "$TOOLS_STAMP"
    else
        say "WARNING: no Python >= 3.9 found (pyenv, python3 or PYTHON_TOOLS=...): 'make lint' and the wheel check need it"
    fi
fi

# ---------------------------------------------------------------- lessc (web client styles)
# Odoo 11 compiles its LESS stylesheets with `lessc`; Debian's node-less does
# not run on every Node.js, so the project keeps its own pinned copy.
LESS_VERSION=3.13.1
LESSC="$VENV/node/node_modules/.bin/lessc"
if [ ! -x "$LESSC" ] || ! "$LESSC" --version 2>/dev/null | grep -q "$LESS_VERSION"; then
    if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing Node.js and npm (Debian packages) for lessc"
        apt-get install -y -q nodejs npm >/dev/null 2>&1 \
            || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q nodejs npm >/dev/null 2>&1; } || true
    fi
    if command -v npm >/dev/null 2>&1; then
        say "installing lessc $LESS_VERSION"
        mkdir -p "$VENV/node"
        npm install --silent --no-audit --no-fund --prefix "$VENV/node" "less@$LESS_VERSION" >/dev/null \
            || say "WARNING: could not install lessc; the web client will be unstyled"
    else
        say "WARNING: npm not found; the web client will be unstyled (install Node.js and npm)"
    fi
fi

# ---------------------------------------------------------------- PostgreSQL
pg_ok() { "$VENV/bin/python" - <<'PY' 2>/dev/null
import psycopg2
psycopg2.connect(dbname="postgres").close()
PY
}
if ! pg_ok; then
    if [ -z "${PGHOST:-}" ] && command -v pg_lsclusters >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        read -r ver name <<<"$(pg_lsclusters -h | awk '{print $1, $2; exit}')"
        [ -n "${ver:-}" ] || die "no PostgreSQL cluster found (install Debian's postgresql package)."
        if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
            say "starting PostgreSQL cluster $ver/$name"
            pg_ctlcluster "$ver" "$name" start || die "could not start PostgreSQL $ver/$name; see /var/log/postgresql/"
        fi
        role="${PGUSER:-$(id -un)}"
        su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$role'\"" | grep -q 1 \
            || su postgres -c "psql -qc 'CREATE ROLE \"$role\" LOGIN SUPERUSER'"
    fi
    for _ in $(seq 1 20); do pg_ok && break; sleep 0.5; done
    pg_ok || die "PostgreSQL is not reachable (PGHOST=${PGHOST:-<socket>} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-$(id -un)}). Start a PostgreSQL >= 10 server or set PGHOST/PGPORT/PGUSER/PGPASSWORD."
fi
say "PostgreSQL reachable"

# ---------------------------------------------------------------- wkhtmltopdf (PDF reports)
if ! command -v wkhtmltopdf >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing wkhtmltopdf (Debian package) for PDF reports"
    (apt-get install -y -q wkhtmltopdf >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q wkhtmltopdf >/dev/null 2>&1; }) \
        || say "WARNING: could not install wkhtmltopdf; PDF reports will render as HTML only"
fi
# ---------------------------------------------------------------- CJK font (Chinese PDF reports)
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null | head -1)" ] \
        && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing a Chinese font (Debian's fonts-wqy-microhei) for PDF reports in Chinese"
    (apt-get install -y -q fonts-wqy-microhei >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q fonts-wqy-microhei >/dev/null 2>&1; }) \
        || say "WARNING: could not install fonts-wqy-microhei; Chinese PDF reports will show empty boxes"
fi
# ---------------------------------------------------------------- end-to-end tests
# Debian's Chromium and its driver (no browser is ever downloaded at run time)
# and Selenium in the virtualenv.
E2E_PKGS=()
[ -x /usr/bin/chromium ] || E2E_PKGS+=(chromium)
[ -x /usr/bin/chromedriver ] || E2E_PKGS+=(chromium-driver)
if [ "${#E2E_PKGS[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing ${E2E_PKGS[*]} (Debian packages) for the end-to-end tests"
        (apt-get install -y -q "${E2E_PKGS[@]}" >/dev/null 2>&1 \
            || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "${E2E_PKGS[@]}" >/dev/null 2>&1; }) \
            || say "WARNING: could not install ${E2E_PKGS[*]}; 'make e2e' will fail until they are installed"
    else
        say "WARNING: ${E2E_PKGS[*]} missing and this is not root with apt-get: install them (Debian: apt-get install ${E2E_PKGS[*]}) for 'make e2e'"
    fi
fi
E2E_STAMP="$VENV/.credit-e2e-stamp"
E2E_HASH="$(sha1sum requirements-e2e.txt | cut -d' ' -f1)"
if [ "$(cat "$E2E_STAMP" 2>/dev/null)" != "$E2E_HASH" ]; then
    say "installing Selenium (requirements-e2e.txt)"
    "$VENV/bin/pip" install -q --disable-pip-version-check -c constraints.txt -r requirements-e2e.txt
    echo "$E2E_HASH" > "$E2E_STAMP"
fi
say "ready: bin/odoo runs Odoo 11 with this repository's addons"
