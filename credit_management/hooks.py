# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api

from .models.credit_profile import copy_columns_to_properties


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


def uninstall_hook(cr, registry):
    """Drop the receivable balance table and its triggers, and the credit
    profile function."""
    cr.execute("""
        DROP FUNCTION IF EXISTS credit_partner_profile(integer) CASCADE;
        DROP TRIGGER IF EXISTS credit_balance_aml ON account_move_line;
        DROP TRIGGER IF EXISTS credit_balance_move ON account_move;
        DROP FUNCTION IF EXISTS credit_balance_aml_trigger();
        DROP FUNCTION IF EXISTS credit_balance_move_trigger();
        DROP FUNCTION IF EXISTS credit_balance_counts(integer, integer);
        DROP FUNCTION IF EXISTS credit_balance_add(
            integer, integer, integer, date, numeric, integer);
        DROP TABLE IF EXISTS credit_receivable_balance;
        DROP TABLE IF EXISTS credit_receivable_total;
    """)
