# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer credit groups: related customers share one group limit.

A group belongs to one company; its members are commercial partners, each
in at most one group of that company. The credit check tests a member's
own limit and the group's limit (reason ``group_limit``); the exposure of
the group is the sum of its members' exposures (the same SQL aggregates as
a customer's exposure, for all members at once).
"""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..domain import exposure as exposure_domain
from .trusted import trusted_write

AGING_BUCKETS = ("not_due", "1_30", "31_60", "61_90", "91_120", "over_120")


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


class CreditGroupMember(models.Model):
    """One commercial partner in a credit group, with its numbers."""

    _name = "credit.group.member"
    _description = "Customer Credit Group Member"
    _order = "group_id, sequence, id"
    _rec_name = "partner_id"

    group_id = fields.Many2one("credit.group", required=True,
                               ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True,
        ondelete="cascade",
        domain="[('customer', '=', True), '|', ('is_company', '=', True), "
               "('parent_id', '=', False)]")
    company_id = fields.Many2one(
        "res.company", readonly=True, index=True,
        help="The group's company (set from the group).")
    currency_id = fields.Many2one(related="group_id.currency_id",
                                  readonly=True)
    credit_limit = fields.Monetary(
        "Credit Limit", compute="_compute_member_numbers",
        currency_field="currency_id")
    credit_exposure = fields.Monetary(
        "Exposure", compute="_compute_member_numbers",
        currency_field="currency_id")
    credit_available = fields.Monetary(
        "Available Credit", compute="_compute_member_numbers",
        currency_field="currency_id")
    credit_overdue_amount = fields.Monetary(
        "Overdue Amount", compute="_compute_member_numbers",
        currency_field="currency_id")
    credit_overdue_days = fields.Integer(
        "Overdue Days", compute="_compute_member_numbers")
    credit_grade_id = fields.Many2one(
        "credit.grade", "Grade", compute="_compute_member_numbers")
    amount_not_due = fields.Monetary(
        "Not Due", compute="_compute_member_aging",
        currency_field="currency_id")
    amount_1_30 = fields.Monetary(
        "1-30", compute="_compute_member_aging", currency_field="currency_id")
    amount_31_60 = fields.Monetary(
        "31-60", compute="_compute_member_aging", currency_field="currency_id")
    amount_61_90 = fields.Monetary(
        "61-90", compute="_compute_member_aging", currency_field="currency_id")
    amount_91_120 = fields.Monetary(
        "91-120", compute="_compute_member_aging",
        currency_field="currency_id")
    amount_over_120 = fields.Monetary(
        "Older", compute="_compute_member_aging", currency_field="currency_id")

    _sql_constraints = [
        ("partner_company_uniq", "unique(partner_id, company_id)",
         "A customer is in at most one credit group per company."),
    ]

    @api.model
    def create(self, vals):
        group = self.env["credit.group"].browse(vals.get("group_id"))
        vals = dict(vals, company_id=group.company_id.id)
        self._credit_check_free(vals.get("partner_id"), group.company_id)
        return super().create(vals)

    @api.model
    def _credit_check_free(self, partner_id, company):
        """Refuse a customer already in a group of ``company`` (before the
        database's unique constraint does, with the group's name)."""
        other = self.sudo().search([
            ("partner_id", "=", partner_id), ("company_id", "=", company.id),
            ("id", "not in", self.ids)], limit=1)
        if partner_id and other:
            raise ValidationError(_(
                "%s is already a member of the credit group %s.") % (
                    other.partner_id.name, other.group_id.name))

    @api.multi
    def write(self, vals):
        if "group_id" in vals:
            group = self.env["credit.group"].browse(vals["group_id"])
            vals = dict(vals, company_id=group.company_id.id)
        elif "company_id" in vals:
            raise ValidationError(_("A member is in its group's company."))
        return super().write(vals)

    @api.constrains("partner_id")
    def _check_partner(self):
        for member in self.sudo():
            if member.partner_id.commercial_partner_id != member.partner_id:
                raise ValidationError(_(
                    "Add the company %s to the group, not its contact.")
                    % member.partner_id.commercial_partner_id.name)

    @api.constrains("partner_id", "group_id")
    def _check_one_group(self):
        """Also enforced by the unique constraint; this one names the group."""
        for member in self.sudo():
            member._credit_check_free(member.partner_id.id, member.company_id)

    def _compute_member_numbers(self):
        for group in self.mapped("group_id"):
            members = self.filtered(lambda m, g=group: m.group_id == g)
            partners = members.mapped("partner_id").with_context(
                force_company=group.company_id.id)
            partners.sudo().mapped("credit_exposure")  # one batch of SQL
            for member in members:
                partner = member.partner_id.sudo().with_context(
                    force_company=group.company_id.id)
                member.credit_limit = partner.credit_limit
                member.credit_exposure = partner.credit_exposure
                member.credit_available = partner.credit_available
                member.credit_overdue_amount = partner.credit_overdue_amount
                member.credit_overdue_days = partner.credit_overdue_days
                member.credit_grade_id = partner.credit_grade_id

    def _compute_member_aging(self):
        today = fields.Date.context_today(self)
        for group in self.mapped("group_id"):
            members = self.filtered(lambda m, g=group: m.group_id == g)
            rows = self.env["credit.aging"].sudo()._compute_rows(
                group.company_id, today, members.mapped("partner_id").ids)
            for member in members:
                row = rows.get(member.partner_id.id) or {}
                for key in AGING_BUCKETS:
                    name = "amount_%s" % key
                    member[name] = float(row.get(name) or 0.0)


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_group_id = fields.Many2one(
        "credit.group", "Credit Group", compute="_compute_credit_group_id",
        help="The customer's credit group in the current company.")

    def _compute_credit_group_id(self):
        company = self._credit_company()
        members = self.env["credit.group.member"].sudo().search([
            ("partner_id", "in", self.mapped("commercial_partner_id").ids),
            ("company_id", "=", company.id)])
        groups = {m.partner_id.id: m.group_id.id for m in members}
        for partner in self:
            partner.credit_group_id = groups.get(
                partner.commercial_partner_id.id, False)

    def _credit_lock(self):
        """Lock and write the credit groups of these partners first, then
        the partners: two members of one group checked at the same moment
        wait for each other and the second fails to serialize and is retried
        on fresh data (as for one customer). Groups first: every check takes
        its locks in the same order."""
        company_ids = self.env[
            "credit.group.member"]._credit_member_company_ids()
        company_id = self.env.context.get("force_company")
        # no group to lock: no member at all, or none in the checked company
        if self.ids and company_ids and (
                not company_id or company_id in company_ids):
            self.env.cr.execute("""
                SELECT g.id FROM credit_group g
                 WHERE g.id IN (SELECT m.group_id FROM credit_group_member m
                                 WHERE m.partner_id IN %s)
                 ORDER BY g.id FOR UPDATE
            """, (tuple(self.ids),))
            group_ids = [row[0] for row in self.env.cr.fetchall()]
            if group_ids:
                self.env.cr.execute(
                    "UPDATE credit_group SET credit_checked_at = "
                    "(now() at time zone 'UTC') WHERE id IN %s",
                    (tuple(group_ids),))
                self.env["credit.group"].invalidate_cache(
                    ["credit_checked_at"], group_ids)
        return super()._credit_lock()


class CreditCheck(models.Model):
    _inherit = "credit.check"

    group_id = fields.Many2one(
        "credit.group", "Credit Group", readonly=True, index=True,
        help="The customer's credit group when it was checked.")
    group_limit_amount = fields.Monetary(
        "Group Credit Limit", currency_field="currency_id", readonly=True)
    group_exposure_amount = fields.Monetary(
        "Group Exposure Before", currency_field="currency_id", readonly=True,
        help="Exposure of all the group's members before this document.")
    group_excess_amount = fields.Monetary(
        "Excess Over Group Limit", currency_field="currency_id",
        readonly=True)

    @api.model
    def _prepare_snapshot(self, partner, company, policy, amount, term,
                          exclude_order_ids=(), exclude_invoice_ids=(),
                          terms_exceeded=False):
        snap = super()._prepare_snapshot(
            partner, company, policy, amount, term,
            exclude_order_ids=exclude_order_ids,
            exclude_invoice_ids=exclude_invoice_ids,
            terms_exceeded=terms_exceeded)
        group = self.env["credit.group"]._credit_group_of(partner, company)
        if not group:
            return snap
        data = group._credit_member_data(
            today=fields.Date.context_today(self),
            exclude_order_ids=exclude_order_ids,
            exclude_invoice_ids=exclude_invoice_ids)
        return snap._replace(
            group_limit=group.credit_limit,
            group_exposure=group._credit_total_exposure(data, policy))

    @api.model
    def _prepare_group_check_values(self, partner, company, snap, result):
        """The group's numbers stored on the check."""
        group = self.env["credit.group"]._credit_group_of(partner, company)
        if not group:
            return {}
        return {
            "group_id": group.id,
            "group_limit_amount": snap.group_limit,
            "group_exposure_amount": snap.group_exposure,
            "group_excess_amount": result.group_excess,
        }
