# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.credit_management.models.trusted import (
    credit_released, is_released)

from .credit_check import delivery_check

_logger = logging.getLogger(__name__)


class _DeliveryRefusal(Exception):
    def __init__(self, values):
        super().__init__()
        self.values = values


class StockPicking(models.Model):
    _inherit = "stock.picking"

    credit_check_ids = fields.One2many(
        "credit.check", "picking_id", "Credit Checks", readonly=True,
        copy=False)
    credit_held = fields.Boolean(
        "Credit Hold", compute="_compute_credit_held",
        help="The delivery waits for the credit team's decision.")
    user_id = fields.Many2one(
        "res.users", "Responsible", compute="_compute_credit_held",
        help="Who asks for the release: nobody in particular for a delivery "
             "(the credit team decides).")

    def _compute_credit_held(self):
        for picking in self:
            picking.credit_held = any(picking.sudo().credit_check_ids.mapped(
                "is_held"))
            picking.user_id = False

    # ------------------------------------------------------------------
    def _credit_gated_delivery(self):
        """An outgoing delivery to a customer is checked."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        return (self.picking_type_code == "outgoing" and partner
                and partner.customer)

    def _credit_release(self):
        """A released, unused hold of this delivery."""
        self.ensure_one()
        return self.env["credit.check"].sudo().search([
            ("picking_id", "=", self.id), ("trigger", "=", "delivery"),
            ("decision", "=", "released"), ("release_used", "=", False)],
            limit=1)

    def _credit_delivery_values(self):
        """Check the delivery; return (Decision, values) of the check or
        None when the company has no policy."""
        self.ensure_one()
        company = self.company_id
        policy = company.sudo().credit_policy_id
        if not policy:
            return None
        partner = self.partner_id.commercial_partner_id.sudo().with_context(
            force_company=company.id)
        partner._credit_lock()
        vals = {"picking_id": self.id, "name": self.name,
                "trigger": "delivery", "requested_by": self.env.uid,
                "user_id": False}
        with delivery_check():
            return self.env["credit.check"]._prepare_check_values(
                partner, company, policy, 0.0,
                partner.property_payment_term_id, vals)

    def _credit_check_delivery(self):
        """Raise _DeliveryRefusal when the delivery must wait (block
        mode); record a failed check in monitor mode."""
        self.ensure_one()
        release = self._credit_release()
        if release:
            release._write_decision({"release_used": True})
            self.message_post(body=_(
                "Delivered under the credit team's release of %s (%s).") % (
                    release.name, release.decided_by.name))
            return
        prepared = self._credit_delivery_values()
        if not prepared:
            return
        result, values = prepared
        if result.passed:
            return
        if values["check_mode"] != "block":
            self.env["credit.check"]._create_check(values)
            return
        raise _DeliveryRefusal(values)

    @api.multi
    def action_done(self):
        gated = self.filtered(
            lambda p: p._credit_gated_delivery() and not is_released(p))
        refused = []
        if gated:
            try:
                with self.env.cr.savepoint():
                    for picking in gated.sorted(lambda p: (
                            p.partner_id.commercial_partner_id.id, p.id)):
                        try:
                            picking._credit_check_delivery()
                        except _DeliveryRefusal as refusal:
                            refused.append(refusal.values)
                    if refused:
                        # roll back the locks and releases taken meanwhile
                        raise _DeliveryRefusal(refused)
            except _DeliveryRefusal:
                self.invalidate_cache()
                self._credit_store_holds(refused)
                raise UserError("\n\n".join(
                    [_("Credit hold: the delivery was not validated; it "
                       "waits for the credit team's decision.")]
                    + [values["reasons"] for values in refused]))
        with credit_released(self):
            return super().action_done()

    @api.model
    def _credit_store_holds(self, values_list):
        """Store the held checks in their own transaction (the refusal
        rolls the current one back) and tell the credit team; a pending
        hold of the same delivery is not stored twice."""
        Check = self.env["credit.check"]
        try:
            with Check._credit_separate_env() as env:
                for values in values_list:
                    pending = env["credit.check"].sudo().search([
                        ("picking_id", "=", values["picking_id"]),
                        ("trigger", "=", "delivery"),
                        ("result", "=", "blocked"), ("decision", "=", False)],
                        limit=1)
                    if pending:
                        continue
                    check = env["credit.check"]._create_check(values)
                    env["stock.picking"].browse(
                        values["picking_id"])._credit_hold(check)
        except Exception:  # the refusal itself must reach the user
            _logger.exception("credit gate: the hold of a delivery could not "
                              "be stored")

    def _credit_hold(self, check):
        """Tell the chatter and the credit team about a held delivery."""
        self.ensure_one()
        body = "<p>%s</p><ul>%s</ul>" % (
            _("Credit hold: the delivery was not validated."),
            "".join("<li>%s</li>" % line
                    for line in (check.reasons or "").splitlines()))
        self.sudo().message_post(body=body, subtype="mail.mt_note")
        activity_type = self.env.ref("mail.mail_activity_data_todo",
                                     raise_if_not_found=False)
        model = self.env["ir.model"].sudo()._get(self._name)
        for user in check._credit_deciders():
            self.env["mail.activity"].sudo().create({
                "res_model_id": model.id, "res_id": self.id,
                "user_id": user.id,
                "activity_type_id": activity_type.id if activity_type
                else False,
                "summary": _("Credit hold: review %s") % self.name,
                "note": (check.reasons or "").replace("\n", "<br/>"),
                "date_deadline": fields.Date.context_today(self),
            })

    # the decision wizard's interface (as sale.order)
    def _credit_current_amount(self, check):
        return check.order_amount

    def _credit_confirm_released(self, check):
        """Released: the warehouse validates the delivery again (once)."""
        self.ensure_one()
        self.message_post(body=_("The credit team released the delivery: "
                                 "validate it again to ship."))
        return True

    def _credit_reject(self, check):
        """Rejected: the delivery stays waiting; it is checked again when
        validated."""
        return True

    @api.multi
    def action_view_credit_checks(self):
        self.ensure_one()
        action = self.env.ref(
            "credit_management.credit_check_action").read()[0]
        action["domain"] = [("picking_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
