# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..domain import terms as terms_domain


class CreditTermTemplate(models.Model):
    """Credit terms granted with a grade: cash discount, net days, interest.

    Each template owns an ``account.payment.term`` that it creates and keeps
    in sync, so invoices and orders use the ordinary Odoo payment term.
    """

    _name = "credit.term.template"
    _description = "Credit Term Template"
    _inherit = ["mail.thread"]
    _order = "net_days, discount_percent desc, id"

    name = fields.Char(required=True, translate=True, track_visibility="onchange")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True,
        default=lambda self: self.env.user.company_id)
    discount_percent = fields.Float(
        "Cash Discount (%)", digits=(5, 2), track_visibility="onchange",
        help="Discount the customer may deduct when paying within the "
             "discount days.")
    discount_days = fields.Integer(track_visibility="onchange")
    net_days = fields.Integer(
        default=30, track_visibility="onchange",
        help="Credit period: days after the invoice date when the full "
             "amount is due.")
    overdue_interest_rate = fields.Float(
        "Overdue Interest (% per year)", digits=(5, 2),
        track_visibility="onchange")
    payment_term_id = fields.Many2one(
        "account.payment.term", readonly=True, copy=False, ondelete="restrict",
        help="Payment term created and kept in sync by this template.")
    label = fields.Char(compute="_compute_label")

    def _get_terms(self):
        self.ensure_one()
        return terms_domain.CreditTerms(
            self.discount_percent, self.discount_days, self.net_days,
            self.overdue_interest_rate)

    @api.depends("discount_percent", "discount_days", "net_days")
    def _compute_label(self):
        for template in self:
            template.label = terms_domain.terms_label(template._get_terms())

    @api.constrains("discount_percent", "discount_days", "net_days",
                    "overdue_interest_rate")
    def _check_terms(self):
        messages = {
            "discount_percent": _("The cash discount must be at least 0 % and "
                                  "below 100 %."),
            "overdue_interest_rate": _("The overdue interest rate must be at "
                                       "least 0 % and below 100 %."),
            "net_days": _("The net days cannot be negative."),
            "discount_days": _("The discount days must be between 0 and the "
                               "net days."),
        }
        for template in self:
            errors = terms_domain.validate_terms(template._get_terms())
            if errors:
                raise ValidationError(
                    _("Credit terms %s: %s") % (
                        template.name,
                        " ".join(messages[key] for key in errors)))

    def _prepare_payment_term_vals(self):
        self.ensure_one()
        note = _("Payment due %d days after the invoice date.") % self.net_days
        if self.discount_percent:
            note = _("%s%% cash discount when paid within %d days; net amount "
                     "due %d days after the invoice date.") % (
                terms_domain.terms_label(self._get_terms()).split("/")[0],
                self.discount_days, self.net_days)
        if self.overdue_interest_rate:
            note += " " + _("Overdue amounts bear interest at %s%% per "
                            "year.") % ("%g" % self.overdue_interest_rate)
        return {
            "name": self.name,
            "note": note,
            "company_id": self.company_id.id,
            "active": self.active,
            "line_ids": [(5, 0, 0), (0, 0, {
                "value": "balance",
                "days": self.net_days,
                "option": "day_after_invoice_date",
            })],
        }

    def _sync_payment_term(self):
        for template in self:
            vals = template._prepare_payment_term_vals()
            if template.payment_term_id:
                template.payment_term_id.sudo().write(vals)
            else:
                term = self.env["account.payment.term"].sudo().create(vals)
                super(CreditTermTemplate, template).write(
                    {"payment_term_id": term.id})
        return True

    @api.model
    def create(self, vals):
        template = super().create(vals)
        template._sync_payment_term()
        return template

    @api.multi
    def write(self, vals):
        res = super().write(vals)
        if set(vals) & {"name", "discount_percent", "discount_days",
                        "net_days", "overdue_interest_rate", "active",
                        "company_id"}:
            self._sync_payment_term()
        return res
