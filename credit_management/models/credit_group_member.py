# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The members of a customer credit group, with their numbers (limit,
exposure, overdue, aging) shown on the group."""
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

AGING_BUCKETS = ("not_due", "1_30", "31_60", "61_90", "91_120", "over_120")


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
