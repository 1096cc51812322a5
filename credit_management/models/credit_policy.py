# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CreditPolicy(models.Model):
    """The credit policy in force for one company (客户信用制度).

    Every change is tracked in the chatter and raises ``version``; checks and
    decisions record the version they were taken under.
    """

    _name = "credit.policy"
    _description = "Credit Policy"
    _inherit = ["mail.thread"]
    _order = "company_id"

    # fields whose change does not make a new policy version
    _credit_unversioned_fields = {
        "version", "message_follower_ids", "message_ids", "activity_ids",
        "message_main_attachment_id", "message_last_post",
    }

    name = fields.Char(required=True, translate=True, default="Credit Policy",
                       track_visibility="onchange")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, ondelete="cascade",
        default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    version = fields.Integer(
        default=1, readonly=True, copy=False, track_visibility="onchange",
        help="Raised by every change; checks and decisions record it.")
    check_mode = fields.Selection(
        [("monitor", "Monitor only"), ("block", "Block orders")],
        default="monitor", required=True, track_visibility="onchange",
        help="Monitor only: every confirmation is checked and recorded but "
             "never stopped. Block orders: an order that fails the check is "
             "held until a controller or manager decides.")
    invoice_check_mode = fields.Selection(
        [("none", "No check"), ("warn", "Warn and record"),
         ("block", "Block until decided")],
        "Invoice Check", default="warn", required=True,
        track_visibility="onchange",
        help="Validating a customer invoice runs the same credit rules. "
             "Warn: the invoice is validated, the failed check is recorded "
             "and shown. Block: the invoice stays draft until a controller "
             "or manager releases it.")
    limit_tolerance_percent = fields.Float(
        "Limit Tolerance (%)", digits=(5, 2), track_visibility="onchange",
        help="Exposure may exceed the credit limit by this share before the "
             "limit rule fails.")
    overdue_grace_days = fields.Integer(
        default=0, track_visibility="onchange",
        help="Overdue invoices fail the check only when their oldest due "
             "date is more than this many days ago.")
    include_draft_invoices = fields.Boolean(
        "Count Draft Invoices", default=True, track_visibility="onchange")
    include_uninvoiced_orders = fields.Boolean(
        "Count Uninvoiced Orders", default=True, track_visibility="onchange",
        help="Confirmed sales orders not invoiced yet count in the exposure.")
    no_limit_action = fields.Selection(
        [("allow", "Allow (no limit check)"),
         ("hold", "Hold until a limit is approved")],
        default="allow", required=True, track_visibility="onchange",
        string="Customers Without Limit",
        help="What happens to a customer who has neither an approved credit "
             "limit nor a grade. 'Allow' keeps selling to existing "
             "customers when the addon is installed on a live database; "
             "overdue, hold and grade rules still apply.")
    review_interval_months = fields.Integer(
        "Default Review Interval (months)", default=12,
        track_visibility="onchange",
        help="Used when a grade sets no review interval of its own.")
    review_overdue_blocks = fields.Boolean(
        "Block When Review Overdue", default=False, track_visibility="onchange")
    controller_limit_authority = fields.Monetary(
        currency_field="currency_id",
        track_visibility="onchange",
        help="Controllers approve credit limits up to this amount; above it "
             "a manager approves.")
    scorecard_id = fields.Many2one(
        "credit.scorecard", "Scorecard", track_visibility="onchange",
        default=lambda self: self.env.ref(
            "credit_management.credit_scorecard_default",
            raise_if_not_found=False),
        help="Indicators, weights and score bands used by evaluations.")
    controller_release_excess = fields.Monetary(
        "Controller Release Authority (excess)", currency_field="currency_id",
        track_visibility="onchange",
        help="Controllers may release a held order whose exposure exceeds "
             "the limit by up to this amount; above it a manager decides.")
    controller_release_overdue_days = fields.Integer(
        "Controller Release Authority (overdue days)", default=30,
        track_visibility="onchange",
        help="Controllers may release a held order of a customer overdue up "
             "to this many days; beyond it a manager decides.")

    # receivables monitoring: aging
    aging_dso_window_days = fields.Integer(
        "DSO Window (days)", default=90, track_visibility="onchange",
        help="Days sales outstanding compare the open receivable with the "
             "credit sales of this many days.")
    aging_thin_snapshots = fields.Boolean(
        "Thin Old Aging Snapshots", default=True,
        track_visibility="onchange")
    aging_keep_daily_days = fields.Integer(
        "Keep Daily Snapshots (days)", default=60, track_visibility="onchange",
        help="Older snapshots are thinned to one per week.")
    aging_keep_weekly_days = fields.Integer(
        "Keep Weekly Snapshots (days)", default=365,
        track_visibility="onchange",
        help="Older snapshots are thinned to one per month.")

    # receivables monitoring: warnings, penalties, rewards, collections
    warning_user_id = fields.Many2one(
        "res.users", "Responsible Controller", track_visibility="onchange",
        help="Gets the activities of warnings and collections when the "
             "customer's dossier names no controller.")
    warning_usage_percent = fields.Float(
        "Limit Usage Warning (%)", default=80.0, track_visibility="onchange",
        help="Warn when the exposure reaches this share of the limit; "
             "reaching 100 % raises a 'limit exceeded' warning.")
    warning_overdue_amount = fields.Monetary(
        "Overdue Amount Warning", currency_field="currency_id",
        track_visibility="onchange",
        help="Warn when the overdue amount is above this. 0: off.")
    warning_overdue_days_levels = fields.Char(
        "Overdue Days Levels", default="30,60,90",
        track_visibility="onchange",
        help="Comma-separated day levels: reaching the first gives a low, "
             "the second a medium, the third a high severity warning.")
    warning_temp_limit_days = fields.Integer(
        "Temporary Limit Ending (days)", default=14,
        track_visibility="onchange",
        help="Warn this many days before a temporary limit ends.")
    warning_trend_window_days = fields.Integer(
        "Trend Window (days)", default=30, track_visibility="onchange",
        help="Trend and grade-downgrade warnings compare the aging "
             "snapshots of this many days.")
    warning_dso_worsening_days = fields.Float(
        "DSO Worsening (days)", default=15.0, track_visibility="onchange",
        help="Warn when DSO grew by this many days over the trend window. "
             "0: off.")
    warning_late_rising_days = fields.Float(
        "Days Late Rising (days)", default=5.0, track_visibility="onchange",
        help="Warn when the average days late grew by this much over the "
             "trend window. 0: off.")
    warning_overdue_growth_count = fields.Integer(
        "Overdue Growing (snapshots)", default=3, track_visibility="onchange",
        help="Warn when the overdue amount grew at this many snapshots in a "
             "row. 0: off.")
    penalty_action = fields.Selection(
        [("none", "Warn only"), ("hold", "Put on credit hold"),
         ("reduce", "Request a limit reduction"),
         ("hold_reduce", "Hold and request a limit reduction")],
        "Penalty", default="none", required=True,
        track_visibility="onchange",
        help="What happens automatically when a customer's open warnings "
             "reach the penalty severity. A limit is never changed "
             "silently: a reduction is a request for approval.")
    penalty_severity = fields.Selection(
        [("medium", "Medium"), ("high", "High"), ("critical", "Critical")],
        default="high", required=True, track_visibility="onchange")
    penalty_reduce_percent = fields.Float(
        "Limit Reduction (%)", default=30.0, track_visibility="onchange")
    reward_months = fields.Integer(
        "Reward On-Time Payers After (months)", default=6,
        track_visibility="onchange",
        help="Customers paying every invoice on time for this many months "
             "get a limit-increase proposal. 0: off.")
    reward_increase_percent = fields.Float(
        "Proposed Limit Increase (%)", default=20.0,
        track_visibility="onchange")
    warning_escalation_days = fields.Integer(
        "Escalate High Warnings After (days)", default=7,
        track_visibility="onchange",
        help="A high or critical warning still open this many days after it "
             "was raised goes to the credit managers (to-do and message). "
             "0: off.")
    followup_level_ids = fields.One2many(
        "credit.followup.level", "policy_id", "Follow-up Levels", copy=True)

    _sql_constraints = [
        ("company_uniq", "unique(company_id)",
         "A company has exactly one credit policy."),
    ]

    @api.constrains("limit_tolerance_percent", "overdue_grace_days",
                    "review_interval_months", "controller_limit_authority",
                    "controller_release_excess",
                    "controller_release_overdue_days")
    def _check_values(self):
        for policy in self:
            if not 0 <= policy.limit_tolerance_percent < 100:
                raise ValidationError(
                    _("The limit tolerance must be at least 0 % and below "
                      "100 %."))
            for field in ("overdue_grace_days", "review_interval_months",
                          "controller_limit_authority",
                          "controller_release_excess",
                          "controller_release_overdue_days"):
                if policy[field] < 0:
                    raise ValidationError(
                        _("%s cannot be negative.")
                        % policy._fields[field].get_description(
                            self.env)["string"])

    @api.constrains("aging_dso_window_days", "aging_keep_daily_days",
                    "aging_keep_weekly_days")
    def _check_monitoring_values(self):
        for policy in self:
            if policy.aging_dso_window_days <= 0:
                raise ValidationError(
                    _("The DSO window must be at least one day."))
            if policy.aging_keep_daily_days < 0 \
                    or policy.aging_keep_weekly_days < 0:
                raise ValidationError(
                    _("Snapshot retention periods cannot be negative."))

    @api.multi
    def write(self, vals):
        if set(vals) - self._credit_unversioned_fields and "version" not in vals:
            for policy in self:
                super(CreditPolicy, policy).write(
                    dict(vals, version=policy.version + 1))
            return True
        return super().write(vals)

    @api.multi
    def unlink(self):
        if self:
            raise ValidationError(
                _("A credit policy cannot be deleted: checks and decisions "
                  "refer to it. Change it instead."))
        return super().unlink()

    # ------------------------------------------------------------------
    # Default collection levels
    # ------------------------------------------------------------------
    @api.model
    def _get_default_followup_levels(self):
        ref = self.env.ref
        return [
            {"name": _("Payment reminder"), "days": 1, "channel": "email",
             "mail_template_id": ref(
                 "credit_management.mail_template_credit_reminder",
                 raise_if_not_found=False)},
            {"name": _("Phone call"), "days": 15, "channel": "call",
             "activity_type_id": ref("mail.mail_activity_data_call",
                                     raise_if_not_found=False)},
            {"name": _("Final notice"), "days": 30, "channel": "letter",
             "mail_template_id": ref(
                 "credit_management.mail_template_credit_final_notice",
                 raise_if_not_found=False)},
            {"name": _("Legal hand-over"), "days": 60, "channel": "legal",
             "legal_handover": True,
             "activity_type_id": ref("mail.mail_activity_data_todo",
                                     raise_if_not_found=False)},
            {"name": _("Credit hold"), "days": 90, "channel": "hold",
             "set_hold": True},
        ]

    @api.model
    def _credit_ensure_followup_levels(self):
        """Give policies without follow-up levels the default ones."""
        for policy in self.sudo().search([("followup_level_ids", "=", False)]):
            policy.with_context(tracking_disable=True).write({
                "version": policy.version,
                "followup_level_ids": [
                    (0, 0, {key: value.id if isinstance(value, models.Model)
                            else value for key, value in vals.items()})
                    for vals in self._get_default_followup_levels()]})
        return True

    @api.model
    def create(self, vals):
        policy = super().create(vals)
        # while the module's data loads, data/credit_followup_data.xml adds
        # the levels once their e-mail templates exist
        if not policy.followup_level_ids and self.env.ref(
                "credit_management.mail_template_credit_reminder",
                raise_if_not_found=False):
            self._credit_ensure_followup_levels()
        return policy
