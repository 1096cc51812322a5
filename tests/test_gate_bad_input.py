"""Bad input is refused with a clear message and changes nothing."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError

from common import CreditCommon

# A refused call is rolled back as a whole (as over RPC): each refusal below
# runs in its own savepoint, and nothing of it may remain.


class TestOrderCap(CreditCommon):

    def test_negative_order_cap_refused(self):
        """A negative single-order cap is refused; 0 (no cap) is accepted."""
        self.customer.credit_order_cap = 2500.0
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            self.customer.sudo(self.user_manager).write({"credit_order_cap": -1.0})
        self.customer.invalidate_cache()
        self.assertIn("cannot be negative", caught.exception.name)
        self.assertAlmostEqual(self.customer.credit_order_cap, 2500.0)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self._create_customer("Negative Cap Ltd", 1000.0, credit_order_cap=-5.0)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Negative Cap Ltd")]))
        self.customer.sudo(self.user_manager).write({"credit_order_cap": 0.0})
        self.assertAlmostEqual(self.customer.credit_order_cap, 0.0)


class TestTemporaryRequestExpiry(CreditCommon):

    def _date(self, days):
        return fields.Date.to_string(self.today + timedelta(days=days))

    def _request(self, expiry):
        return self.env["credit.limit.request"].sudo(self.user_sales).create({
            "partner_id": self.customer.id, "requested_limit": 20000.0,
            "request_type": "temporary", "expiry_date": expiry,
            "reason": "Season"})

    def test_past_expiry_refused_at_creation_and_edit(self):
        """A temporary request ending yesterday is refused; today is accepted."""
        Request = self.env["credit.limit.request"]
        count = Request.search_count([])
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            self._request(self._date(-1))
        self.assertIn("already past", caught.exception.name)
        self.assertEqual(Request.search_count([]), count)
        req = self._request(self._date(0))
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            req.sudo(self.user_sales).write({"expiry_date": self._date(-3)})
        req.invalidate_cache()
        self.assertEqual(req.expiry_date, self._date(0))

    def test_expired_while_waiting_cannot_be_approved(self):
        """A request whose end passed while it waited is not approved; it can be rejected."""
        req = self._request(self._date(2))
        req.action_submit()
        self.env.cr.execute("UPDATE credit_limit_request SET expiry_date = %s WHERE id = %s",
                            (self._date(-1), req.id))
        req.invalidate_cache()
        with self.assertRaises(ValidationError):
            req.sudo(self.user_controller).action_approve()
        self.assertEqual(req.state, "to_approve")
        self.assertAlmostEqual(self.customer.credit_limit, 10000.0)
        req.sudo(self.user_controller).action_reject("Too late")
        self.assertEqual(req.state, "rejected")
