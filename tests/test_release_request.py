"""The salesperson asks the credit team to release a held order."""
from odoo.exceptions import AccessError, UserError

from common import CreditCommon


class TestReleaseRequest(CreditCommon):

    def held(self, amount=12000.0, user=None):
        order = self.create_order(self.customer, amount, user=user)
        order.sudo(user or self.user_sales).action_confirm()
        check = order.credit_check_ids
        self.assertTrue(check.is_held)
        return order, check

    def request(self, check, user, note="Customer wires 5,000 on Friday"):
        wizard = self.env["credit.check.release.request"].sudo(user).create(
            {"check_id": check.id, "note": note})
        return wizard.action_apply()

    def test_request_recorded_on_check_and_team_told(self):
        """The request (who, when, note) is kept on the check; each credit
        team member who may decide gets a to-do and the message."""
        order, check = self.held()
        todos_before = order.activity_ids
        self.assertFalse(order.credit_release_requested)
        self.request(check, self.user_sales)
        order.invalidate_cache()
        self.assertTrue(order.credit_release_requested)
        self.assertEqual(check.release_request_by, self.user_sales)
        self.assertTrue(check.release_request_date)
        self.assertEqual(check.release_request_note,
                         "Customer wires 5,000 on Friday")
        new = order.activity_ids - todos_before
        self.assertIn(self.user_controller, new.mapped("user_id"))
        self.assertNotIn(self.user_sales, new.mapped("user_id"))
        self.assertTrue(all("Release requested" in a.summary for a in new))
        message = order.message_ids.filtered(
            lambda m: "Customer wires 5,000" in (m.body or ""))
        self.assertTrue(message)
        self.assertIn(self.user_controller.partner_id,
                      message.mapped("partner_ids"))

    def test_from_the_held_order_opens_the_request(self):
        """The held order's button opens the request on its pending hold."""
        order, check = self.held()
        action = order.sudo(self.user_sales).action_credit_request_release()
        self.assertEqual(action["res_model"], "credit.check.release.request")
        self.assertEqual(action["context"]["default_check_id"], check.id)
        action = check.sudo(self.user_sales).action_request_release()
        self.assertEqual(action["context"]["default_check_id"], check.id)
        passed = self.create_order(self.customer, 100.0)
        passed.sudo(self.user_sales).action_confirm()
        with self.assertRaises(UserError):
            passed.sudo(self.user_sales).action_credit_request_release()

    def test_request_is_read_only_afterwards(self):
        """Asked once: no second request, no edit of the check, even by the
        requester."""
        _order, check = self.held()
        self.request(check, self.user_sales)
        with self.assertRaises(UserError):
            self.request(check, self.user_sales, note="Changed my mind")
        with self.assertRaises((UserError, AccessError)):
            check.sudo(self.user_sales).write(
                {"release_request_note": "Edited"})
        self.assertEqual(check.release_request_note,
                         "Customer wires 5,000 on Friday")

    def test_bad_input_changes_nothing(self):
        """An empty note or a check that is not held is refused."""
        _order, check = self.held()
        with self.assertRaises(UserError):
            self.request(check, self.user_sales, note="   ")
        self.assertFalse(check.release_request_by)
        self.decide(check, self.user_controller, decision="reject",
                    reason="No")
        with self.assertRaises(UserError):
            self.request(check, self.user_sales)
        self.assertFalse(check.release_request_by)

    def test_requester_cannot_release(self):
        """A controller who asked for a release (their own quotation or a
        colleague's) cannot release it; another controller can."""
        order, check = self.held(user=self.user_sales2)
        self.request(check, self.user_controller)
        with self.assertRaises(AccessError):
            self.decide(check, self.user_controller)
        self.assertTrue(check.is_held)
        self.decide(check, self.user_controller2)
        self.assertEqual(order.state, "sale")

    def test_other_salesperson_without_access_cannot_request(self):
        """A salesperson who cannot see the order cannot ask for it."""
        _order, check = self.held()
        with self.assertRaises(AccessError):
            self.request(check, self.user_sales2)
        self.assertFalse(check.release_request_by)

    def test_note_is_shown_as_text(self):
        """Markup typed in the note is shown as text to the credit team."""
        order, check = self.held()
        self.request(check, self.user_sales, note="<img src=x onerror=alert(1)>")
        message = order.message_ids.filtered(
            lambda m: "asks the credit team" in (m.body or ""))
        self.assertIn("&lt;img", message.body)
        self.assertNotIn("<img", message.body)
        activity = order.activity_ids.filtered(
            lambda a: "Release requested" in a.summary)[:1]
        self.assertNotIn("<img", activity.note or "")
        self.assertEqual(check.release_request_note,
                         "<img src=x onerror=alert(1)>")
