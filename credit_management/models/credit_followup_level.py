# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

CHANNELS = [("email", "E-mail"), ("call", "Phone call"), ("letter", "Letter"),
            ("legal", "Legal hand-over"), ("hold", "Credit hold")]


class CreditFollowupLevel(models.Model):
    """A collection (催收) step of the policy: what happens when a customer's
    oldest unpaid invoice is at least ``days`` past due."""

    _name = "credit.followup.level"
    _description = "Collection Follow-up Level"
    _order = "policy_id, days, sequence, id"

    policy_id = fields.Many2one(
        "credit.policy", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(
        related="policy_id.company_id", store=True, readonly=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    days = fields.Integer(
        "Days Overdue", required=True,
        help="The level applies when the oldest unpaid invoice is at least "
             "this many days past due.")
    channel = fields.Selection(CHANNELS, required=True, default="email")
    mail_template_id = fields.Many2one(
        "mail.template", "E-mail Template",
        domain=[("model", "=", "res.partner")],
        help="Statement of overdue invoices sent to the customer.")
    activity_type_id = fields.Many2one(
        "mail.activity.type", "Activity",
        help="Activity planned for the responsible controller (e.g. a "
             "phone call).")
    set_hold = fields.Boolean(
        "Put on Credit Hold",
        help="Orders of the customer fail the credit check from this level.")
    legal_handover = fields.Boolean(
        "Hand Over to Legal",
        help="Opens the legal escalation case on the customer's dossier.")
    instructions = fields.Text(translate=True)

    _sql_constraints = [
        ("days_positive", "CHECK(days > 0)",
         "A follow-up level starts at one day overdue or later."),
    ]

    @api.constrains("policy_id", "days")
    def _check_unique_days(self):
        for level in self:
            if self.search_count([("policy_id", "=", level.policy_id.id),
                                  ("days", "=", level.days)]) > 1:
                raise ValidationError(
                    _("Two follow-up levels of a policy cannot start on the "
                      "same day."))
