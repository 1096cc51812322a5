"""Customer credit groups: the group limit in the credit check, membership
rules, the group's numbers, its limit changed through limit requests, the
Excel export."""
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger
from psycopg2 import IntegrityError

from common import CreditCommon, render_report_html, render_xlsx, xlsx_table


class GroupCommon(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member_a = cls._create_customer("Group Member A", 10000.0)
        cls.member_b = cls._create_customer("Group Member B", 10000.0)
        cls.group = cls.env["credit.group"].create({
            "name": "Holding Group", "credit_limit": 15000.0,
            "user_id": cls.user_controller.id,
            "member_ids": [(0, 0, {"partner_id": cls.member_a.id}),
                           (0, 0, {"partner_id": cls.member_b.id})]})


class TestGroupCheck(GroupCommon):

    def test_second_member_held_by_group_limit(self):
        """Each member within its own limit, together beyond the group's:
        the second order is held with the group's numbers."""
        first = self.create_order(self.member_a, 8000.0)
        first.sudo(self.user_sales).action_confirm()
        self.assertEqual(first.state, "sale")
        self.assertEqual(first.credit_check_ids.group_id, self.group)

        second = self.create_order(self.member_b, 8000.0)
        second.sudo(self.user_sales).action_confirm()
        self.assertEqual(second.state, "draft")
        self.assertEqual(second.credit_state, "blocked")
        check = second.credit_check_ids
        self.assertEqual(check.reason_code_list(), ("group_limit",))
        self.assertEqual(check.group_id, self.group)
        self.assertAlmostEqual(check.group_limit_amount, 15000.0)
        self.assertAlmostEqual(check.group_exposure_amount, 8000.0)
        self.assertAlmostEqual(check.order_amount, 8000.0)
        self.assertAlmostEqual(check.group_excess_amount, 1000.0)
        self.assertAlmostEqual(check.excess_amount, 0.0)
        self.assertIn("Group credit limit exceeded", check.reasons)
        self.assertIn("15,000.00", check.reasons)
        self.assertEqual(check.required_authority, "controller")

        # released by a controller: the order is confirmed
        self.decide(check, self.user_controller)
        self.assertEqual(second.state, "sale")
        self.assertEqual(second.credit_state, "released")
        self.assertAlmostEqual(self.group.credit_exposure, 16000.0)

    def test_authority_follows_the_larger_excess(self):
        """The excess over the group limit beyond the controllers' release
        authority makes it a manager's decision, own limit or not."""
        self.create_order(self.member_a, 9000.0).action_confirm()
        order = self.create_order(self.member_b, 9500.0)
        order.action_confirm()
        check = order.credit_check_ids
        self.assertAlmostEqual(check.group_excess_amount, 3500.0)
        self.assertEqual(check.required_authority, "controller")
        self.policy.controller_release_excess = 3000.0
        other = self.create_order(self.member_b, 9500.0)
        other.action_confirm()
        check = other.credit_check_ids
        self.assertEqual(check.reason_code_list(), ("group_limit",))
        self.assertEqual(check.required_authority, "manager")
        with self.assertRaises(AccessError):
            self.decide(check, self.user_controller)
        self.assertEqual(other.state, "draft")

    def test_own_limit_still_checked(self):
        """A member beyond its own limit is held even within the group's."""
        self.group.credit_limit = 100000.0
        order = self.create_order(self.member_a, 12000.0)
        order.action_confirm()
        self.assertEqual(order.credit_check_ids.reason_code_list(),
                         ("limit_exceeded",))

    def test_group_limit_zero_is_no_group_limit(self):
        self.group.credit_limit = 0.0
        self.create_order(self.member_a, 9000.0).action_confirm()
        order = self.create_order(self.member_b, 9000.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_archived_group_does_not_apply(self):
        self.create_order(self.member_a, 9000.0).action_confirm()
        self.group.active = False
        order = self.create_order(self.member_b, 9000.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.credit_check_ids.group_id)

    def test_invoices_count_in_the_group_exposure(self):
        """Open invoices of any member count in the group's exposure."""
        self.create_invoice(self.member_a, 7000.0, days_ago=5, due_days=30)
        self.assertAlmostEqual(self.group.credit_exposure, 7000.0)
        order = self.create_order(self.member_b, 9000.0)
        order.action_confirm()
        self.assertEqual(order.credit_state, "blocked")
        self.assertAlmostEqual(order.credit_check_ids.group_exposure_amount,
                               7000.0)

    def test_change_of_confirmed_order_checks_the_group(self):
        """Raising a confirmed order of one member is checked against the
        group limit too."""
        self.create_order(self.member_a, 8000.0).action_confirm()
        order = self.create_order(self.member_b, 6000.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        with self.assertRaises(UserError):
            order.sudo(self.user_sales).order_line.write({"price_unit": 8000.0})
        self.assertAlmostEqual(order.amount_total, 6000.0)


class TestGroupMembership(GroupCommon):

    def test_numbers_add_up(self):
        self.create_invoice(self.member_a, 3000.0, days_ago=50, due_days=30)
        self.create_order(self.member_b, 2000.0).action_confirm()
        group = self.group
        self.assertEqual(group.member_count, 2)
        self.assertAlmostEqual(group.credit_exposure, 5000.0)
        self.assertAlmostEqual(group.credit_available, 10000.0)
        self.assertAlmostEqual(group.credit_usage_percent, 33.3)
        self.assertAlmostEqual(group.credit_overdue_amount, 3000.0)
        self.assertEqual(group.credit_overdue_days, 20)
        self.assertAlmostEqual(group.member_limit_total, 20000.0)
        member_a = group.member_ids.filtered(
            lambda m: m.partner_id == self.member_a)
        self.assertAlmostEqual(member_a.credit_exposure, 3000.0)
        self.assertAlmostEqual(member_a.credit_overdue_amount, 3000.0)
        self.assertAlmostEqual(member_a.amount_1_30, 3000.0)
        self.assertEqual(self.member_a.credit_group_id, group)

    def test_one_group_per_company(self):
        other = self.env["credit.group"].create({"name": "Other Group"})
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            other.write({"member_ids": [(0, 0, {"partner_id": self.member_a.id})]})
        self.assertFalse(other.member_ids)

    def test_one_group_per_company_in_the_database(self):
        other = self.env["credit.group"].create({"name": "Other Group"})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), \
                self.env.cr.savepoint():
            self.env.cr.execute(
                "INSERT INTO credit_group_member (group_id, partner_id, "
                "company_id) VALUES (%s, %s, %s)",
                (other.id, self.member_a.id, self.company.id))

    def test_contact_is_not_a_member(self):
        with self.assertRaises(ValidationError):
            self.group.write({"member_ids": [
                (0, 0, {"partner_id": self.customer_contact.id})]})

    def test_limit_belongs_to_the_credit_team(self):
        """A controller manages the members, not the group limit."""
        group = self.group.sudo(self.user_controller)
        group.write({"member_ids": [(0, 0, {"partner_id": self.customer.id})]})
        self.assertEqual(self.group.member_count, 3)
        with self.assertRaises(AccessError):
            group.write({"credit_limit": 50000.0})
        with self.assertRaises(AccessError):
            self.env["credit.group"].sudo(self.user_controller).create(
                {"name": "New", "credit_limit": 1.0})
        with self.assertRaises(ValidationError):
            self.group.sudo(self.user_manager).write({"credit_limit": -1.0})
        self.group.sudo(self.user_manager).write({"credit_limit": 20000.0})
        self.assertAlmostEqual(self.group.credit_limit, 20000.0)
        with self.assertRaises(AccessError):
            self.group.sudo(self.user_sales).write({"name": "Renamed"})


class TestGroupLimitRequest(GroupCommon):

    def _request(self, amount, **vals):
        values = {"group_id": self.group.id, "requested_limit": amount,
                  "reason": "Group expands."}
        values.update(vals)
        return self.env["credit.limit.request"].sudo(
            self.user_sales).create(values)

    def test_group_limit_through_request(self):
        self.create_order(self.member_a, 4000.0).action_confirm()
        req = self._request(30000.0)
        self.assertAlmostEqual(req.current_limit, 15000.0)
        self.assertAlmostEqual(req.exposure_amount, 4000.0)
        req.action_submit()
        with self.assertRaises(UserError):
            req.sudo(self.user_sales).action_approve()
        req.sudo(self.user_controller).action_approve()
        self.assertEqual(req.state, "approved")
        self.assertAlmostEqual(self.group.credit_limit, 30000.0)
        self.assertAlmostEqual(req.previous_limit, 15000.0)
        self.assertIn(req.name, self.group.message_ids[0].body)

    def test_above_authority_needs_manager(self):
        req = self._request(80000.0)
        req.action_submit()
        self.assertTrue(req.needs_manager)
        with self.assertRaises(UserError):
            req.sudo(self.user_controller).action_approve()
        req.sudo(self.user_manager).action_approve()
        self.assertAlmostEqual(self.group.credit_limit, 80000.0)

    def test_temporary_group_limit_reverts(self):
        req = self._request(20000.0, request_type="temporary",
                            expiry_date=str(self.today))
        req.action_submit()
        req.sudo(self.user_controller).action_approve()
        self.assertAlmostEqual(self.group.credit_limit, 20000.0)
        req._revert()
        self.assertEqual(req.state, "expired")
        self.assertAlmostEqual(self.group.credit_limit, 15000.0)

    def test_customer_or_group(self):
        with self.assertRaises(ValidationError):
            self._request(1.0, partner_id=self.member_a.id)
        with self.assertRaises(ValidationError):
            self.env["credit.limit.request"].sudo(self.user_sales).create({
                "requested_limit": 1.0, "reason": "Nothing"})


class TestGroupExport(GroupCommon):

    def test_excel_lists_members_and_totals(self):
        self.create_invoice(self.member_a, 3000.0, days_ago=50, due_days=30)
        sheet = render_xlsx(self.env, "credit_management.credit_group_xlsx_action",
                            self.group.ids)
        header, rows, total = xlsx_table(sheet)
        self.assertIn("Customer", header)
        by_customer = {row["Customer"]: row for row in rows}
        self.assertEqual(set(by_customer), {"Group Member A", "Group Member B"})
        self.assertAlmostEqual(by_customer["Group Member A"]["Exposure"], 3000.0)
        self.assertAlmostEqual(by_customer["Group Member A"]["1-30"], 3000.0)
        self.assertAlmostEqual(total["Credit Limit"], 20000.0)


class TestGroupWarnings(GroupCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.write({
            "warning_user_id": cls.user_controller2.id,
            "warning_usage_percent": 80.0, "warning_overdue_amount": 500.0,
            "warning_overdue_days_levels": "30,60,90",
            "penalty_action": "none", "reward_months": 0})
        cls.Warning = cls.env["credit.warning"]

    def run_cron(self):
        return self.Warning._cron_evaluate(company_ids=self.company.ids,
                                           commit=False)

    def group_warnings(self, **domain):
        return self.Warning.search(
            [("group_id", "=", self.group.id)]
            + [(key, "=", value) for key, value in domain.items()])

    def test_usage_warning_on_the_group_and_cleared(self):
        """Members each below the usage threshold, together above it: one
        warning on the group, for its controller, closed when paid."""
        inv_a = self.create_invoice(self.member_a, 6000.0, due_days=30)
        self.create_invoice(self.member_b, 6500.0, due_days=30)
        self.run_cron()
        self.run_cron()
        warning = self.group_warnings(state="open")
        self.assertEqual(warning.warning_type, "limit_usage")
        self.assertFalse(warning.partner_id)
        self.assertAlmostEqual(warning.value, 12500.0 / 150.0, places=1)
        self.assertIn("group credit limit", warning.message)
        self.assertEqual(warning.user_id, self.user_controller)
        self.assertEqual(warning.activity_ids.user_id, self.user_controller)
        self.assertIn("Holding Group", warning.display_name)
        # no member has a usage warning of its own
        self.assertFalse(self.Warning.search([
            ("partner_id", "in", (self.member_a | self.member_b).ids),
            ("warning_type", "=", "limit_usage")]))
        self.pay_invoice(inv_a, 6000.0)
        self.run_cron()
        self.assertEqual(warning.state, "done")

    def test_overdue_warning_on_the_group(self):
        self.create_invoice(self.member_a, 1000.0, days_ago=70, due_days=30)
        self.run_cron()
        types = set(self.group_warnings(state="open").mapped("warning_type"))
        self.assertEqual(types, {"overdue_amount", "overdue_days"})
        warning = self.group_warnings(warning_type="overdue_days")
        self.assertEqual(warning.value, 40)

    def test_a_warning_is_on_a_customer_or_a_group(self):
        with self.assertRaises(ValidationError):
            self.Warning.create({"company_id": self.company.id,
                                 "warning_type": "limit_usage",
                                 "severity": "high", "message": "x"})


class TestGroupOnTheCreditReport(GroupCommon):

    def test_report_shows_the_group(self):
        self.create_invoice(self.member_b, 4000.0, due_days=30)
        html = render_report_html(
            self.env, "credit_management.credit_report_partner_action",
            self.member_a.ids).decode()
        self.assertIn("Holding Group", html)
        self.assertIn("15,000.00", html)
        self.assertIn("4,000.00", html)  # the other member's exposure counts
        html = render_report_html(
            self.env, "credit_management.credit_report_partner_action",
            self.customer.ids).decode()
        self.assertNotIn("Holding Group", html)
