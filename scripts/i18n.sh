#!/usr/bin/env bash
# Regenerates credit_management/i18n/credit_management.pot from a fresh database
# (the addon installed without demo data) and merges it into zh_CN.po with GNU
# gettext: new entries arrive empty (never fuzzy), vanished ones are dropped.
# Then prints what is left to translate. Usage: make i18n [I18N_DB=name]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
DB="${I18N_DB:-credit_i18n}"
DIR=credit_management/i18n
POT="$DIR/credit_management.pot"
PO="$DIR/zh_CN.po"
PY=.venv/bin/python
command -v msgmerge >/dev/null 2>&1 || { echo "[i18n] msgmerge not found: apt-get install gettext"; exit 1; }
mkdir -p var "$DIR"
if [ -z "${I18N_REUSE_DB:-}" ]; then
echo "[i18n] fresh database $DB"
"$PY" - "$DB" <<'PY'
import sys, psycopg2
conn = psycopg2.connect(dbname="postgres")
conn.autocommit = True
conn.cursor().execute('DROP DATABASE IF EXISTS "%s"' % sys.argv[1])
PY
bin/odoo -d "$DB" -i credit_management --without-demo=all --stop-after-init \
    --log-level=warn --logfile=var/i18n-install.log \
    || { tail -30 var/i18n-install.log; echo "[i18n] install failed"; exit 1; }
fi
echo "[i18n] exporting $POT"
# no --language: Odoo writes a template with empty msgstr (Odoo 11 insists on
# the .po extension, so export to var/ and move it)
bin/odoo -d "$DB" --i18n-export="$ROOT/var/credit_management.po" \
    --modules=credit_management --stop-after-init --log-level=warn \
    --logfile=var/i18n-export.log
mv var/credit_management.po "$POT"
if [ -f "$PO" ]; then
    echo "[i18n] merging into $PO"
    msgmerge --quiet --no-fuzzy-matching --previous -o "$PO.new" "$PO" "$POT"
    msgattrib --no-obsolete -o "$PO" "$PO.new"
    rm -f "$PO.new"
else
    echo "[i18n] creating $PO"
    msginit --no-translator --locale=zh_CN.UTF-8 -i "$POT" -o "$PO" >/dev/null
fi
sed -i 's/^"Language: zh_CN.UTF-8\\n"$/"Language: zh_CN\\n"/' "$PO"
printf '[i18n] %s: ' "$PO"
# (no --check-format: Odoo flags every code string python-format, even "100 % of")
msgfmt --statistics -o /dev/null "$PO"
untranslated="$(msgattrib --untranslated --no-obsolete "$PO" | grep -c '^msgid ' || true)"
fuzzy="$(msgattrib --only-fuzzy --no-obsolete "$PO" | grep -c '^msgid ' || true)"
# the header entry counts as one msgid in msgattrib's output
echo "[i18n] to translate: $(( untranslated > 0 ? untranslated - 1 : 0 )), fuzzy: $(( fuzzy > 0 ? fuzzy - 1 : 0 ))"
