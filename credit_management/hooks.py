# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api

from .models.credit_profile import copy_columns_to_properties
from .queries import ddl


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


# Indexes the addon creates on tables it does not own: Odoo drops the
# addon's own tables on uninstall, not these (queries/ddl.py owns them).
CORE_TABLE_INDEXES = ddl.CORE_TABLE_INDEXES


def uninstall_hook(cr, registry):
    """Drop what the addon created by SQL outside its models' tables."""
    drop_database_objects(cr)


def drop_database_objects(cr):
    """The credit profile function, the receivable balance triggers,
    functions and tables, and the indexes on core tables."""
    ddl.uninstall(cr)
