# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The salesperson asks the credit team to release a held order.

The request (who, when, note) is kept on the held check, written once by
the addon (trusted write) and read-only afterwards; the controllers who may
decide get a to-do and a message. Whoever asked cannot release it.
"""
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape


class CreditCheck(models.Model):
    _inherit = "credit.check"

    release_request_by = fields.Many2one(
        "res.users", "Release Requested By", readonly=True, copy=False,
        help="Who asked the credit team to release this hold (they cannot "
             "release it themselves).")
    release_request_date = fields.Datetime(
        "Release Requested On", readonly=True, copy=False)
    release_request_note = fields.Text(
        "Release Request", readonly=True, copy=False,
        help="What the salesperson told the credit team.")

    def _credit_check_can_request(self, user):
        """Raise unless ``user`` may ask for the release of this hold now."""
        self.ensure_one()
        check = self.sudo()
        if not check.is_held:
            raise UserError(_("Only an order waiting for the credit team's "
                              "decision can be asked for release."))
        if check.release_request_by:
            raise UserError(_("A release was already asked for by %s on %s.")
                            % (check.release_request_by.name,
                               check.release_request_date))
        document = check._document()
        # the requester must see the held order (their own, or their team's)
        document = document.sudo(user)
        document.check_access_rights("read")
        document.check_access_rule("read")

    def _credit_request_release(self, note):
        """Record the request and tell the credit team; return True."""
        self.ensure_one()
        note = (note or "").strip()
        if not note:
            raise UserError(_("Tell the credit team why the order should be "
                              "released."))
        user = self.env.user
        self._credit_check_can_request(user)
        check = self.sudo()
        check._write_decision({
            "release_request_by": user.id,
            "release_request_date": fields.Datetime.now(),
            "release_request_note": note,
        })
        check._credit_notify_release_request(user, note)
        return True

    def _credit_notify_release_request(self, user, note):
        """A to-do and a message for each credit team member who may
        decide the hold (never the requester)."""
        self.ensure_one()
        document = self._document().sudo()
        deciders = self._credit_deciders().filtered(lambda u: u != user)
        activity_type = self.env.ref("mail.mail_activity_data_todo",
                                     raise_if_not_found=False)
        model = self.env["ir.model"].sudo()._get(document._name)
        html_note = html_escape(note).replace("\n", "<br/>")
        for decider in deciders:
            self.env["mail.activity"].sudo().create({
                "res_model_id": model.id,
                "res_id": document.id,
                "user_id": decider.id,
                "activity_type_id": activity_type.id if activity_type else False,
                "summary": _("Release requested: %s") % document.display_name,
                "note": html_note,
                "date_deadline": fields.Date.context_today(self),
            })
        body = "<p>%s</p><p>%s</p>" % (
            html_escape(_("%s asks the credit team to release the credit "
                          "hold:") % user.name), html_note)
        document.message_post(
            body=body, subtype="mail.mt_comment",
            partner_ids=deciders.mapped("partner_id").ids)

    @api.multi
    def action_request_release(self):
        """Open the request form for this held check."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Ask for Release"),
            "res_model": "credit.check.release.request",
            "view_mode": "form",
            "target": "new",
            "context": {"default_check_id": self.id},
        }


class SaleOrder(models.Model):
    _inherit = "sale.order"

    credit_release_requested = fields.Boolean(
        "Credit Release Requested", compute="_compute_credit_release_requested",
        help="A release of the pending credit hold was asked for.")

    @api.depends("credit_check_ids")
    def _compute_credit_release_requested(self):
        for order in self:
            order.credit_release_requested = any(
                check.is_held and check.release_request_by
                for check in order.sudo().credit_check_ids)

    @api.multi
    def action_credit_request_release(self):
        """Ask for the release of this held order's pending hold."""
        self.ensure_one()
        check = self.env["credit.check"].sudo().search([
            ("order_id", "=", self.id), ("is_held", "=", True)],
            order="id desc", limit=1)
        if not check:
            raise UserError(_("This order is not waiting for a credit "
                              "decision."))
        return check.sudo(self.env.uid).action_request_release()
