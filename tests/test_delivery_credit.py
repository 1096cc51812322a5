"""Deliveries respect the credit (credit_management_stock): validating a
delivery to a customer on hold, beyond the limit or overdue beyond the
grace days is held for the credit team's release instead of shipping."""
from odoo.exceptions import UserError

from gate_common import GateCase


class TestDeliveryHold(GateCase):

    def order_delivery(self, partner, amount):
        order = self.confirmed(partner, amount, qty=1.0)
        picking = order.picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.picking_type_code, "outgoing")
        return picking

    def validate(self, picking):
        for move in picking.move_lines:
            move.quantity_done = move.product_uom_qty
        picking.action_done()

    def delivery_checks(self, picking):
        return self.Check.search([("picking_id", "=", picking.id)], order="id")

    def test_within_credit_ships(self):
        picking = self.order_delivery(self.customer, 6000.0)
        self.validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertFalse(self.delivery_checks(picking))

    def test_customer_on_hold_is_held_then_released(self):
        """Confirmed before the hold, the delivery waits; released by a
        controller, it ships when validated again (once)."""
        picking = self.order_delivery(self.customer, 6000.0)
        self.customer.write({"credit_hold": True,
                             "credit_hold_reason": "Cheque bounced"})
        message = self.assert_refused(self.validate, picking)
        self.assertIn("Cheque bounced", message)
        self.assertNotEqual(picking.state, "done")
        check = self.delivery_checks(picking)
        self.assertEqual(len(check), 1)
        self.assertEqual(check.trigger, "delivery")
        self.assertEqual(check.reason_code_list(), ("on_hold",))
        self.assertTrue(check.is_held)
        self.assertTrue(picking.credit_held)
        self.assertEqual(check.partner_id, self.customer)
        # validating again before the decision stores no second hold
        self.assert_refused(self.validate, picking)
        self.assertEqual(len(self.delivery_checks(picking)), 1)

        self.decide(check, self.user_controller)
        self.assertEqual(check.decision, "released")
        self.assertFalse(check.is_held)
        self.validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertTrue(check.release_used)

    def test_beyond_limit_by_more_than_tolerance(self):
        picking = self.order_delivery(self.customer, 6000.0)
        self.create_invoice(self.customer, 5000.0, due_days=30)
        self.assert_refused(self.validate, picking)
        check = self.delivery_checks(picking)
        self.assertEqual(check.reason_code_list(), ("limit_exceeded",))
        self.assertAlmostEqual(check.exposure_amount, 11000.0)
        self.assertAlmostEqual(check.order_amount, 0.0)
        # rejected: still not shipped, checked again at the next validation
        self.decide(check, self.user_controller, decision="reject")
        self.assertFalse(check.is_held)
        self.policy.limit_tolerance_percent = 20.0
        self.validate(picking)
        self.assertEqual(picking.state, "done")

    def test_overdue_beyond_grace_days(self):
        picking = self.order_delivery(self.customer, 1000.0)
        self.create_invoice(self.customer, 500.0, days_ago=50, due_days=30)
        self.policy.overdue_grace_days = 30
        self.validate(picking)
        self.assertEqual(picking.state, "done")
        other = self.order_delivery(self.customer, 1000.0)
        self.policy.overdue_grace_days = 10
        self.assert_refused(self.validate, other)
        self.assertEqual(self.delivery_checks(other).reason_code_list(),
                         ("overdue",))

    def test_order_rules_do_not_hold_a_delivery(self):
        """A review date past or a customer without limit does not stop a
        delivery: hold, limit and overdue do."""
        partner = self._create_customer("No Limit Ltd", 0.0)
        picking = self.order_delivery(partner, 500.0)
        self.policy.no_limit_action = "hold"
        self.validate(picking)
        self.assertEqual(picking.state, "done")

    def test_monitor_mode_ships_and_records(self):
        picking = self.order_delivery(self.customer, 6000.0)
        self.customer.credit_hold = True
        self.policy.check_mode = "monitor"
        self.validate(picking)
        self.assertEqual(picking.state, "done")
        check = self.delivery_checks(picking)
        self.assertEqual(check.result, "blocked")
        self.assertFalse(check.is_held)

    def test_incoming_transfers_are_not_checked(self):
        picking = self.order_delivery(self.customer, 6000.0)
        self.customer.credit_hold = True
        picking.picking_type_id = self.env.ref("stock.picking_type_in")
        self.validate(picking)
        self.assertEqual(picking.state, "done")

    def test_salesperson_cannot_release(self):
        picking = self.order_delivery(self.customer, 6000.0)
        self.customer.credit_hold = True
        self.assert_refused(self.validate, picking)
        check = self.delivery_checks(picking)
        with self.assertRaises(Exception):
            self.decide(check, self.user_sales)
        self.assertFalse(check.decision)
        with self.assertRaises(UserError):
            self.validate(picking)
