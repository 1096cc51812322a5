# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api


def post_init_hook(cr, registry):
    """Give every existing company a credit policy.

    A company installed before the addon gets the default policy, in
    monitor mode: installing the addon on a live database must not stop
    sales by surprise (see readme/CONFIGURE.rst).
    """
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"].search([])._credit_ensure_policy()


def uninstall_hook(cr, registry):
    """Drop the receivable balance table and its triggers."""
    cr.execute("""
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
