# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading
from collections import namedtuple

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..domain import gate as gate_domain
from .trusted import credit_released, credit_trusted, is_released, is_trusted

# What the gate compares before and after a change of a confirmed order.
GateValue = namedtuple("GateValue", "partner_id company_id amount term")

# The outermost gated write of this thread: {order id: GateValue before}.
# Nested writes (the order lines of a form save) add their orders to it and
# leave the check to the outermost write, which checks once, on the final
# amounts. Thread-local, like the trust marker: never set by a client.
_gate = threading.local()

# Amounts computed from the lines: written only by Odoo's computation. A
# client writing them would change what the credit check counts.
COMPUTED_ORDER_AMOUNTS = ("amount_untaxed", "amount_tax", "amount_total")
COMPUTED_LINE_AMOUNTS = (
    "price_subtotal", "price_tax", "price_total", "price_reduce",
    "price_reduce_taxinc", "price_reduce_taxexcl", "qty_invoiced",
    "qty_to_invoice")


class _GateRefusal(Exception):
    """Raised inside the gate's savepoint to roll the change back."""

    def __init__(self, values_list, message):
        super().__init__(message)
        self.values_list = values_list
        self.message = message


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
    _inherit = "sale.order"

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
        pending = getattr(_gate, "confirm_state", None)
        first = False
        if pending and vals.get("state") == "sale" and is_trusted() \
                and set(self.ids) <= set(pending):
            states = {pending[order_id][0] for order_id in self.ids}
            if len(states) == 1:
                vals = dict(vals, credit_state=states.pop())
                first = all(pending[order_id][1] for order_id in self.ids)
                _gate.confirm_state = None
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
                _gate.confirm_state = {order.id: ("passed", first)} \
                    if check else None
                try:
                    result = super(SaleOrder, order).action_confirm()
                    if getattr(_gate, "confirm_state", None):  # not written
                        order._credit_set_state({"credit_state": "passed"})
                finally:
                    _gate.confirm_state = None
        if held:
            return held._credit_hold_action()
        return result

    def _credit_set_state(self, vals):
        """Write the credit state (the chatter tells holds and decisions)."""
        return self.with_context(tracking_disable=True).write(vals)

    def _credit_run_check(self):
        """Check this order; return the stored credit.check (or nothing when
        the company has no credit policy)."""
        self.ensure_one()
        company = self.company_id
        policy = company.sudo().credit_policy_id
        if not policy:
            return self.env["credit.check"]
        self._credit_prefetch_order()
        partner = self.partner_id.commercial_partner_id.sudo().with_context(
            force_company=company.id)
        partner._credit_lock()
        partner._credit_prefetch_profile(company)
        amount = self._credit_amount_company_currency()
        term = self.payment_term_id or partner.property_payment_term_id
        return self.env["credit.check"]._credit_evaluate(
            partner, company, policy, amount, term,
            self._prepare_credit_check_vals(),
            exclude_order_ids=self.ids,
            document_terms=self._credit_document_terms())

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
        body = "<p>%s</p><ul>%s</ul>" % (
            _("Credit hold: the order was not confirmed."),
            "".join("<li>%s</li>" % line
                    for line in (check.reasons or "").splitlines()))
        self.sudo().message_post(body=body, subtype="mail.mt_note")
        self._credit_schedule_review(check)

    def _credit_post_monitor_note(self, check):
        self.sudo().message_post(
            body="<p>%s</p><p>%s</p>" % (
                _("Credit check failed (monitor mode, order confirmed):"),
                (check.reasons or "").replace("\n", "<br/>")),
            subtype="mail.mt_note")

    def _credit_schedule_review(self, check, summary=None):
        """A to-do for each credit controller who may decide the hold."""
        self.ensure_one()
        users = check._credit_deciders()
        activity_type = self.env.ref("mail.mail_activity_data_todo",
                                     raise_if_not_found=False)
        model = self.env["ir.model"].sudo()._get(self._name)
        Activity = self.env["mail.activity"].sudo()
        for user in users:
            Activity.create({
                "res_model_id": model.id,
                "res_id": self.id,
                "user_id": user.id,
                "activity_type_id": activity_type.id if activity_type else False,
                "summary": (summary or _("Credit hold: review %s"))
                % self.name,
                "note": (check.reasons or "").replace("\n", "<br/>"),
                "date_deadline": fields.Date.context_today(self),
            })

    def _credit_confirm_released(self, check):
        """Confirm a held order after its release (no new check). A
        released change is saved by the salesperson again: the gate lets it
        through once (``credit.check._credit_covers``)."""
        self.ensure_one()
        if check.trigger == "change":
            return True
        with credit_released(self):
            self.action_confirm()

    def _credit_reject(self, check):
        """Keep the quotation for the salesperson to revise (a rejected
        change was never saved: nothing to undo)."""
        self.ensure_one()
        if check.trigger == "change":
            return True
        with credit_trusted():
            self._credit_set_state({"credit_state": "rejected"})

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
        body = "<p>%s</p><ul>%s</ul>" % (
            _("Credit hold: a change raising the order to %s was not saved; "
              "it waits for the credit team.") % "{:,.2f}".format(
                check.order_amount),
            "".join("<li>%s</li>" % line
                    for line in (check.reasons or "").splitlines()))
        self.sudo().message_post(body=body, subtype="mail.mt_note")
        self._credit_schedule_review(
            check, summary=_("Credit hold: review the change of %s"))

    def _credit_post_change_note(self, check):
        self.sudo().message_post(
            body="<p>%s</p><p>%s</p>" % (
                _("Credit check failed (monitor mode, change saved):"),
                (check.reasons or "").replace("\n", "<br/>")),
            subtype="mail.mt_note")

    # ------------------------------------------------------------------
    @api.multi
    def action_view_credit_checks(self):
        self.ensure_one()
        action = self.env.ref(
            "credit_management.credit_check_action").read()[0]
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action


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
