# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The receivable balance kept by database triggers: the tables, triggers
and their SQL are in queries/ddl.py."""
from odoo import api, fields, models

from ..queries import ddl

# kept importable from here (bench/, older scripts)
BALANCE_SQL = ddl.BALANCE_SQL
DROP_SQL = ddl.DROP_SQL
REBUILD_SQL = ddl.REBUILD_SQL


class CreditReceivableBalance(models.Model):
    """Open receivable of posted entries per partner, account and due date.

    Kept by database triggers in the same transaction as the journal items;
    read by the order check and the customer filters.
    """

    _name = "credit.receivable.balance"
    _description = "Open Receivable Balance by Due Date"
    _auto = False
    _order = "partner_id, date_maturity"

    partner_id = fields.Many2one("res.partner", readonly=True)
    account_id = fields.Many2one("account.account", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date_maturity = fields.Date("Due Date", readonly=True)
    amount_residual = fields.Float("Open Amount", readonly=True)
    positive_count = fields.Integer("Open Items", readonly=True)

    @api.model_cr
    def init(self):
        """Create the tables and (re)create the triggers (see
        ``ddl.install_receivable_balance``)."""
        ddl.install_receivable_balance(self.env.cr)

    @api.model
    def _rebuild(self):
        """Recompute every bucket from the journal items."""
        ddl.rebuild_receivable_balance(self.env.cr)
        return True
