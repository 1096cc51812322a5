"""The SQL layer: queries/ is plain Python (a cursor and bound parameters,
no Odoo), and the "posted receivable item" filter is written in one place
(queries/receivable.py), which every query of the addon reuses."""
import os
import re

from test_domain_purity import _imported_modules

ADDON = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                     "credit_management")
QUERIES = os.path.join(ADDON, "queries")
HOME = os.path.join(QUERIES, "receivable.py")
# the filter's pieces as SQL text: account type, entry state, open item
RESTATED = re.compile(
    r"internal_type\s*=\s*'receivable'|state\s*=\s*'posted'"
    r"|reconciled\s+IS\s+NOT\s+TRUE", re.IGNORECASE)


def _python_files(root):
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            if name.endswith(".py"):
                yield os.path.join(dirpath, name)


def test_queries_import_no_odoo():
    """No module of credit_management/queries imports odoo or leaves the
    package (the domain's rule; psycopg2 is allowed)."""
    offenders = []
    for path in _python_files(QUERIES):
        for module in _imported_modules(path):
            if module.split(".")[0] == "odoo" or module.startswith(".."):
                offenders.append("%s imports %s" % (path, module))
    assert len(list(_python_files(QUERIES))) > 3
    assert offenders == []


def test_receivable_filter_written_once():
    """No SQL outside queries/receivable.py restates the receivable
    account type, the posted state or the open-item condition."""
    offenders = []
    for path in _python_files(ADDON):
        if path == HOME:
            continue
        with open(path, encoding="utf-8") as source:
            for number, line in enumerate(source, 1):
                if RESTATED.search(line):
                    offenders.append("%s:%d: %s" % (
                        os.path.relpath(path, ADDON), number, line.strip()))
    assert offenders == []


def test_restated_filter_is_recognised():
    """The scan above finds each piece (so it can fail)."""
    for text in ("AND acc.internal_type = 'receivable'",
                 "JOIN account_move m ON m.id = l.move_id AND m.state = 'posted'",
                 "WHERE l.reconciled IS NOT TRUE"):
        assert RESTATED.search(text)
    assert not RESTATED.search("AND inv.state = 'draft'")


# syntax newer than PostgreSQL 10, the minimum the README states
NEWER_THAN_PG10 = re.compile(
    r"CREATE\s+(?:UNIQUE\s+)?INDEX[^;]*\bINCLUDE\s*\(|EXECUTE\s+FUNCTION"
    r"|GENERATED\s+ALWAYS|CREATE\s+(?:OR\s+REPLACE\s+)?PROCEDURE"
    r"|NULLS\s+NOT\s+DISTINCT", re.IGNORECASE)


def test_sql_runs_on_postgresql_10():
    """No SQL of the addon needs a PostgreSQL newer than 10 (covering
    indexes, EXECUTE FUNCTION, generated columns, procedures)."""
    offenders = []
    for path in _python_files(ADDON):
        with open(path, encoding="utf-8") as source:
            text = source.read()
        offenders += ["%s: %s" % (os.path.relpath(path, ADDON), match.group(0))
                      for match in NEWER_THAN_PG10.finditer(text)]
    assert offenders == []


def test_newer_syntax_is_recognised():
    """The scan above finds a covering index and EXECUTE FUNCTION."""
    assert NEWER_THAN_PG10.search(
        "CREATE INDEX IF NOT EXISTS x ON t (a) INCLUDE (b)")
    assert NEWER_THAN_PG10.search(
        "FOR EACH STATEMENT EXECUTE FUNCTION f()")
    assert not NEWER_THAN_PG10.search(
        "FOR EACH STATEMENT EXECUTE PROCEDURE f()")
