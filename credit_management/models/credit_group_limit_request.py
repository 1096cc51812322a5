# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Group limit changes through the credit limit requests and approvals."""
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .trusted import credit_trusted_write


class CreditLimitRequest(models.Model):
    _inherit = "credit.limit.request"

    partner_id = fields.Many2one(required=False)
    group_id = fields.Many2one(
        "credit.group", "Credit Group", index=True, readonly=True,
        states={"draft": [("readonly", False)]},
        help="Ask for a new limit of a credit group instead of a customer.")

    @api.constrains("partner_id", "group_id", "company_id")
    def _check_partner_or_group(self):
        for req in self:
            if bool(req.partner_id) == bool(req.group_id):
                raise ValidationError(_(
                    "A limit request is for one customer or for one credit "
                    "group."))
            if req.group_id and req.group_id.company_id != req.company_id:
                raise ValidationError(_(
                    "The credit group %s belongs to another company.")
                    % req.group_id.name)

    @api.onchange("group_id")
    def _onchange_group_id(self):
        if self.group_id:
            self.partner_id = False
            self.company_id = self.group_id.company_id
            self.update(self._prepare_group_situation_vals(self.group_id))

    def _prepare_group_situation_vals(self, group):
        # a group has the customer's figures under the same names
        return self._prepare_situation_vals(group)

    def _refresh_situation(self):
        groups = self.filtered("group_id")
        for req in groups.sudo():
            req.write(req._prepare_group_situation_vals(req.group_id))
        return super(CreditLimitRequest, self - groups)._refresh_situation()

    def _active_temporary_requests(self):
        if not self.group_id:
            return super()._active_temporary_requests()
        return self.search([
            ("id", "!=", self.id), ("group_id", "=", self.group_id.id),
            ("request_type", "=", "temporary"), ("state", "=", "approved")],
            order="approval_date, id")

    def _credit_write_group_limit(self, limit, body):
        group = self.group_id.sudo()
        with credit_trusted_write(group):
            group.write({"credit_limit": limit})
        group.message_post(body=body)

    def _credit_apply_approval(self):
        if not self.group_id:
            return super()._credit_apply_approval()
        running = self._active_temporary_requests()
        previous = running[:1].previous_limit if running \
            else self.group_id.credit_limit
        if running:
            running._credit_workflow_write({"state": "expired"})
            for old in running:
                old.message_post(body=_("Superseded by %s.") % self.name)
        self.write({"previous_limit": previous})
        self._credit_write_group_limit(
            self.requested_limit,
            _("Group credit limit set to %s by %s (approved by %s): %s") % (
                self.requested_limit, self.name, self.approved_by.name,
                self.reason))

    def _revert(self):
        if not self.group_id:
            return super()._revert()
        group = self.group_id
        if abs(group.credit_limit - self.requested_limit) < 0.005:
            self._credit_write_group_limit(
                self.previous_limit,
                _("Temporary limit of %s expired on %s.")
                % (self.name, self.expiry_date))
            body = _("Temporary limit expired: limit back to %s.") % (
                self.previous_limit)
        else:
            body = _("Temporary limit expired; the limit had been changed "
                     "since (now %s) and is left as it is.") % group.credit_limit
        self._credit_workflow_write({"state": "expired",
                                     "revert_date": fields.Datetime.now()})
        self.message_post(body=body)
