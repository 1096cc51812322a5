# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class CreditCheckReleaseRequest(models.TransientModel):
    """The salesperson's request to release a held order, with a note."""

    _name = "credit.check.release.request"
    _description = "Ask for the Release of a Held Order"

    check_id = fields.Many2one("credit.check", "Credit Check", required=True,
                               ondelete="cascade")
    reasons = fields.Text(related="check_id.reasons", readonly=True)
    note = fields.Text(required=True)

    @api.multi
    def action_apply(self):
        self.ensure_one()
        self.check_id._credit_request_release(self.note)
        return {"type": "ir.actions.act_window_close"}


class CreditCheckDecision(models.TransientModel):
    _inherit = "credit.check.decision"

    def _check_can_decide(self):
        """Whoever asked for the release cannot give it."""
        super()._check_can_decide()
        check = self.check_id.sudo()
        if self.decision == "release" and \
                check.release_request_by == self.env.user:
            raise AccessError(_("You asked for the release of %s: another "
                                "member of the credit team must release it.")
                              % check.name)
