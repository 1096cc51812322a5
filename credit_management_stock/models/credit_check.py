# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading
from contextlib import contextmanager

from odoo import api, fields, models
from odoo.addons.credit_management.domain import gate as gate_domain

_state = threading.local()


@contextmanager
def delivery_check():
    """The block checks a delivery (the addon's own code, this thread only:
    never set by a client)."""
    depth = getattr(_state, "depth", 0)
    _state.depth = depth + 1
    try:
        yield
    finally:
        _state.depth = depth


def in_delivery_check():
    return getattr(_state, "depth", 0) > 0


class CreditCheck(models.Model):
    """A delivery is checked on the customer's hold, limit (with the
    policy's tolerance, the group limit too) and overdue beyond the grace
    days; the delivery itself adds nothing: its order is in the exposure
    already."""

    _inherit = "credit.check"

    picking_id = fields.Many2one(
        "stock.picking", "Delivery", index=True, ondelete="set null",
        readonly=True)
    trigger = fields.Selection(
        selection_add=[("delivery", "Delivery Validation")])

    # (the order's and invoice's states are not dependencies: those
    # documents refresh their held checks themselves, see credit.check)
    @api.depends("picking_id.state")
    def _compute_is_held(self):
        deliveries = self.filtered(lambda c: c.trigger == "delivery")
        super(CreditCheck, self - deliveries)._compute_is_held()
        for check in deliveries:
            check.is_held = (
                check.result == "blocked" and not check.decision
                and check.check_mode == "block"
                and check.picking_id.state not in (False, "done", "cancel"))

    def _document(self):
        self.ensure_one()
        if self.picking_id:
            return self.picking_id
        return super()._document()

    @api.model
    def _prepare_snapshot(self, partner, company, policy, amount, term,
                          **kwargs):
        snap = super()._prepare_snapshot(partner, company, policy, amount,
                                         term, **kwargs)
        if in_delivery_check():
            snap = gate_domain.delivery_snapshot(snap)
        return snap

    @api.model
    def _prepare_rules(self, policy):
        rules = super()._prepare_rules(policy)
        if in_delivery_check():
            rules = gate_domain.delivery_rules(rules)
        return rules
