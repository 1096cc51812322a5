# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .trusted import credit_released, credit_trusted, is_released, is_trusted

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
                    order.state in ("draft", "sent") for order in self):
                raise UserError(_("Confirm the order with the Confirm button: "
                                  "it runs the credit check."))
        return super().write(vals)

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
            for order in to_check.sorted(
                    lambda o: (o.partner_id.commercial_partner_id.id, o.id)):
                if is_released(order):
                    order._credit_set_state({"credit_state": "released"})
                    result = super(SaleOrder, order).action_confirm()
                    continue
                check = order._credit_run_check()
                if check and check.result == "blocked" \
                        and check.check_mode == "block":
                    order._credit_hold(check)
                    held |= check
                    continue
                if check:
                    order._credit_set_state({"credit_state": "passed"})
                    if check.result == "blocked":
                        order._credit_post_monitor_note(check)
                result = super(SaleOrder, order).action_confirm()
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
        partner = self.partner_id.commercial_partner_id.sudo().with_context(
            force_company=company.id)
        partner._credit_lock()
        amount = self._credit_amount_company_currency()
        term = self.payment_term_id or partner.property_payment_term_id
        return self.env["credit.check"]._credit_evaluate(
            partner, company, policy, amount, term,
            self._prepare_credit_check_vals(),
            exclude_order_ids=self.ids)

    def _credit_amount_company_currency(self):
        """The order total converted to the company currency at today's rate,
        like the uninvoiced orders in the exposure."""
        self.ensure_one()
        company = self.company_id
        if self.currency_id == company.currency_id:
            return self.amount_total
        return self.currency_id.with_context(
            date=fields.Date.context_today(self), company_id=company.id
        ).compute(self.amount_total, company.currency_id, round=False)

    def _prepare_credit_check_vals(self):
        self.ensure_one()
        return {"order_id": self.id, "user_id": self.user_id.id,
                "name": self.name,
                "document_currency_id": self.currency_id.id,
                "document_amount": self.amount_total}

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

    def _credit_schedule_review(self, check):
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
                "summary": _("Credit hold: review %s") % self.name,
                "note": (check.reasons or "").replace("\n", "<br/>"),
                "date_deadline": fields.Date.context_today(self),
            })

    def _credit_confirm_released(self, check):
        """Confirm a held order after its release (no new check)."""
        self.ensure_one()
        with credit_released(self):
            self.action_confirm()

    def _credit_reject(self, check):
        """Keep the quotation for the salesperson to revise."""
        self.ensure_one()
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
