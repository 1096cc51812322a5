# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import sql

from odoo import api, fields, models, tools

from ..queries.ddl import create_profile_function


class CreditCheckReport(models.Model):
    """Credit checks and held orders for pivot and graph dashboards."""

    _name = "credit.check.report"
    _description = "Credit Check Analysis"
    _auto = False
    _order = "check_date desc"
    _rec_name = "check_date"

    check_date = fields.Datetime(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    order_id = fields.Many2one("sale.order", "Sales Order", readonly=True)
    invoice_id = fields.Many2one("account.invoice", "Invoice", readonly=True)
    credit_grade_id = fields.Many2one("credit.grade", "Credit Grade",
                                      readonly=True)
    result = fields.Selection(
        [("passed", "Passed"), ("blocked", "Blocked")], readonly=True)
    hold_state = fields.Selection(
        [("none", "Not Held"), ("held", "Waiting"), ("released", "Released"),
         ("rejected", "Rejected"), ("closed", "Closed Without Decision")],
        "Hold", readonly=True)
    required_authority = fields.Selection(
        [("controller", "Credit controller"), ("manager", "Credit manager")],
        readonly=True)
    decided_by = fields.Many2one("res.users", readonly=True)
    check_count = fields.Integer("Checks", readonly=True)
    hold_count = fields.Integer("Holds", readonly=True)
    decided_count = fields.Integer("Decided Holds", readonly=True)
    order_amount = fields.Float("Amount", readonly=True)
    held_amount = fields.Float(readonly=True)
    excess_amount = fields.Float("Excess Over Limit", readonly=True)
    overdue_amount = fields.Float(readonly=True)
    overdue_days = fields.Integer(readonly=True, group_operator="max")
    decision_hours = fields.Float(
        "Hours to Decision", readonly=True, group_operator="avg",
        help="Time from the hold to the release or rejection.")

    def _select(self):
        return """
            SELECT c.id,
                   c.check_date,
                   c.company_id,
                   c.partner_id,
                   c.user_id,
                   c.order_id,
                   c.invoice_id,
                   cp.credit_grade_id,
                   c.result,
                   CASE WHEN c.result <> 'blocked' THEN 'none'
                        WHEN c.decision IS NOT NULL THEN c.decision
                        WHEN c.is_held THEN 'held'
                        ELSE 'closed' END AS hold_state,
                   c.required_authority,
                   c.decided_by,
                   1 AS check_count,
                   CASE WHEN c.result = 'blocked' THEN 1 ELSE 0 END AS hold_count,
                   CASE WHEN c.decision IS NOT NULL THEN 1 ELSE 0 END
                       AS decided_count,
                   c.order_amount,
                   CASE WHEN c.result = 'blocked' THEN c.order_amount ELSE 0 END
                       AS held_amount,
                   c.excess_amount,
                   c.overdue_amount,
                   c.overdue_days,
                   CASE WHEN c.decision_date IS NOT NULL
                        THEN EXTRACT(EPOCH FROM c.decision_date - c.check_date)
                             / 3600.0 END AS decision_hours
        """

    def _from(self):
        # the customer's grade in the check's company (credit profile)
        return """
              FROM credit_check c
              LEFT JOIN (
                  SELECT co.id AS company_id, prof.*
                    FROM res_company co
                   CROSS JOIN LATERAL credit_partner_profile(co.id) prof
              ) cp ON cp.company_id = c.company_id
                  AND cp.partner_id = c.partner_id
        """

    @api.model_cr
    def init(self):
        create_profile_function(self.env.cr)
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(sql.SQL("CREATE VIEW {} AS ({} {})").format(
            sql.Identifier(self._table), sql.SQL(self._select()),
            sql.SQL(self._from())))
