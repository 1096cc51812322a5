# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""sale.order: the credit check at confirmation (a credit-checked document,
see credit_checked_document.py); the gate on changes of confirmed orders
is in sale_order_gate.py."""
import threading

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..domain import gate as gate_domain
from .trusted import credit_trusted, is_released, is_trusted

# Amounts computed from the lines: written only by Odoo's computation. A
# client writing them would change what the credit check counts.
COMPUTED_ORDER_AMOUNTS = ("amount_untaxed", "amount_tax", "amount_total")
COMPUTED_LINE_AMOUNTS = (
    "price_subtotal", "price_tax", "price_total", "price_reduce",
    "price_reduce_taxinc", "price_reduce_taxexcl", "qty_invoiced",
    "qty_to_invoice")

# The confirmation under way in this thread: {order id: (credit state to
# write with the confirmation's own write, first check of the order)}.
# Thread-local, like the trust marker: never set by a client.
_confirming = threading.local()


def refuse_computed_write(self, vals, fields_):
    """Refuse writing computed amounts of ``self`` (orders or lines) outside
    the addon's own code. (``self``: Odoo's _() finds the language there.)"""
    if is_trusted():
        return
    written = [name for name in fields_
               if name in vals and name in self._fields]
    if written:
        raise UserError(_(
            "%s is computed from the order lines and cannot be written.")
            % self._fields[written[0]].get_description(
                self.env)["string"])


CREDIT_STATES = [
    ("unchecked", "Not Checked"),
    ("passed", "Credit OK"),
    ("blocked", "Credit Hold"),
    ("released", "Released"),
    ("rejected", "Rejected"),
]


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "credit.checked.document"]

    credit_state = fields.Selection(
        CREDIT_STATES, "Credit", default="unchecked", required=True,
        readonly=True, copy=False, index=True,
        help="Result of the credit check run when the order is confirmed.")
    credit_check_ids = fields.One2many(
        "credit.check", "order_id", "Credit Checks", readonly=True, copy=False)
    credit_check_count = fields.Integer(compute="_compute_credit_check_count")
    credit_hold_reasons = fields.Text(
        compute="_compute_credit_check_count",
        help="Why the last credit check held or rejected the order.")

    @api.depends("credit_check_ids")
    def _compute_credit_check_count(self):
        for order in self:
            checks = order.sudo().credit_check_ids
            order.credit_check_count = len(checks)
            last = checks[:1]
            order.credit_hold_reasons = (
                last.reasons if order.credit_state in ("blocked", "rejected")
                else False)

    # ------------------------------------------------------------------
    # no way around the check
    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):
        if not is_trusted() and (
                vals.get("credit_state", "unchecked") != "unchecked"
                or vals.get("state") in ("sale", "done")):
            raise UserError(_("An order is created as a quotation and "
                              "confirmed with the Confirm button, which runs "
                              "the credit check."))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if not is_trusted():
            if "credit_state" in vals and any(
                    order.credit_state != vals["credit_state"] for order in self):
                raise UserError(_("The credit state is set by the credit "
                                  "check and the credit team's decision."))
            if vals.get("state") in ("sale", "done") and any(
                    order.state not in ("sale", "done") for order in self):
                raise UserError(_("Confirm the order with the Confirm button: "
                                  "it runs the credit check."))
        refuse_computed_write(self, vals, COMPUTED_ORDER_AMOUNTS)
        pending = getattr(_confirming, "state", None)
        first = False
        if pending and vals.get("state") == "sale" and is_trusted() \
                and set(self.ids) <= set(pending):
            states = {pending[order_id][0] for order_id in self.ids}
            if len(states) == 1:
                vals = dict(vals, credit_state=states.pop())
                first = all(pending[order_id][1] for order_id in self.ids)
                _confirming.state = None
        # a first confirmation has no earlier check to refresh
        moved = [] if first else self._credit_held_state_moves(vals)
        result = self._credit_gated(
            lambda: super(SaleOrder, self).write(vals))
        if moved:
            self.env["credit.check"]._credit_held_candidates(
                "order_id", moved)._credit_recompute_held()
        return result

    def _credit_held_state_moves(self, vals):
        """Ids of these orders whose checks may be held or not after this
        write: a held check waits while its order is a quotation (a held
        change: while it is confirmed)."""
        # (the states are not read: the query that finds the checks costs
        # as much as the read, and confirming crosses anyway)
        return self.ids if "state" in vals else []

    @api.multi
    def unlink(self):
        checks = self.env["credit.check"]._credit_held_candidates(
            "order_id", self.ids)
        result = super().unlink()
        checks._credit_recompute_held()
        return result

    # ------------------------------------------------------------------
    # the check at confirmation
    # ------------------------------------------------------------------
    @api.multi
    def action_confirm(self):
        to_check = self.filtered(lambda o: o.state in ("draft", "sent"))
        held = self.env["credit.check"]
        result = True
        with credit_trusted():
            others = self - to_check
            if others:
                result = super(SaleOrder, others).action_confirm()
            # several orders: one customer after the other (lock order)
            for order in to_check if len(to_check) < 2 else to_check.sorted(
                    lambda o: (o.partner_id.commercial_partner_id.id, o.id)):
                if is_released(order):
                    order._credit_set_state({"credit_state": "released"})
                    result = super(SaleOrder, order).action_confirm()
                    continue
                # never checked: no check of the order waits for a decision
                first = order.credit_state == "unchecked"
                check = order._credit_run_check()
                if check and check.result == "blocked" \
                        and check.check_mode == "block":
                    order._credit_hold(check)
                    held |= check
                    continue
                if check:
                    if check.result == "blocked":
                        order._credit_post_monitor_note(check)
                # the credit state goes with the confirmation's own write
                _confirming.state = {order.id: ("passed", first)} \
                    if check else None
                try:
                    result = super(SaleOrder, order).action_confirm()
                    if getattr(_confirming, "state", None):  # not written
                        order._credit_set_state({"credit_state": "passed"})
                finally:
                    _confirming.state = None
        if held:
            return held._credit_hold_action()
        return result

    def _credit_set_state(self, vals):
        """Write the credit state (the chatter tells holds and decisions)."""
        return self.with_context(tracking_disable=True).write(vals)

    # credit-checked document hooks
    def _credit_check_exclusions(self):
        return {"exclude_order_ids": self.ids}

    def _credit_document_name(self):
        return self.name

    def _credit_confirm_document(self):
        return self.action_confirm()

    def _credit_to_company_currency(self, amount):
        """``amount`` of this order converted to the company currency at
        today's rate, like the uninvoiced orders in the exposure."""
        self.ensure_one()
        company = self.company_id
        if self.currency_id == company.currency_id:
            return amount
        return self.currency_id.with_context(
            date=fields.Date.context_today(self), company_id=company.id
        ).compute(amount, company.currency_id, round=False)

    def _credit_amount_company_currency(self):
        """The order total in the company currency (checked at
        confirmation)."""
        self.ensure_one()
        return self._credit_to_company_currency(self.amount_total)

    def _credit_uninvoiced_document_amount(self):
        """What this order adds to the exposure once confirmed, in its own
        currency: the uninvoiced part of its lines, taxes included."""
        self.ensure_one()
        return sum(gate_domain.uninvoiced_share(
            line.price_total, line.product_uom_qty, line.qty_invoiced)
            for line in self.order_line)

    def _credit_uninvoiced_amount(self):
        """The same in the company currency: the amount the exposure counts
        for this order while it is confirmed (checked when it is raised)."""
        self.ensure_one()
        return self._credit_to_company_currency(
            self._credit_uninvoiced_document_amount())

    def _credit_current_amount(self, check):
        """The amount of this order that ``check`` decided on, as it is now."""
        self.ensure_one()
        if check.trigger == "change":
            return self._credit_uninvoiced_amount()
        return self._credit_amount_company_currency()

    def _credit_document_terms(self, term=None, amount=None):
        """The order's payment terms for the terms rule."""
        self.ensure_one()
        term = self.payment_term_id if term is None else term
        order_date = fields.Datetime.from_string(self.date_order) \
            if self.date_order else None
        return {
            "date": fields.Date.context_today(self, timestamp=order_date),
            "amount": self.amount_total if amount is None else amount,
            "currency": self.currency_id,
            "term": term,
            "due_date": False,
            "label": term.display_name if term else _("Immediate Payment"),
        }

    def _prepare_credit_check_vals(self, trigger="confirmation"):
        self.ensure_one()
        return {"order_id": self.id, "user_id": self.user_id.id,
                "name": self.name, "trigger": trigger,
                "document_currency_id": self.currency_id.id,
                "document_amount": (
                    self._credit_uninvoiced_document_amount()
                    if trigger == "change" else self.amount_total)}

    def _credit_hold(self, check):
        """Keep the quotation, tell the salesperson and the controllers."""
        self.ensure_one()
        self._credit_set_state({"credit_state": "blocked"})
        self._credit_post_reasons(
            _("Credit hold: the order was not confirmed."), check, as_list=True)
        self._credit_schedule_review(check)

    def _credit_post_monitor_note(self, check):
        self._credit_post_reasons(
            _("Credit check failed (monitor mode, order confirmed):"), check)

    def _credit_confirm_released(self, check):
        """Confirm a held order after its release (no new check). A
        released change is saved by the salesperson again: the gate lets it
        through once (``credit.check._credit_covers``)."""
        self.ensure_one()
        if check.trigger == "change":
            return True
        return super()._credit_confirm_released(check)

    def _credit_reject(self, check):
        """Keep the quotation for the salesperson to revise (a rejected
        change was never saved: nothing to undo)."""
        self.ensure_one()
        if check.trigger == "change":
            return True
        with credit_trusted():
            self._credit_set_state({"credit_state": "rejected"})

    # ------------------------------------------------------------------
    @api.multi
    def action_view_credit_checks(self):
        self.ensure_one()
        action = self.env.ref(
            "credit_management.credit_check_action").read()[0]
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
