# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer credit groups: related customers share one group limit.

A group belongs to one company; its members are commercial partners, each
in at most one group of that company. The credit check tests a member's
own limit and the group's limit (reason ``group_limit``); the exposure of
the group is the sum of its members' exposures (the same SQL aggregates as
a customer's exposure, for all members at once).

The members live in credit_group_member.py, the group's part in the credit
check (the customer's group, the lock, the snapshot) in credit_group_gate.py.
"""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..domain import exposure as exposure_domain
from .trusted import trusted_write


class CreditGroup(models.Model):
    _name = "credit.group"
    _description = "Customer Credit Group"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name, id"

    name = fields.Char(required=True, track_visibility="onchange")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True,
        default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(related="company_id.currency_id",
                                  readonly=True)
    member_ids = fields.One2many("credit.group.member", "group_id", "Members",
                                 copy=False)
    member_count = fields.Integer(compute="_compute_member_count")
    credit_limit = fields.Monetary(
        "Group Credit Limit", currency_field="currency_id",
        track_visibility="onchange",
        help="The members' exposures together may not exceed it (within the "
             "policy's tolerance). 0: no group limit. Changed through a "
             "credit limit request.")
    credit_grade_id = fields.Many2one(
        "credit.grade", "Group Grade", track_visibility="onchange",
        help="Optional grade of the group as a whole; its limit cap decides "
             "whether a manager approves a group limit request.")
    user_id = fields.Many2one(
        "res.users", "Responsible Controller", track_visibility="onchange",
        domain=lambda self: [("groups_id", "in", self.env.ref(
            "credit_management.group_credit_controller").id)])
    note = fields.Text()
    credit_checked_at = fields.Datetime(
        readonly=True, copy=False,
        help="Last credit check of a member (written to serialize "
             "concurrent checks of the group's members).")

    credit_exposure = fields.Monetary(
        "Group Exposure", compute="_compute_credit_exposure",
        currency_field="currency_id")
    credit_available = fields.Monetary(
        "Available Credit", compute="_compute_credit_exposure",
        currency_field="currency_id")
    credit_usage_percent = fields.Float(
        "Limit Usage (%)", compute="_compute_credit_exposure",
        digits=(16, 1))
    credit_overdue_amount = fields.Monetary(
        "Overdue Amount", compute="_compute_credit_exposure",
        currency_field="currency_id")
    credit_overdue_days = fields.Integer(
        "Overdue Days", compute="_compute_credit_exposure",
        help="Days past due of the oldest overdue item of any member.")
    member_limit_total = fields.Monetary(
        "Members' Limits", compute="_compute_credit_exposure",
        currency_field="currency_id")

    _sql_constraints = [
        ("credit_limit_positive", "CHECK (credit_limit >= 0)",
         "The group credit limit cannot be negative."),
    ]

    @api.depends("member_ids")
    def _compute_member_count(self):
        for group in self:
            group.member_count = len(group.member_ids)

    def _credit_member_data(self, today=None, exclude_order_ids=(),
                            exclude_invoice_ids=()):
        """{member partner id: ExposureData} of this group (one set of SQL
        aggregates for all members)."""
        self.ensure_one()
        partners = self.sudo().member_ids.mapped("partner_id")
        if not partners:
            return {}
        return partners._credit_exposure_data(
            self.company_id, today=today, exclude_order_ids=exclude_order_ids,
            exclude_invoice_ids=exclude_invoice_ids)

    def _credit_total_exposure(self, data, policy=None):
        """The exposures of ``data`` (from _credit_member_data) added up as
        the policy counts them."""
        self.ensure_one()
        policy = policy if policy is not None else \
            self.company_id.sudo().credit_policy_id
        return sum(exposure_domain.total_exposure(
            item,
            include_draft_invoices=policy.include_draft_invoices
            if policy else True,
            include_uninvoiced_orders=policy.include_uninvoiced_orders
            if policy else True) for item in data.values())

    def _compute_credit_exposure(self):
        today = fields.Date.context_today(self)
        today_date = fields.Date.from_string(today)
        for group in self:
            data = group._credit_member_data(today=today) if group.id else {}
            exposure = group._credit_total_exposure(data)
            oldest = [item.oldest_due_date for item in data.values()
                      if item.oldest_due_date]
            group.credit_exposure = exposure
            group.credit_available = exposure_domain.available_credit(
                group.credit_limit, exposure)
            group.credit_usage_percent = (
                exposure / group.credit_limit * 100.0
                if group.credit_limit else 0.0)
            group.credit_overdue_amount = sum(
                item.overdue_amount for item in data.values())
            group.credit_overdue_days = exposure_domain.overdue_days(
                min(oldest) if oldest else None, today_date)
            group.member_limit_total = sum(
                group.member_ids.mapped("credit_limit"))

    # ------------------------------------------------------------------
    # the group limit is the credit team's: a manager, or an approved
    # limit request (trusted write)
    # ------------------------------------------------------------------
    def _credit_check_limit_write(self, vals):
        if "credit_limit" not in vals or trusted_write(self):
            return
        if self.env.user.has_group("credit_management.group_credit_manager"):
            return
        if self and all(abs(group.credit_limit - (vals["credit_limit"] or 0.0))
                        < 0.005 for group in self):
            return
        if not self and not vals["credit_limit"]:
            return
        raise AccessError(_("Only a credit manager may change a group credit "
                            "limit; ask for it through a credit limit "
                            "request."))

    @api.model
    def create(self, vals):
        if (vals.get("credit_limit") or 0.0) < 0:
            raise ValidationError(_("The group credit limit cannot be "
                                    "negative."))
        self.browse()._credit_check_limit_write(vals)
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if (vals.get("credit_limit") or 0.0) < 0:
            raise ValidationError(_("The group credit limit cannot be "
                                    "negative."))
        self._credit_check_limit_write(vals)
        if "company_id" in vals and any(
                group.member_ids and group.company_id.id != vals["company_id"]
                for group in self):
            raise ValidationError(_("A group with members stays in its "
                                    "company."))
        return super().write(vals)

    # ------------------------------------------------------------------
    @api.model
    def _credit_group_of(self, partner, company):
        """The credit group of ``partner``'s commercial partner in
        ``company`` (empty when none)."""
        # one query, none when the company has no group members at all
        # (credit_gate_presence.py); test_gate_query_budget.py compares it
        # with the search of the members
        Group = self.sudo().browse()
        if company.id not in self.env[
                "credit.group.member"]._credit_member_company_ids():
            return Group
        self.env.cr.execute("""
            SELECT m.group_id
              FROM credit_group_member m
              JOIN credit_group g ON g.id = m.group_id
              JOIN res_partner p ON p.commercial_partner_id = m.partner_id
             WHERE p.id = %s AND m.company_id = %s AND g.active
             ORDER BY g.name, g.id, m.sequence, m.id
             LIMIT 1
        """, (partner.id, company.id))
        row = self.env.cr.fetchone()
        return Group.browse(row[0]) if row else Group

    @api.multi
    def action_credit_checks(self):
        self.ensure_one()
        action = self.env.ref("credit_management.credit_check_action").read()[0]
        action["domain"] = [("group_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    @api.multi
    def action_credit_warnings(self):
        self.ensure_one()
        action = self.env.ref(
            "credit_management.credit_warning_action").read()[0]
        action["domain"] = [("group_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    @api.multi
    def action_limit_request(self):
        """A new limit request for the group."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "credit.limit.request",
            "view_mode": "form",
            "target": "current",
            "context": {"default_group_id": self.id,
                        "default_company_id": self.company_id.id,
                        "default_requested_limit": self.credit_limit},
        }
