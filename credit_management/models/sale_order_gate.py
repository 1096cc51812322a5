# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""sale.order: the gate on changes of confirmed orders. A change (of the
order or of its lines) that raises what a confirmed order adds to the
customer's exposure, or gives longer terms, is checked on the new amount;
refused, it is rolled back and its hold stored apart for the credit team."""
import threading
from collections import namedtuple

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..domain import gate as gate_domain
from .sale_order import COMPUTED_LINE_AMOUNTS, refuse_computed_write
from .trusted import is_trusted

# What the gate compares before and after a change of a confirmed order.
GateValue = namedtuple("GateValue", "partner_id company_id amount term")

# The outermost gated write of this thread: {order id: GateValue before}.
# Nested writes (the order lines of a form save) add their orders to it and
# leave the check to the outermost write, which checks once, on the final
# amounts. Thread-local, like the trust marker: never set by a client.
_gate = threading.local()


class _GateRefusal(Exception):
    """Raised inside the gate's savepoint to roll the change back."""

    def __init__(self, values_list, message):
        super().__init__(message)
        self.values_list = values_list
        self.message = message


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # the gate on changes of confirmed orders
    # ------------------------------------------------------------------
    def _credit_gate_value(self):
        """GateValue of this order, or None when it is not confirmed (a
        quotation adds nothing to the exposure)."""
        self.ensure_one()
        order = self.sudo()
        if order.state not in ("sale", "done"):
            return None
        return GateValue(order.partner_id.commercial_partner_id.id,
                         order.company_id.id,
                         order._credit_uninvoiced_amount(),
                         order.payment_term_id)

    def _credit_gate_needs_check(self, before, after):
        """A change needs the check when it raises what this order adds to
        the customer's exposure in its company (a new customer or company
        counts from zero), or gives the customer longer to pay."""
        self.ensure_one()
        if after is None:
            return False
        same = before is not None and before[:2] == after[:2]
        if gate_domain.raises_exposure(before.amount if same else 0.0,
                                       after.amount):
            return True
        if same and before.term != after.term:
            Check = self.env["credit.check"]
            terms = self._credit_document_terms()
            start = fields.Date.from_string(terms["date"])
            old, new = (gate_domain.term_profile(start, Check._term_installments(
                term, terms["date"], terms["amount"] or 100.0,
                terms["currency"])) for term in (before.term, after.term))
            return gate_domain.terms_exceed(new, old)
        return False

    def _credit_gated(self, operation):
        """Run ``operation`` (a write of these orders or of their lines)
        through the credit gate and return its result.

        A change that raises a confirmed order's uninvoiced amount is
        checked on the new amount. Refused (block mode), it is rolled back
        and a UserError explains why; the held check is stored in its own
        transaction so that the credit team can release it.
        """
        frame = getattr(_gate, "frame", None)
        if frame is not None:
            for order in self:
                if order.id not in frame:
                    frame[order.id] = order._credit_gate_value()
            return operation()
        if is_trusted() or not any(
                order.state in ("sale", "done") for order in self.sudo()):
            return operation()
        before = {order.id: order._credit_gate_value() for order in self}
        _gate.frame = before
        try:
            with self.env.cr.savepoint():
                result = operation()
                _gate.frame = None
                refused = self.browse(list(before))._credit_gate_check(before)
                if refused:
                    raise _GateRefusal(refused,
                                       self._credit_refusal_message(refused))
        except _GateRefusal as refusal:
            # the savepoint rolled the change back: nothing of it remains
            self.invalidate_cache()
            self.env["credit.check"]._credit_store_apart(refusal.values_list)
            raise UserError(refusal.message)
        finally:
            _gate.frame = None
        return result

    def _credit_gate_check(self, before):
        """Check the orders the change raised; return the values of the
        checks that refuse it (block mode)."""
        refused = []
        orders = self.exists().sorted(
            lambda o: (o.sudo().partner_id.commercial_partner_id.id, o.id))
        for order in orders:
            after = order._credit_gate_value()
            if order._credit_gate_needs_check(before.get(order.id), after):
                values = order._credit_check_change()
                if values:
                    refused.append(values)
        return refused

    def _credit_check_change(self):
        """Check this confirmed order on its new uninvoiced amount (the
        exposure counts it once). Return the held check's values when the
        change is refused, else None (passed, monitored or released)."""
        self.ensure_one()
        order = self.sudo()
        company = order.company_id
        policy = company.credit_policy_id
        if not policy:
            return None
        partner = order.partner_id.commercial_partner_id
        partner._credit_lock()
        partner._credit_prefetch_profile(company)
        amount = order._credit_uninvoiced_amount()
        Check = self.env["credit.check"]
        vals = order._prepare_credit_check_vals(trigger="change")
        vals["requested_by"] = self.env.uid
        result, values = Check._prepare_check_values(
            partner, company, policy, amount,
            order.payment_term_id or partner.property_payment_term_id, vals,
            exclude_order_ids=order.ids,
            document_terms=order._credit_document_terms())
        if result.passed or policy.check_mode != "block":
            check = Check._create_check(values)
            if not result.passed:
                order._credit_post_change_note(check)
            return None
        release = Check.sudo().search([
            ("order_id", "=", order.id), ("trigger", "=", "change"),
            ("decision", "=", "released"), ("release_used", "=", False)],
            order="id desc").filtered(lambda c: c._credit_covers(values))[:1]
        if release:
            release._write_decision({"release_used": True})
            order.message_post(
                body=_("Change saved under the credit team's release of "
                       "%s (%s).") % (release.name, release.decided_by.name),
                subtype="mail.mt_note")
            return None
        return values

    def _credit_refusal_message(self, values_list):
        """The refusal as the user reads it: numbers, reasons, who decides."""
        authorities = dict(self.env["credit.check"]._fields[
            "required_authority"]._description_selection(self.env))
        parts = []
        for values in values_list:
            currency = self.env["res.currency"].browse(values["currency_id"])

            def money(amount, currency=currency):
                return "%s %s" % (currency.symbol or currency.name,
                                  "{:,.2f}".format(amount))

            parts.append("\n".join([
                _("Credit hold: the change to %s was not saved (uninvoiced "
                  "amount after the change %s, exposure without this order "
                  "%s, credit limit %s).") % (
                    values["name"], money(values["order_amount"]),
                    money(values["exposure_amount"]),
                    money(values["limit_amount"])),
                values["reasons"],
                _("Who decides: %s. The hold was sent to the credit team; "
                  "once they release it, save the same change again.")
                % authorities.get(values["required_authority"], ""),
            ]))
        return "\n\n".join(parts)

    def _credit_hold_change(self, check):
        """Tell the chatter and the credit team about a refused change
        (runs in the transaction that stores the hold)."""
        self.ensure_one()
        self._credit_post_reasons(
            _("Credit hold: a change raising the order to %s was not saved; "
              "it waits for the credit team.") % "{:,.2f}".format(
                check.order_amount), check, as_list=True)
        self._credit_schedule_review(
            check, summary=_("Credit hold: review the change of %s"))

    def _credit_post_change_note(self, check):
        self._credit_post_reasons(
            _("Credit check failed (monitor mode, change saved):"), check)


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model
    def create(self, vals):
        order = self.env["sale.order"].browse(vals.get("order_id"))
        return order._credit_gated(
            lambda: super(SaleOrderLine, self).create(vals))

    @api.multi
    def write(self, vals):
        refuse_computed_write(self, vals, COMPUTED_LINE_AMOUNTS)
        orders = self.mapped("order_id")
        if vals.get("order_id"):
            orders |= orders.browse(vals["order_id"])
        return orders._credit_gated(
            lambda: super(SaleOrderLine, self).write(vals))
