# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo history's ledger copies: rows of a table copied from a
prototype row the ORM wrote, with some columns replaced."""
from psycopg2 import sql

# columns a copy leaves empty (unique per record)
NULLED = ("access_token", "message_main_attachment_id")


def table_columns(cr, table):
    """The columns of ``table`` but ``id``, in their order."""
    cr.execute("""
        SELECT column_name FROM information_schema.columns
         WHERE table_name = %s AND column_name <> 'id'
         ORDER BY ordinal_position""", (table,))
    return [row[0] for row in cr.fetchall()]


def clone_row(cr, table, proto_id, values, columns):
    """INSERT a copy of row ``proto_id`` of ``table`` with ``values``
    (column: value) replaced; returns the new id."""
    select = []
    for column in columns:
        if column in values:
            select.append(sql.Placeholder(column))
        elif column in NULLED:
            select.append(sql.SQL("NULL"))
        else:
            select.append(sql.Identifier(column))
    query = sql.SQL(
        "INSERT INTO {table} ({cols}) SELECT {select} FROM {table} "
        "WHERE id = %(proto)s RETURNING id").format(
            table=sql.Identifier(table),
            cols=sql.SQL(", ").join(map(sql.Identifier, columns)),
            select=sql.SQL(", ").join(select))
    cr.execute(query, dict(values, proto=proto_id))
    return cr.fetchone()[0]


def link_invoice_payment(cr, payment_id, invoice_id):
    """The payment registered against the invoice (their many2many)."""
    cr.execute("INSERT INTO account_invoice_payment_rel "
               "(payment_id, invoice_id) VALUES (%s, %s)",
               (payment_id, invoice_id))
