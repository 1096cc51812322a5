# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The quotation's credit outlook: what confirming it now would do.

Computed live (never stored) with the confirmation's own gate,
``credit.check._prepare_check_values``, which decides without storing a
check; the order itself is left out of the exposure as at confirmation.
"""
from odoo import _, api, fields, models

from ..domain import decision as decision_domain
from ..domain import quotation as quotation_domain

OUTLOOK_STATES = [
    ("none", "No Credit Check"),
    ("fits", "Fits"),
    ("held", "Will Be Held"),
    ("warning", "Confirmed With a Warning"),
]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    credit_outlook = fields.Selection(
        OUTLOOK_STATES, "Credit Outlook", compute="_compute_credit_outlook",
        help="What the credit check would decide if the quotation were "
             "confirmed now.")
    credit_outlook_currency_id = fields.Many2one(
        "res.currency", compute="_compute_credit_outlook")
    credit_outlook_available = fields.Monetary(
        "Available Credit", compute="_compute_credit_outlook",
        currency_field="credit_outlook_currency_id",
        help="Credit limit less the customer's exposure without this order.")
    credit_outlook_uses = fields.Monetary(
        "This Order Uses", compute="_compute_credit_outlook",
        currency_field="credit_outlook_currency_id")
    credit_outlook_excess = fields.Monetary(
        "Excess Over Limit", compute="_compute_credit_outlook",
        currency_field="credit_outlook_currency_id")
    credit_outlook_prepayment = fields.Monetary(
        "Prepayment to Fit", compute="_compute_credit_outlook",
        currency_field="credit_outlook_currency_id")
    credit_outlook_overdue_payment = fields.Monetary(
        "Overdue to Pay", compute="_compute_credit_outlook",
        currency_field="credit_outlook_currency_id")
    credit_outlook_message = fields.Text(compute="_compute_credit_outlook")
    credit_outlook_reasons = fields.Text(compute="_compute_credit_outlook")
    credit_outlook_suggestion = fields.Text(compute="_compute_credit_outlook")

    @api.depends("partner_id", "company_id", "payment_term_id",
                 "pricelist_id", "date_order", "state", "amount_total",
                 "order_line.price_total")
    def _compute_credit_outlook(self):
        for order in self:
            values = order._credit_outlook_values()
            for name, value in values.items():
                order[name] = value

    def _credit_outlook_empty(self):
        return {
            "credit_outlook": "none",
            "credit_outlook_currency_id": self.company_id.currency_id.id,
            "credit_outlook_available": 0.0,
            "credit_outlook_uses": 0.0,
            "credit_outlook_excess": 0.0,
            "credit_outlook_prepayment": 0.0,
            "credit_outlook_overdue_payment": 0.0,
            "credit_outlook_message": False,
            "credit_outlook_reasons": False,
            "credit_outlook_suggestion": False,
        }

    def _credit_outlook_applies(self, partner, policy):
        """A quotation of a customer with a credit profile in its company
        (a limit or a grade), or one the check would hold anyway."""
        return bool(policy) and self.state in ("draft", "sent") and bool(
            partner.credit_limit or partner.credit_grade_id
            or policy.no_limit_action == "hold")

    def _credit_outlook_check(self):
        """(Decision, values) of the confirmation's check of this order, not
        stored; None when the outlook does not apply."""
        self.ensure_one()
        # the order as the form holds it (in an onchange: unsaved values);
        # the customer's profile and the policy as the credit check reads them
        order = self
        company = order.company_id
        policy = company.sudo().credit_policy_id
        commercial = order.partner_id.commercial_partner_id
        if not (commercial and company):
            return None
        partner = commercial.sudo().with_context(force_company=company.id)
        if not self._credit_outlook_applies(partner, policy):
            return None
        # in a form's onchange the order is a new record: its origin is the
        # saved order, which the exposure must not count twice
        origin = getattr(self, "_origin", None) or self
        exclude = [oid for oid in origin.ids if isinstance(oid, int)]
        term = order.payment_term_id or partner.property_payment_term_id
        return self.env["credit.check"].sudo()._prepare_check_values(
            partner, company, policy,
            order._credit_amount_company_currency(), term, {},
            exclude_order_ids=exclude,
            document_terms=order._credit_document_terms())

    def _credit_outlook_values(self):
        self.ensure_one()
        values = self._credit_outlook_empty()
        checked = self._credit_outlook_check()
        if not checked:
            return values
        result, check = checked
        policy = self.company_id.sudo().credit_policy_id
        currency = self.company_id.currency_id
        outlook = quotation_domain.outlook(
            check["limit_amount"], check["exposure_amount"],
            check["order_amount"], check["overdue_amount"],
            check["excess_amount"], result.reason_codes,
            policy.limit_tolerance_percent)
        money = self._credit_outlook_money
        values.update({
            "credit_outlook_available": outlook.available,
            "credit_outlook_uses": outlook.uses,
            "credit_outlook_excess": outlook.excess,
            "credit_outlook_prepayment": outlook.prepayment,
            "credit_outlook_overdue_payment": outlook.overdue_payment,
        })
        head = _("Available credit %s; this order uses %s.") % (
            money(outlook.available, currency), money(outlook.uses, currency))
        if outlook.fits:
            values.update(credit_outlook="fits", credit_outlook_message=(
                head + " " + _("Fits: confirming it now passes the credit "
                               "check.")))
            return values
        values["credit_outlook_reasons"] = check["reasons"]
        values["credit_outlook_suggestion"] = self._credit_outlook_suggestion(
            outlook, currency) or False
        if policy.check_mode != "block":
            values.update(credit_outlook="warning", credit_outlook_message=(
                head + " " + _("The credit check would fail; in monitor mode "
                               "the order is confirmed and the check "
                               "recorded.")))
            return values
        if decision_domain.LIMIT_EXCEEDED in result.reason_codes:
            verdict = _("Will be held if confirmed now: exceeds the limit by "
                        "%s; a controller can release up to %s.") % (
                money(outlook.excess, currency),
                money(policy.controller_release_excess, currency))
            if check["required_authority"] == decision_domain.MANAGER:
                verdict += " " + _("A credit manager must decide this one.")
        else:
            verdict = _("Will be held if confirmed now.")
        values.update(credit_outlook="held",
                      credit_outlook_message=head + " " + verdict)
        return values

    def _credit_outlook_suggestion(self, outlook, currency):
        """What would make the order fit: paying the overdue amount and/or a
        prepayment (only when those alone clear every reason)."""
        if not outlook.payable:
            return ""
        money = self._credit_outlook_money
        if outlook.overdue_payment and outlook.prepayment:
            return _("Paying the overdue %s and a prepayment of %s would make "
                     "it fit.") % (money(outlook.overdue_payment, currency),
                                   money(outlook.prepayment, currency))
        if outlook.overdue_payment:
            return _("Once the overdue %s is paid, it would fit.") % money(
                outlook.overdue_payment, currency)
        return _("A prepayment (down payment) of %s would make it fit.") % (
            money(outlook.prepayment, currency))

    @staticmethod
    def _credit_outlook_money(amount, currency):
        return "%s %s" % (currency.symbol or currency.name,
                          "{:,.2f}".format(amount))
