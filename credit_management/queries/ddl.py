# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every database object the addon creates by SQL, with its install and
uninstall: the credit profile function, the receivable balance tables and
their triggers on the journal, and the indexes on core tables.

Odoo creates and drops the models' own tables; what is here it does not
know of, so ``uninstall`` (the uninstall hook) drops all of it. Everything
runs on PostgreSQL 10 (statement-level triggers with transition tables; no
``CREATE INDEX ... INCLUDE``, which needs 11).
"""
from psycopg2 import sql

from . import receivable

# ----------------------------------------------------------------------
# The credit profile function (see models/credit_profile.py)
# ----------------------------------------------------------------------
PROFILE_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION credit_partner_profile(p_company integer)
RETURNS TABLE (partner_id integer, credit_limit double precision,
               credit_grade_id integer, credit_hold boolean,
               credit_order_cap double precision, credit_review_date date,
               payment_term_id integer) AS $$
    WITH fields AS (
        SELECT id, name FROM ir_model_fields
         WHERE model = 'res.partner'
           AND name IN ('credit_limit', 'credit_grade_id', 'credit_hold',
                        'credit_order_cap', 'credit_review_date',
                        'property_payment_term_id')
    ), props AS (
        -- per field and customer (NULL: the default), the company's row
        -- before the row shared by all companies (NULLs sort last)
        SELECT DISTINCT ON (ip.fields_id, ip.res_id)
               f.name, ip.res_id, ip.value_float, ip.value_integer,
               CASE WHEN ip.value_reference LIKE '%,%'
                    THEN split_part(ip.value_reference, ',', 2)::integer
               END AS value_id,
               ip.value_datetime
          FROM ir_property ip
          JOIN fields f ON f.id = ip.fields_id
         WHERE (ip.company_id = p_company OR ip.company_id IS NULL)
           AND (ip.res_id IS NULL OR ip.res_id LIKE 'res.partner,%')
         ORDER BY ip.fields_id, ip.res_id, ip.company_id
    ), own AS (
        -- the customers' own values; has_* tells a value set to nothing
        -- from no value (then the default applies)
        SELECT split_part(res_id, ',', 2)::integer AS partner_id,
               bool_or(name = 'credit_limit') AS has_limit,
               max(value_float) FILTER (WHERE name = 'credit_limit')
                   AS credit_limit,
               bool_or(name = 'credit_grade_id') AS has_grade,
               max(value_id) FILTER (WHERE name = 'credit_grade_id')
                   AS grade_id,
               bool_or(name = 'credit_hold') AS has_hold,
               max(value_integer) FILTER (WHERE name = 'credit_hold') AS hold,
               bool_or(name = 'credit_order_cap') AS has_cap,
               max(value_float) FILTER (WHERE name = 'credit_order_cap')
                   AS order_cap,
               bool_or(name = 'credit_review_date') AS has_review,
               max(value_datetime) FILTER (WHERE name = 'credit_review_date')
                   AS review_date,
               bool_or(name = 'property_payment_term_id') AS has_term,
               max(value_id) FILTER (WHERE name = 'property_payment_term_id')
                   AS term_id
          FROM props
         WHERE res_id IS NOT NULL
         GROUP BY 1
    ), dflt AS (
        -- the defaults: always exactly one row
        SELECT max(value_float) FILTER (WHERE name = 'credit_limit')
                   AS credit_limit,
               max(value_id) FILTER (WHERE name = 'credit_grade_id')
                   AS grade_id,
               max(value_integer) FILTER (WHERE name = 'credit_hold') AS hold,
               max(value_float) FILTER (WHERE name = 'credit_order_cap')
                   AS order_cap,
               max(value_datetime) FILTER (WHERE name = 'credit_review_date')
                   AS review_date,
               max(value_id) FILTER (WHERE name = 'property_payment_term_id')
                   AS term_id
          FROM props
         WHERE res_id IS NULL
    )
    SELECT p.id,
           COALESCE(CASE WHEN s.has_limit THEN s.credit_limit
                         ELSE d.credit_limit END, 0.0),
           g.id,
           COALESCE(CASE WHEN s.has_hold THEN s.hold ELSE d.hold END, 0) <> 0,
           COALESCE(CASE WHEN s.has_cap THEN s.order_cap
                         ELSE d.order_cap END, 0.0),
           (CASE WHEN s.has_review THEN s.review_date
                 ELSE d.review_date END)::date,
           t.id
      FROM res_partner p
     CROSS JOIN dflt d
      LEFT JOIN own s ON s.partner_id = p.id
      LEFT JOIN credit_grade g
             ON g.id = CASE WHEN s.has_grade THEN s.grade_id
                            ELSE d.grade_id END
      LEFT JOIN account_payment_term t
             ON t.id = CASE WHEN s.has_term THEN s.term_id
                            ELSE d.term_id END
$$ LANGUAGE sql STABLE;
"""


def create_profile_function(cr):
    """(Re)create ``credit_partner_profile(company)``."""
    cr.execute(PROFILE_FUNCTION_SQL)


# ----------------------------------------------------------------------
# Indexes on core tables: {name: CREATE statement}. No INCLUDE columns
# (PostgreSQL 10 has none, and a residual in an index makes every residual
# update of a journal item write every index of the table: no HOT update).
# ----------------------------------------------------------------------
PARTNER_INDEXES = {
    # the open items of a customer (exposure, collection statement)
    "account_move_line_credit_open_idx": """
        CREATE INDEX IF NOT EXISTS account_move_line_credit_open_idx
            ON account_move_line (partner_id, account_id)
         WHERE """ + receivable.is_open(None),
    "account_move_credit_draft_idx": """
        CREATE INDEX IF NOT EXISTS account_move_credit_draft_idx
            ON account_move (company_id) WHERE state = 'draft'""",
    # draft invoices of the exposure
    "account_invoice_credit_draft_idx": """
        CREATE INDEX IF NOT EXISTS account_invoice_credit_draft_idx
            ON account_invoice (commercial_partner_id)
         WHERE state = 'draft'""",
    # uninvoiced orders of the exposure
    "sale_order_credit_open_idx": """
        CREATE INDEX IF NOT EXISTS sale_order_credit_open_idx
            ON sale_order (partner_id) WHERE state IN ('sale', 'done')""",
}
AGING_INDEXES = {
    # reconciliations dated after an as-of date are undone (aging as of a
    # past date): found without reading the whole reconciliation history
    "account_partial_reconcile_max_date_idx": """
        CREATE INDEX IF NOT EXISTS account_partial_reconcile_max_date_idx
            ON account_partial_reconcile (max_date)""",
}
CORE_TABLE_INDEXES = tuple(PARTNER_INDEXES) + tuple(AGING_INDEXES)


def install_partner_objects(cr):
    """The profile function and the indexes the exposure queries and the
    customer filters run on (res.partner's ``init``)."""
    create_profile_function(cr)
    for statement in PARTNER_INDEXES.values():
        cr.execute(statement)


def install_aging_indexes(cr):
    """The indexes of the aging as of a past date (credit.aging's
    ``init``)."""
    for statement in AGING_INDEXES.values():
        cr.execute(statement)


# ----------------------------------------------------------------------
# The receivable balance: tables and triggers
# ----------------------------------------------------------------------

# The tables and their triggers. Every change of an open receivable item of a
# posted entry (insert, residual or reconciliation change, delete; the entry
# posted, set back to draft or deleted; the account's type changed) moves its
# residual into one bucket per partner, account and due date, in the same
# transaction. The order check then sums a few hundred buckets instead of
# every open item (100,000 for a large customer), and stays cheap however
# many invoices a customer has; a second table keeps the total per partner
# and account for the customer filters.
#
# An item counts when it has a partner and a due date, its account is a
# receivable, it is not reconciled and its entry is posted.
#
# The triggers are statement-level, with transition tables (PostgreSQL 10):
# one call per SQL statement whatever the number of rows it touches, and the
# changes of a statement are summed per bucket and applied at once
# (``credit_balance_apply``: four statements) instead of several statements
# per line. Posting a 1,000-line entry is one UPDATE of account_move, hence
# one aggregate over its lines; the ORM then rewrites every line with the
# residual it already has (``amount_residual`` depends on the entry's state),
# and the update trigger, comparing old and new rows, finds nothing to do.
# PostgreSQL accepts transition tables only on triggers with one event and
# no column list (no UPDATE OF ...), hence one trigger per event, fired by
# every statement of that kind: for a statement that touches no counted
# item, the cost is one function call and one small query.
#
# Deleting a posted entry (by SQL; Odoo refuses it) is subtracted BEFORE the
# delete, while its lines still exist: the cascade that deletes the lines
# finds no entry left and subtracts nothing a second time.
BALANCE_TABLES_SQL = """
CREATE TABLE IF NOT EXISTS credit_receivable_balance (
    id serial PRIMARY KEY,
    partner_id integer NOT NULL,
    account_id integer NOT NULL,
    company_id integer,
    date_maturity date NOT NULL,
    amount_residual numeric NOT NULL DEFAULT 0,
    positive_count integer NOT NULL DEFAULT 0,
    CONSTRAINT credit_receivable_balance_key
        UNIQUE (partner_id, account_id, date_maturity)
);
-- the buckets falling due from a date on (the "Overdue" filter's amount
-- not due yet) by an index-only scan instead of reading every bucket; the
-- residual is a key column, PostgreSQL 10 having no INCLUDE (a bucket's
-- update writes this index too: microseconds per posted item)
CREATE INDEX IF NOT EXISTS credit_receivable_balance_due_idx
    ON credit_receivable_balance
       (date_maturity, partner_id, account_id, amount_residual);

CREATE TABLE IF NOT EXISTS credit_receivable_total (
    partner_id integer NOT NULL,
    account_id integer NOT NULL,
    company_id integer,
    amount_residual numeric NOT NULL DEFAULT 0,
    oldest_open_due date,
    PRIMARY KEY (partner_id, account_id)
);
"""

# Triggers and functions of every version (the row-level ones of the first
# version included): dropped before the current ones are created, and by the
# uninstall hook.
DROP_TRIGGERS_SQL = """
DROP TRIGGER IF EXISTS credit_balance_aml ON account_move_line;
DROP TRIGGER IF EXISTS credit_balance_move ON account_move;
DROP TRIGGER IF EXISTS credit_balance_aml_insert ON account_move_line;
DROP TRIGGER IF EXISTS credit_balance_aml_update ON account_move_line;
DROP TRIGGER IF EXISTS credit_balance_aml_delete ON account_move_line;
DROP TRIGGER IF EXISTS credit_balance_move_update ON account_move;
DROP TRIGGER IF EXISTS credit_balance_move_delete ON account_move;
DROP TRIGGER IF EXISTS credit_balance_account_update ON account_account;
DROP FUNCTION IF EXISTS credit_balance_aml_trigger();
DROP FUNCTION IF EXISTS credit_balance_move_trigger();
DROP FUNCTION IF EXISTS credit_balance_counts(integer, integer);
DROP FUNCTION IF EXISTS credit_balance_add(
    integer, integer, integer, date, numeric, integer);
DROP FUNCTION IF EXISTS credit_balance_aml_insert();
DROP FUNCTION IF EXISTS credit_balance_aml_update();
DROP FUNCTION IF EXISTS credit_balance_aml_delete();
DROP FUNCTION IF EXISTS credit_balance_move_update();
DROP FUNCTION IF EXISTS credit_balance_move_delete();
DROP FUNCTION IF EXISTS credit_balance_account_update();
DROP FUNCTION IF EXISTS credit_balance_apply(
    integer[], integer[], integer[], date[], numeric[], integer[]);
"""

# Everything BALANCE_SQL creates.
DROP_SQL = DROP_TRIGGERS_SQL + """
DROP TABLE IF EXISTS credit_receivable_balance;
DROP TABLE IF EXISTS credit_receivable_total;
"""

# The changes of one statement, as parallel arrays (partner, account,
# company, due date, residual, +1/-1 item with a positive residual), applied
# at once: buckets summed and upserted in key order (two transactions lock
# the rows they share in the same order), emptied buckets deleted, the
# totals of the touched partners and accounts upserted (always: the total
# row serializes concurrent changes of one customer's buckets), and their
# oldest open due date recomputed where an item with a positive residual
# came or went.
APPLY_SQL = """
CREATE OR REPLACE FUNCTION credit_balance_apply(
        p_partner integer[], p_account integer[], p_company integer[],
        p_date date[], p_amount numeric[], p_positive integer[])
        RETURNS void AS $$
BEGIN
    INSERT INTO credit_receivable_balance AS b
           (partner_id, account_id, company_id, date_maturity,
            amount_residual, positive_count)
    SELECT d.partner_id, d.account_id, MIN(d.company_id), d.date_maturity,
           SUM(d.amount), SUM(d.positive)
      FROM unnest(p_partner, p_account, p_company, p_date, p_amount,
                  p_positive)
           AS d (partner_id, account_id, company_id, date_maturity, amount,
                 positive)
     GROUP BY d.partner_id, d.account_id, d.date_maturity
    HAVING SUM(d.amount) <> 0 OR SUM(d.positive) <> 0
     ORDER BY d.partner_id, d.account_id, d.date_maturity
    ON CONFLICT (partner_id, account_id, date_maturity) DO UPDATE
       SET amount_residual = b.amount_residual + EXCLUDED.amount_residual,
           positive_count = b.positive_count + EXCLUDED.positive_count;
    DELETE FROM credit_receivable_balance b
     USING unnest(p_partner, p_account, p_date)
           AS d (partner_id, account_id, date_maturity)
     WHERE b.partner_id = d.partner_id AND b.account_id = d.account_id
       AND b.date_maturity = d.date_maturity
       AND b.amount_residual = 0 AND b.positive_count = 0;
    INSERT INTO credit_receivable_total AS t
           (partner_id, account_id, company_id, amount_residual)
    SELECT d.partner_id, d.account_id, MIN(d.company_id), SUM(d.amount)
      FROM unnest(p_partner, p_account, p_company, p_amount, p_positive)
           AS d (partner_id, account_id, company_id, amount, positive)
     GROUP BY d.partner_id, d.account_id
    HAVING SUM(d.amount) <> 0 OR bool_or(d.positive <> 0)
     ORDER BY d.partner_id, d.account_id
    ON CONFLICT (partner_id, account_id) DO UPDATE
       SET amount_residual = t.amount_residual + EXCLUDED.amount_residual;
    UPDATE credit_receivable_total t
       SET oldest_open_due = (
           SELECT MIN(b.date_maturity) FROM credit_receivable_balance b
            WHERE b.partner_id = t.partner_id AND b.account_id = t.account_id
              AND b.positive_count > 0)
     WHERE (t.partner_id, t.account_id) IN (
           SELECT d.partner_id, d.account_id
             FROM unnest(p_partner, p_account, p_positive)
                  AS d (partner_id, account_id, positive)
            WHERE d.positive <> 0);
END $$ LANGUAGE plpgsql;
"""

# A trigger function: ``rows`` lists the candidate rows (sign, then the
# item's columns: old rows -1, new rows +1); those that count are passed to
# credit_balance_apply. Old and new transition rows are compared with EXCEPT
# (a hashed or sorted set operation), never joined: PL/pgSQL keeps the plan
# of the first call, made for the one-row statements of the ORM, and a
# nested-loop join of two 10,000-row transition tables takes seconds.
# ``joins`` check the entry's state and the account's type as they are after
# the statement: a statement on the items changes neither; the triggers on
# the entries and the accounts select the items whose entry or account the
# statement changed, and leave that join out.
_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
DECLARE
    v_partner integer[];
    v_account integer[];
    v_company integer[];
    v_date date[];
    v_amount numeric[];
    v_positive integer[];
BEGIN
    SELECT array_agg(d.partner_id), array_agg(d.account_id),
           array_agg(d.company_id), array_agg(d.date_maturity),
           array_agg(d.sign * d.amount_residual),
           array_agg(d.sign * (d.amount_residual > 0)::integer)
      INTO v_partner, v_account, v_company, v_date, v_amount, v_positive
      FROM ({rows}) AS d{joins}
     WHERE d.partner_id IS NOT NULL AND d.date_maturity IS NOT NULL
       AND {open} AND d.amount_residual IS NOT NULL;
    IF v_partner IS NOT NULL THEN
        PERFORM credit_balance_apply(v_partner, v_account, v_company, v_date,
                                     v_amount, v_positive);
    END IF;
    RETURN {returns};
END $$ LANGUAGE plpgsql;
"""
_POSTED = "\n      " + receivable.posted_move_join("d", "m")
_RECEIVABLE = "\n      " + receivable.receivable_account_join("d", "a")
_COLUMNS = ("{t}.partner_id, {t}.account_id, {t}.company_id, "
            "{t}.date_maturity, {t}.amount_residual, {t}.move_id, "
            "{t}.reconciled")


def _trigger_function(name, rows, joins=_POSTED + _RECEIVABLE,
                      returns="NULL"):
    return _TRIGGER_FUNCTION.format(name=name, rows=rows, joins=joins,
                                    returns=returns,
                                    open=receivable.is_open("d"))


TRIGGERS_SQL = APPLY_SQL + _trigger_function(
    "credit_balance_aml_insert", """
        SELECT 1 AS sign, {new} FROM credit_new_lines n""".format(
        new=_COLUMNS.format(t="n")),
) + _trigger_function(
    "credit_balance_aml_delete", """
        SELECT -1 AS sign, {old} FROM credit_old_lines o""".format(
        old=_COLUMNS.format(t="o")),
) + _trigger_function(
    # lines whose counting columns changed: the old row out, the new one in
    "credit_balance_aml_update", """
        SELECT -1 AS sign, {old} FROM (
               SELECT o.id, {old} FROM credit_old_lines o
               EXCEPT SELECT n.id, {new} FROM credit_new_lines n) AS o
        UNION ALL
        SELECT 1 AS sign, {new} FROM (
               SELECT n.id, {new} FROM credit_new_lines n
               EXCEPT SELECT o.id, {old} FROM credit_old_lines o) AS n""".format(
        old=_COLUMNS.format(t="o"), new=_COLUMNS.format(t="n")),
) + _trigger_function(
    # entries posted (+) or set back to draft (-): all their lines at once
    "credit_balance_move_update", """
        SELECT s.sign, {line}
          FROM (SELECT 1 AS sign, p.id FROM (
                       SELECT id FROM credit_new_moves m WHERE {posted}
                       EXCEPT
                       SELECT id FROM credit_old_moves m WHERE {posted}
                       ) AS p
                UNION ALL
                SELECT -1 AS sign, u.id FROM (
                       SELECT id FROM credit_old_moves m WHERE {posted}
                       EXCEPT
                       SELECT id FROM credit_new_moves m WHERE {posted}
                       ) AS u) AS s
          JOIN account_move_line l ON l.move_id = s.id""".format(
        line=_COLUMNS.format(t="l"), posted=receivable.is_posted("m")),
    joins=_RECEIVABLE,
) + _trigger_function(
    # a posted entry about to be deleted (row-level, BEFORE: its lines exist)
    "credit_balance_move_delete", """
        SELECT -1 AS sign, {line}
          FROM account_move_line l WHERE l.move_id = OLD.id""".format(
        line=_COLUMNS.format(t="l")),
    joins=_RECEIVABLE, returns="OLD",
) + _trigger_function(
    # accounts that became (+) or stopped being (-) receivable accounts
    # (Odoo lets the type of an account with items be changed)
    "credit_balance_account_update", """
        SELECT s.sign, {line}
          FROM (SELECT 1 AS sign, p.id FROM (
                       SELECT id FROM credit_new_accounts a
                        WHERE {receivable}
                       EXCEPT
                       SELECT id FROM credit_old_accounts a
                        WHERE {receivable}) AS p
                UNION ALL
                SELECT -1 AS sign, u.id FROM (
                       SELECT id FROM credit_old_accounts a
                        WHERE {receivable}
                       EXCEPT
                       SELECT id FROM credit_new_accounts a
                        WHERE {receivable}) AS u) AS s
          JOIN account_move_line l ON l.account_id = s.id""".format(
        line=_COLUMNS.format(t="l"),
        receivable=receivable.is_receivable_account("a")),
    joins=_POSTED,
) + """
CREATE TRIGGER credit_balance_aml_insert AFTER INSERT ON account_move_line
    REFERENCING NEW TABLE AS credit_new_lines
    FOR EACH STATEMENT EXECUTE PROCEDURE credit_balance_aml_insert();
CREATE TRIGGER credit_balance_aml_update AFTER UPDATE ON account_move_line
    REFERENCING OLD TABLE AS credit_old_lines NEW TABLE AS credit_new_lines
    FOR EACH STATEMENT EXECUTE PROCEDURE credit_balance_aml_update();
CREATE TRIGGER credit_balance_aml_delete AFTER DELETE ON account_move_line
    REFERENCING OLD TABLE AS credit_old_lines
    FOR EACH STATEMENT EXECUTE PROCEDURE credit_balance_aml_delete();
CREATE TRIGGER credit_balance_move_update AFTER UPDATE ON account_move
    REFERENCING OLD TABLE AS credit_old_moves NEW TABLE AS credit_new_moves
    FOR EACH STATEMENT EXECUTE PROCEDURE credit_balance_move_update();
CREATE TRIGGER credit_balance_move_delete BEFORE DELETE ON account_move
    FOR EACH ROW WHEN ({old_posted})
    EXECUTE PROCEDURE credit_balance_move_delete();
CREATE TRIGGER credit_balance_account_update AFTER UPDATE ON account_account
    REFERENCING OLD TABLE AS credit_old_accounts
                NEW TABLE AS credit_new_accounts
    FOR EACH STATEMENT EXECUTE PROCEDURE credit_balance_account_update();
""".format(old_posted=receivable.is_posted("OLD"))

BALANCE_SQL = BALANCE_TABLES_SQL + DROP_TRIGGERS_SQL + TRIGGERS_SQL

REBUILD_SQL = """
DELETE FROM credit_receivable_balance;
DELETE FROM credit_receivable_total;
INSERT INTO credit_receivable_balance
       (partner_id, account_id, company_id, date_maturity, amount_residual,
        positive_count)
SELECT l.partner_id, l.account_id, MIN(l.company_id), l.date_maturity,
       SUM(l.amount_residual),
       COUNT(*) FILTER (WHERE l.amount_residual > 0)
  FROM {items}
 WHERE {open} AND l.partner_id IS NOT NULL
   AND l.date_maturity IS NOT NULL
 GROUP BY l.partner_id, l.account_id, l.date_maturity;
INSERT INTO credit_receivable_total
       (partner_id, account_id, company_id, amount_residual, oldest_open_due)
SELECT partner_id, account_id, MIN(company_id), SUM(amount_residual),
       MIN(date_maturity) FILTER (WHERE positive_count > 0)
  FROM credit_receivable_balance
 GROUP BY partner_id, account_id;
""".format(items=receivable.posted_receivable_items("l", "a", "m"),
           open=receivable.is_open("l"))


def install_receivable_balance(cr):
    """Create the tables and (re)create the triggers; fill the tables from
    the items when they are new, or when the row-level triggers of the first
    version were in place (they missed entries deleted by SQL and account
    type changes)."""
    cr.execute("""
        SELECT to_regclass('credit_receivable_total') IS NULL
            OR NOT EXISTS (
                SELECT 1 FROM information_schema.columns
                 WHERE table_name = 'credit_receivable_total'
                   AND column_name = 'oldest_open_due'),
               EXISTS (SELECT 1 FROM pg_trigger
                        WHERE tgname = 'credit_balance_aml')""")
    created, row_triggers = cr.fetchone()
    if created:
        cr.execute("DROP TABLE IF EXISTS credit_receivable_total")
    cr.execute(BALANCE_SQL)
    if created or row_triggers:
        cr.execute(REBUILD_SQL)


def rebuild_receivable_balance(cr):
    """Recompute every bucket from the journal items."""
    cr.execute(REBUILD_SQL)


# ----------------------------------------------------------------------
# Uninstall
# ----------------------------------------------------------------------
def uninstall(cr):
    """Drop the profile function, the balance triggers, functions and
    tables, and the indexes on core tables."""
    cr.execute("DROP FUNCTION IF EXISTS credit_partner_profile(integer) CASCADE")
    cr.execute(DROP_SQL)
    for index in CORE_TABLE_INDEXES:
        cr.execute(sql.SQL("DROP INDEX IF EXISTS {}").format(
            sql.Identifier(index)))
