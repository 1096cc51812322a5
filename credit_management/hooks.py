# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import sql

from odoo import SUPERUSER_ID, api

from .models.credit_profile import copy_columns_to_properties
from .models.credit_receivable_balance import DROP_SQL


def post_init_hook(cr, registry):
    """Give every existing company a credit policy, and every company the
    credit limits set before the addon.

    A company installed before the addon gets the default policy, in
    monitor mode: installing the addon on a live database must not stop
    sales by surprise (see readme/CONFIGURE.rst). Odoo's ``credit_limit``
    was one column for all companies; the addon makes it per company, so
    each customer's limit is copied to every company (each company then
    approves its own).
    """
    copy_columns_to_properties(cr, ["credit_limit"])
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"].search([])._credit_ensure_policy()


# Indexes the addon creates on tables it does not own (models' ``init``):
# Odoo drops the addon's own tables on uninstall, not these.
CORE_TABLE_INDEXES = (
    "account_move_line_credit_open_idx",     # res.partner
    "account_move_credit_draft_idx",         # res.partner
    "account_invoice_credit_draft_idx",      # res.partner
    "sale_order_credit_open_idx",            # res.partner
    "account_partial_reconcile_max_date_idx",  # credit.aging
)


def uninstall_hook(cr, registry):
    """Drop what the addon created by SQL outside its models' tables."""
    drop_database_objects(cr)


def drop_database_objects(cr):
    """The credit profile function, the receivable balance triggers,
    functions and tables, and the indexes on core tables."""
    cr.execute("DROP FUNCTION IF EXISTS credit_partner_profile(integer) CASCADE")
    cr.execute(DROP_SQL)
    for index in CORE_TABLE_INDEXES:
        cr.execute(sql.SQL("DROP INDEX IF EXISTS {}").format(
            sql.Identifier(index)))
