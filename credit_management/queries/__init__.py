# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addon's SQL: plain functions taking a cursor and bound parameters,
no ``import odoo`` (models gather the parameters, call these, and turn the
rows into records or domain values).

* ``receivable``: what a "posted receivable item" is, written once; every
  query of the addon on journal items builds on it.
* ``exposure``: the exposure sources of the order check (open receivable,
  draft invoices, uninvoiced orders).
* ``flags``: the customer filters (over limit, overdue) as SQL subqueries.
* ``payment``: payment behaviour and credit sales of customers.
* ``warning``: what the warning job reads.
* ``demo``: the demo history's ledger rows copied from a prototype.
* ``ddl``: every table, trigger, function and index the addon creates by
  SQL, with their install and uninstall.
"""
from . import receivable  # noqa: F401
