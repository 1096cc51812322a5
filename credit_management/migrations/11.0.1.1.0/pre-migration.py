# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.1.0: the credit profile becomes per company.

Limit (Odoo's column), grade, hold and its reason, single-order cap and
review date (the addon's columns) were one value for all companies; they
are company-dependent fields now. Copy each customer's values to every
company (before the new code reads them), then drop the addon's own
columns so that no SQL reads a stale copy. Odoo's ``credit_limit`` column
stays (it is base's); the addon never reads it again.
"""
from odoo.addons.credit_management.models.credit_profile import (
    PROFILE_FIELDS, copy_columns_to_properties, drop_columns)


def migrate(cr, version):
    if not version:
        return
    copy_columns_to_properties(cr, PROFILE_FIELDS)
    drop_columns(cr, [name for name in PROFILE_FIELDS if name != "credit_limit"])
