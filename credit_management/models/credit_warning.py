# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""credit.warning: the record, its buttons and closing.

The job that raises and closes warnings is in credit_warning_job.py (what
it reads: queries/warning.py), keeping warnings in line with the signals in
credit_warning_sync.py, the messages in credit_warning_message.py, the
penalties and rewards in credit_warning_control.py; the rules themselves in
domain/risk_warnings.py.
"""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..domain import risk_warnings as warning_domain

WARNING_TYPES = [
    ("limit_usage", "Limit usage high"),
    ("limit_exceeded", "Limit exceeded"),
    ("overdue_amount", "Overdue amount"),
    ("overdue_days", "Overdue days"),
    ("temp_limit_expiring", "Temporary limit ending"),
    ("review_overdue", "Credit review overdue"),
    ("grade_downgraded", "Grade downgraded"),
    ("dso_worsening", "DSO worsening"),
    ("days_late_rising", "Days late rising"),
    ("overdue_growing", "Overdue growing"),
    ("broken_promise", "Broken promise to pay"),
    ("good_payer", "On-time payer (reward proposal)"),
]
SEVERITIES = [("info", "Info"), ("low", "Low"), ("medium", "Medium"),
              ("high", "High"), ("critical", "Critical")]


class CreditWarning(models.Model):
    """A credit risk warning on a customer (信用风险预警).

    Raised and closed by the warning cron: one open warning per customer,
    company and type; it follows the indicator (severity and message are
    updated) and is closed automatically when the indicator clears.
    """

    _name = "credit.warning"
    _description = "Credit Warning"
    _inherit = ["mail.thread", "mail.activity.mixin", "credit.cron.mixin"]
    _order = "state desc, severity_rank desc, date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True,
        ondelete="cascade", readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True,
        default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=True)
    warning_type = fields.Selection(
        WARNING_TYPES, "Type", required=True, index=True, readonly=True)
    severity = fields.Selection(
        SEVERITIES, required=True, default="medium", readonly=True,
        track_visibility="onchange")
    severity_rank = fields.Integer(
        compute="_compute_severity_rank", store=True)
    state = fields.Selection(
        [("open", "Open"), ("done", "Done")], default="open", required=True,
        index=True, readonly=True, track_visibility="onchange")
    message = fields.Text(readonly=True)
    value = fields.Float(
        readonly=True, help="The measured number (amount, %, days).")
    threshold = fields.Float(readonly=True, help="The policy's threshold.")
    user_id = fields.Many2one(
        "res.users", "Responsible", readonly=True,
        track_visibility="onchange")
    date = fields.Date(
        "Raised On", required=True, readonly=True, index=True,
        default=fields.Date.context_today)
    date_done = fields.Date("Closed On", readonly=True)
    resolution = fields.Char(readonly=True)
    policy_id = fields.Many2one("credit.policy", readonly=True)
    policy_version = fields.Integer(readonly=True)
    limit_request_id = fields.Many2one(
        "credit.limit.request", "Limit Request", readonly=True,
        help="Limit reduction (penalty) or increase (reward) asked for "
             "approval because of this warning.")
    digest_id = fields.Many2one(
        "credit.warning.digest", "Digest", readonly=True, index=True,
        ondelete="set null",
        help="The list of new warnings the responsible was given a to-do "
             "for, the day this warning was raised.")
    action_taken = fields.Selection(
        [("none", "None"), ("hold", "Credit hold"),
         ("request", "Limit request"), ("hold_request", "Hold and request"),
         ("proposal", "Reward proposal")],
        default="none", readonly=True,
        help="Automatic control (penalty or reward) taken on this warning.")

    @api.depends("severity")
    def _compute_severity_rank(self):
        for warning in self:
            warning.severity_rank = warning_domain.severity_rank(
                warning.severity)

    @api.multi
    def name_get(self):
        labels = dict(WARNING_TYPES)
        return [(w.id, "%s: %s" % (w.partner_id.display_name,
                                   labels.get(w.warning_type)))
                for w in self]

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    @api.multi
    def action_done(self):
        """Close by hand; raised again by the cron if the cause holds."""
        if not self.env.user.has_group(
                "credit_management.group_credit_controller"):
            raise UserError(_("Only the credit team may close warnings."))
        self.sudo()._close(_("Closed by %s") % self.env.user.name)
        return True

    def _close(self, resolution):
        for warning in self.filtered(lambda w: w.state == "open"):
            warning.write({"state": "done", "resolution": resolution,
                           "date_done": fields.Date.context_today(self)})
            warning.activity_ids.action_feedback(feedback=resolution)
        return True
