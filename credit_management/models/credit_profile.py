# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A customer's credit profile per company (like SAP credit segments).

Limit, grade, hold, single-order cap, next review date and approved payment
terms are company-dependent fields of ``res.partner``: Odoo keeps their
values in ``ir_property``, one row per field, customer and company, with a
company default (no customer) for customers that have no row of their own.

* The ORM reads them for the company of the context (``force_company``,
  else the user's current company).
* SQL reads them through one function, ``credit_partner_profile(company)``
  (created here, used by the customer filters, the warnings, the aging
  snapshots and the reports), which applies ``ir.property.get_multi``'s
  precedence: the customer's row of the company, else its row shared by
  all companies, else the company default, else the shared default.
* ``copy_columns_to_properties`` moves values kept in plain columns (Odoo's
  own ``credit_limit``, the addon's columns before version 11.0.1.1.0) to
  properties of every company, on install and on upgrade.
"""
import logging

from psycopg2 import sql

from odoo import _, api, models
from odoo.exceptions import AccessError

from ..queries import ddl

_logger = logging.getLogger(__name__)

# the addon's company-dependent fields of res.partner, with Odoo's
# property_payment_term_id (approved terms) the credit profile
PROFILE_FIELDS = ("credit_limit", "credit_grade_id", "credit_hold",
                  "credit_hold_reason", "credit_order_cap",
                  "credit_review_date")
PROFILE_PROPERTY_FIELDS = PROFILE_FIELDS + ("property_payment_term_id",)

# the SQL function reading the profile: queries/ddl.py
PROFILE_FUNCTION_SQL = ddl.PROFILE_FUNCTION_SQL
create_profile_function = ddl.create_profile_function


# column -> (ir.property value column, type, SQL expression of the value,
# SQL condition for "set"); the condition leaves defaults out, as
# ir.property.set_multi does not store them
_COLUMN_COPY = {
    "credit_limit": ("value_float", "float", "p.credit_limit",
                     "COALESCE(p.credit_limit, 0) <> 0"),
    "credit_order_cap": ("value_float", "float", "p.credit_order_cap",
                         "COALESCE(p.credit_order_cap, 0) <> 0"),
    "credit_grade_id": ("value_reference", "many2one",
                        "'credit.grade,' || p.credit_grade_id",
                        "p.credit_grade_id IS NOT NULL"),
    "credit_hold": ("value_integer", "boolean", "1", "p.credit_hold"),
    "credit_hold_reason": ("value_text", "char", "p.credit_hold_reason",
                           "COALESCE(p.credit_hold_reason, '') <> ''"),
    "credit_review_date": ("value_datetime", "date",
                           "p.credit_review_date::timestamp",
                           "p.credit_review_date IS NOT NULL"),
}


def _column_exists(cr, table, column):
    cr.execute("SELECT 1 FROM information_schema.columns "
               "WHERE table_name = %s AND column_name = %s", (table, column))
    return bool(cr.fetchone())


def copy_columns_to_properties(cr, columns):
    """Copy the values of ``res_partner`` columns to ir.property rows of
    every company, for each customer where the value is set and the company
    has no row of its own yet. Returns {column: rows created}."""
    created = {}
    for column in columns:
        value_column, ptype, value, is_set = _COLUMN_COPY[column]
        if not _column_exists(cr, "res_partner", column):
            continue
        cr.execute("SELECT id FROM ir_model_fields "
                   "WHERE model = 'res.partner' AND name = %s", (column,))
        row = cr.fetchone()
        if not row:
            continue
        # the expressions are the constants of _COLUMN_COPY above
        query = sql.SQL("""
            INSERT INTO ir_property (name, res_id, company_id, fields_id,
                                     {value_column}, type, create_uid,
                                     create_date, write_uid, write_date)
            SELECT %(name)s, 'res.partner,' || p.id, c.id, %(field)s,
                   {value}, %(type)s, 1, now() at time zone 'UTC', 1,
                   now() at time zone 'UTC'
              FROM res_partner p CROSS JOIN res_company c
             WHERE {is_set}
               AND NOT EXISTS (
                   SELECT 1 FROM ir_property ip
                    WHERE ip.fields_id = %(field)s AND ip.company_id = c.id
                      AND ip.res_id = 'res.partner,' || p.id)
        """).format(value_column=sql.Identifier(value_column),
                    value=sql.SQL(value), is_set=sql.SQL(is_set))
        cr.execute(query, {"name": column, "field": row[0], "type": ptype})
        created[column] = cr.rowcount
        _logger.info("credit profile: %s copied to %d company properties",
                     column, cr.rowcount)
    return created


def drop_columns(cr, columns):
    """Drop the addon's own columns whose values moved to properties (so
    that no SQL reads a stale copy). The addon's reporting view reading
    them goes too; it is created again, on the profile, when the module
    loads."""
    for column in columns:
        cr.execute(sql.SQL(
            "ALTER TABLE res_partner DROP COLUMN IF EXISTS {} CASCADE").format(
                sql.Identifier(column)))


class IrProperty(models.Model):
    """The credit profile of any company the user works in.

    Odoo 11's record rule on ir.property shows the rows of the user's
    current company only: a read with ``force_company`` of another company
    of the user would get the defaults, and a write would add a second row.
    For the credit profile fields, a user allowed in the company reads and
    writes its rows (res.partner's access and the addon's field protection
    have been checked before the property is touched).
    """

    _inherit = "ir.property"

    def _credit_profile_env(self, name, model):
        if model != "res.partner" or name not in PROFILE_PROPERTY_FIELDS:
            return self
        user = self.env.user
        company_id = self.env.context.get("force_company") or \
            user.company_id.id
        if company_id not in user.company_ids.ids:
            return self
        return self.sudo().with_context(force_company=company_id)

    @api.model
    def get_multi(self, name, model, ids):
        return super(IrProperty, self._credit_profile_env(name, model)) \
            .get_multi(name, model, ids)

    @api.model
    def set_multi(self, name, model, values, default_value=None):
        self._credit_check_profile_company(name, model)
        return super(IrProperty, self._credit_profile_env(name, model)) \
            .set_multi(name, model, values, default_value=default_value)

    def _credit_check_profile_company(self, name, model):
        """Refuse, before anything is written, a change of the credit profile
        in a company the user does not work in (named by ``force_company``,
        as an RPC call may): Odoo's own rule would refuse it only after
        inserting the property row."""
        if model != "res.partner" or name not in PROFILE_PROPERTY_FIELDS \
                or self.env.user._is_superuser():
            return
        user = self.env.user
        company_id = self.env.context.get("force_company") or \
            user.company_id.id
        if company_id not in user.company_ids.ids:
            raise AccessError(_(
                "You cannot change the credit profile of a customer in a "
                "company you do not work in."))

    @api.model
    def search_multi(self, name, model, operator, value):
        prop = self._credit_profile_env(name, model)
        field = self.env[model]._fields.get(name)
        if name in PROFILE_FIELDS and field.type == "boolean" \
                and operator in ("=", "!="):
            # stored as value_integer 1 (False is not stored): search the
            # customers where it is set, and the others for False
            domain = super(IrProperty, prop).search_multi(
                name, model, "=", 1)
            if (operator == "=") == bool(value):
                return domain
            (_field, op, ids), = domain
            return [("id", "not in" if op == "in" else "in", ids)]
        return super(IrProperty, prop).search_multi(
            name, model, operator, value)
