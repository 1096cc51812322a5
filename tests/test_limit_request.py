"""Credit limit requests: authority, no self-approval, temporary limits and their expiry."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from common import CreditCommon


def set_expiry(request, date):
    """Time passes for an approved request (a fixture, not a user action:
    approved requests are read-only)."""
    request.env.cr.execute(
        "UPDATE credit_limit_request SET expiry_date = %s WHERE id = %s",
        (date, request.id))
    request.invalidate_cache(["expiry_date"], request.ids)


class LimitRequestCommon(CreditCommon):

    def _request(self, amount, user=None, partner=None, **vals):
        values = {"partner_id": (partner or self.customer).id,
                  "requested_limit": amount, "reason": "Seasonal orders."}
        values.update(vals)
        return self.env["credit.limit.request"].sudo(user or self.user_sales).create(values)

    def _date(self, days):
        return fields.Date.to_string(self.today + timedelta(days=days))

    def _history(self):
        dossier = self.env["credit.dossier"].search([("partner_id", "=", self.customer.id)])
        return dossier.history_ids


class TestPermanentRequest(LimitRequestCommon):

    def test_salesperson_requests_controller_approves(self):
        """A permanent request within authority: controller approves, limit changes, logged."""
        self.create_invoice(self.customer, 2000.0, days_ago=40, due_days=30)
        req = self._request(30000.0)
        self.assertAlmostEqual(req.current_limit, 10000.0)
        self.assertAlmostEqual(req.exposure_amount, 2000.0)
        self.assertAlmostEqual(req.overdue_amount, 2000.0)
        self.assertEqual(req.overdue_days, 10)
        self.assertTrue(req.dossier_id)
        req.action_submit()
        self.assertEqual(req.state, "to_approve")
        self.assertFalse(req.needs_manager)
        req.sudo(self.user_controller).action_approve()
        self.assertEqual(req.state, "approved")
        self.assertAlmostEqual(self.customer.credit_limit, 30000.0)
        self.assertAlmostEqual(req.previous_limit, 10000.0)
        line = self._history()
        self.assertEqual(line.change_type, "limit_request")
        self.assertEqual(line.origin, req)
        self.assertEqual(line.user_id, self.user_controller)
        self.assertAlmostEqual(line.old_limit, 10000.0)
        self.assertAlmostEqual(line.new_limit, 30000.0)

    def test_above_authority_needs_manager(self):
        """Above the controllers' authority only a manager approves."""
        req = self._request(80000.0)
        req.action_submit()
        self.assertTrue(req.needs_manager)
        with self.assertRaises(UserError):
            req.sudo(self.user_controller).action_approve()
        self.assertAlmostEqual(self.customer.credit_limit, 10000.0)
        req.sudo(self.user_manager).action_approve()
        self.assertAlmostEqual(self.customer.credit_limit, 80000.0)

    def test_above_grade_cap_needs_manager(self):
        """Within authority but above the grade's cap: a manager approves."""
        self.policy.write({"controller_limit_authority": 100000.0})
        grade_c = self.env.ref("credit_management.credit_grade_c")
        self.customer.write({"credit_grade_id": grade_c.id})
        req = self._request(60000.0)
        self.assertAlmostEqual(req.grade_cap, grade_c.limit_cap)
        req.action_submit()
        self.assertTrue(req.needs_manager)
        with self.assertRaises(UserError):
            req.sudo(self.user_controller).action_approve()

    def test_no_self_approval(self):
        """A controller's own request goes to another controller."""
        req = self._request(20000.0, user=self.user_controller)
        req.sudo(self.user_controller).action_submit()
        with self.assertRaises(UserError):
            req.sudo(self.user_controller).action_approve()
        req.sudo(self.user_controller2).action_approve()
        self.assertEqual(req.state, "approved")

    def test_reject_with_reason(self):
        """A rejected request leaves the limit unchanged and records why."""
        req = self._request(30000.0)
        req.action_submit()
        req.sudo(self.user_controller).action_reject("Two invoices overdue.")
        self.assertEqual(req.state, "rejected")
        self.assertEqual(req.reject_reason, "Two invoices overdue.")
        self.assertAlmostEqual(self.customer.credit_limit, 10000.0)
        self.assertFalse(self._history())

    def test_bad_input(self):
        """Negative amount, temporary without or with past expiry, blank reason: refused."""
        with self.assertRaises(ValidationError):
            self._request(-100.0)
        with self.assertRaises(ValidationError):
            self._request(20000.0, request_type="temporary")
        with self.assertRaises(ValidationError):
            self._request(20000.0, request_type="temporary", expiry_date=self._date(-2))
        blank = self._request(20000.0, reason="   ")
        with self.assertRaises(UserError):
            blank.action_submit()
        with self.assertRaises(ValidationError):
            self._request(20000.0, partner=self.customer_contact)

    def test_wrong_state_and_frozen_after_decision(self):
        """Approving a draft is refused; an approved request cannot be edited."""
        req = self._request(20000.0)
        with self.assertRaises(UserError):
            req.sudo(self.user_controller).action_approve()
        req.action_submit()
        req.sudo(self.user_controller).action_approve()
        with self.assertRaises(UserError):
            req.sudo(self.user_controller).action_approve()
        with self.assertRaises(UserError):
            req.sudo(self.user_manager).write({"requested_limit": 1.0})
        with self.assertRaises(UserError):
            req.sudo(self.user_manager).unlink()


class TestTemporaryRequest(LimitRequestCommon):

    def _approved_temporary(self, amount=25000.0, days=5):
        req = self._request(amount, request_type="temporary", expiry_date=self._date(days))
        req.action_submit()
        req.sudo(self.user_controller).action_approve()
        return req

    def test_temporary_limit_reverts_at_expiry(self):
        """At expiry the cron puts the previous limit back and logs it."""
        req = self._approved_temporary()
        self.assertAlmostEqual(self.customer.credit_limit, 25000.0)
        Request = self.env["credit.limit.request"]
        self.assertFalse(Request._cron_expire_temporary_limits())
        self.assertAlmostEqual(self.customer.credit_limit, 25000.0)
        # the last valid day passes
        set_expiry(req, self._date(-1))
        self.assertEqual(Request._cron_expire_temporary_limits(), req)
        self.assertEqual(req.state, "expired")
        self.assertTrue(req.revert_date)
        self.assertAlmostEqual(self.customer.credit_limit, 10000.0)
        last = self._history()[0]
        self.assertEqual(last.change_type, "limit_expiry")
        self.assertAlmostEqual(last.old_limit, 25000.0)
        self.assertAlmostEqual(last.new_limit, 10000.0)
        self.assertEqual(last.origin, req)

    def test_expiry_keeps_a_limit_changed_since(self):
        """If a manager changed the limit meanwhile, expiry leaves it and says so."""
        req = self._approved_temporary()
        self.customer.sudo(self.user_manager).write({"credit_limit": 40000.0})
        set_expiry(req, self._date(-1))
        self.env["credit.limit.request"]._cron_expire_temporary_limits()
        self.assertEqual(req.state, "expired")
        self.assertAlmostEqual(self.customer.credit_limit, 40000.0)

    def test_new_approval_supersedes_temporary(self):
        """A later request replaces a running temporary one and keeps its base limit."""
        first = self._approved_temporary(25000.0)
        second = self._approved_temporary(35000.0, days=10)
        self.assertEqual(first.state, "expired")
        self.assertAlmostEqual(second.previous_limit, 10000.0)
        set_expiry(second, self._date(-1))
        self.env["credit.limit.request"]._cron_expire_temporary_limits()
        self.assertAlmostEqual(self.customer.credit_limit, 10000.0)


class TestLimitRequestRights(LimitRequestCommon):

    def test_salesperson_sees_own_not_others(self):
        """A salesperson sees requests for their customers, not another's."""
        other_customer = self._create_customer("Other Rep Customer", 5000.0,
                                               user_id=self.user_sales2.id)
        mine = self._request(20000.0)
        theirs = self._request(9000.0, user=self.user_sales2, partner=other_customer)
        visible = self.env["credit.limit.request"].sudo(self.user_sales).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(theirs, visible)
        with self.assertRaises(AccessError):
            theirs.sudo(self.user_sales).read(["requested_limit"])

    def test_salesperson_cannot_approve_or_force_state(self):
        """Salespeople request; they neither approve nor write the state."""
        req = self._request(20000.0)
        with self.assertRaises(UserError):
            req.sudo(self.user_sales).write({"state": "approved"})
        req.action_submit()
        with self.assertRaises((UserError, AccessError)):
            req.sudo(self.user_sales2).action_approve()
        with self.assertRaises(UserError):
            req.sudo(self.user_sales).action_approve()
        self.assertAlmostEqual(self.customer.credit_limit, 10000.0)

    def test_salesperson_sees_grade_limit_available(self):
        """The partner's grade, limit and available credit are readable by sales."""
        self.customer.write({"credit_grade_id": self.grade_a.id})
        data = self.customer.sudo(self.user_sales).read(
            ["credit_grade_id", "credit_limit", "credit_available"])[0]
        self.assertEqual(data["credit_grade_id"][0], self.grade_a.id)
        self.assertAlmostEqual(data["credit_available"], 10000.0)


class TestWarningRequests(LimitRequestCommon):

    def test_warning_limit_change_goes_through_request(self):
        """A warning's limit cut is submitted as a request; the limit changes on approval only."""
        Warning = self.env["credit.warning"]
        req = Warning._create_limit_request(
            self.company, self.customer, 7000.0, "Overdue beyond 60 days.", Warning.browse())
        self.assertEqual(req.state, "to_approve")
        self.assertIn("Overdue beyond 60 days.", req.reason)
        self.assertAlmostEqual(self.customer.credit_limit, 10000.0)
        self.assertFalse(Warning._create_limit_request(
            self.company, self.customer, 5000.0, "Again.", Warning.browse()))
        req.sudo(self.user_controller).action_approve()
        self.assertAlmostEqual(self.customer.credit_limit, 7000.0)
