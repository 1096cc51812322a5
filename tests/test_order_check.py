"""Order credit check at confirmation, held orders and the decision on them."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError

from common import CreditCommon


class OrderCheckCase(CreditCommon):

    def confirm(self, order, user=None):
        return order.sudo(user or self.user_sales).action_confirm()

    def last_check(self, order):
        return order.credit_check_ids.sorted("id")[-1:]


class TestCheckResults(OrderCheckCase):

    def test_order_within_limit_passes_and_is_recorded(self):
        """An order within the limit confirms; the check keeps the numbers."""
        self.create_invoice(self.customer, 3000.0, due_days=30)
        order = self.create_order(self.customer, 2000.0)
        self.assertIs(self.confirm(order), True)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_state, "passed")
        check = self.last_check(order)
        self.assertEqual(check.result, "passed")
        self.assertAlmostEqual(check.limit_amount, 10000.0)
        self.assertAlmostEqual(check.exposure_amount, 3000.0)
        self.assertAlmostEqual(check.order_amount, 2000.0)
        self.assertEqual(check.partner_id, self.customer)
        self.assertEqual(check.policy_id, self.policy)
        self.assertEqual(check.policy_version, self.policy.version)

    def test_order_beyond_limit_is_held_in_block_mode(self):
        """Beyond the limit the order stays a quotation with a stored snapshot."""
        self.create_invoice(self.customer, 6000.0, due_days=30)
        order = self.create_order(self.customer, 4500.0)
        action = self.confirm(order)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.credit_state, "blocked")
        check = self.last_check(order)
        self.assertEqual(action["res_model"], "credit.check")
        self.assertEqual(action["res_id"], check.id)
        self.assertEqual(check.result, "blocked")
        self.assertTrue(check.is_held)
        self.assertEqual(check.reason_codes, "limit_exceeded")
        self.assertAlmostEqual(check.exposure_amount, 6000.0)
        self.assertAlmostEqual(check.order_amount, 4500.0)
        self.assertAlmostEqual(check.exposure_after, 10500.0)
        self.assertAlmostEqual(check.excess_amount, 500.0)
        self.assertIn("10,500.00", check.reasons)
        self.assertIn("500.00", check.reasons)
        self.assertEqual(check.required_authority, "controller")

    def test_hold_notifies_controllers_and_chatter(self):
        """A hold posts in the chatter and schedules a to-do per controller."""
        order = self.create_order(self.customer, 12000.0)
        self.confirm(order)
        users = order.activity_ids.mapped("user_id")
        self.assertIn(self.user_controller, users)
        self.assertIn(self.user_manager, users)
        self.assertNotIn(self.user_sales, users)
        self.assertTrue(any("Credit hold" in (m.body or "") for m in order.message_ids))

    def test_monitor_mode_records_and_confirms(self):
        """In monitor mode a failing order is confirmed and the check recorded."""
        self.policy.check_mode = "monitor"
        order = self.create_order(self.customer, 12000.0)
        self.assertIs(self.confirm(order), True)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_state, "passed")
        check = self.last_check(order)
        self.assertEqual(check.result, "blocked")
        self.assertEqual(check.check_mode, "monitor")
        self.assertFalse(check.is_held)

    def test_confirmed_orders_count_in_exposure(self):
        """A second order counts the first, confirmed but not invoiced."""
        first = self.create_order(self.customer, 6000.0)
        self.confirm(first)
        second = self.create_order(self.customer, 5000.0)
        self.confirm(second)
        self.assertEqual(second.credit_state, "blocked")
        self.assertAlmostEqual(self.last_check(second).exposure_amount, 6000.0)

    def test_multi_record_confirm_checks_one_after_another(self):
        """Confirming two orders at once never lets both pass a limit only one fits."""
        first = self.create_order(self.customer, 6000.0)
        second = self.create_order(self.customer, 6000.0)
        (first | second).sudo(self.user_sales).action_confirm()
        self.assertEqual(first.state, "sale")
        self.assertEqual(second.state, "draft")
        self.assertEqual(second.credit_state, "blocked")

    def test_contact_orders_check_the_commercial_partner(self):
        """An order for a contact is checked against its company's limit."""
        self.create_invoice(self.customer, 9000.0, due_days=30)
        order = self.create_order(self.customer_contact, 2000.0)
        self.confirm(order)
        self.assertEqual(order.credit_state, "blocked")
        self.assertEqual(self.last_check(order).partner_id, self.customer)

    def test_customer_without_limit_allowed_by_default(self):
        """Installing on a live database: customers without limit are not stopped."""
        newcomer = self._create_customer("Newcomer Ltd", 0.0)
        order = self.create_order(newcomer, 50000.0)
        self.confirm(order)
        self.assertEqual(order.state, "sale")
        self.policy.no_limit_action = "hold"
        order2 = self.create_order(newcomer, 10.0)
        self.confirm(order2)
        self.assertEqual(self.last_check(order2).reason_codes, "no_limit")


class TestRules(OrderCheckCase):

    def test_overdue_beyond_grace(self):
        """Overdue invoices older than the grace days hold the order."""
        self.create_invoice(self.customer, 1000.0, days_ago=45, due_days=30)  # 15 days
        self.policy.overdue_grace_days = 15
        order = self.create_order(self.customer, 100.0)
        self.confirm(order)
        self.assertEqual(order.credit_state, "passed")
        self.policy.overdue_grace_days = 14
        order2 = self.create_order(self.customer, 100.0)
        self.confirm(order2)
        check = self.last_check(order2)
        self.assertEqual(check.reason_codes, "overdue")
        self.assertAlmostEqual(check.overdue_amount, 1000.0)
        self.assertEqual(check.overdue_days, 15)
        self.assertIn("15 days", check.reasons)

    def test_customer_on_hold(self):
        """A customer on credit hold is held whatever the amounts."""
        self.customer.write({"credit_hold": True, "credit_hold_reason": "Dispute"})
        order = self.create_order(self.customer, 10.0)
        self.confirm(order)
        check = self.last_check(order)
        self.assertEqual(check.reason_codes, "on_hold")
        self.assertIn("Dispute", check.reasons)

    def test_grade_without_credit_and_credit_term(self):
        """A prepayment-only grade fails with a payment term that gives time."""
        self.grade_d.allow_credit = False
        self.customer.write({"credit_grade_id": self.grade_d.id, "credit_limit": 0.0})
        net30 = self.env.ref("account.account_payment_term_net")
        order = self.create_order(self.customer, 100.0)
        order.payment_term_id = net30
        self.confirm(order)
        # grade D's credit terms are immediate payment: Net 30 is also longer
        self.assertEqual(self.last_check(order).reason_codes, "grade_no_credit,terms")
        immediate = self.env.ref("account.account_payment_term_immediate")
        order2 = self.create_order(self.customer, 100.0)
        order2.payment_term_id = immediate
        self.confirm(order2)
        self.assertEqual(order2.credit_state, "passed")

    def test_review_overdue_when_policy_blocks(self):
        """A past review date holds orders only when the policy says so."""
        self.customer.credit_review_date = fields.Date.to_string(
            self.today - timedelta(days=1))
        order = self.create_order(self.customer, 100.0)
        self.confirm(order)
        self.assertEqual(order.credit_state, "passed")
        self.policy.review_overdue_blocks = True
        order2 = self.create_order(self.customer, 100.0)
        self.confirm(order2)
        self.assertEqual(self.last_check(order2).reason_codes, "review_overdue")

    def test_single_order_cap(self):
        """An order above the customer's single-order cap is held."""
        self.customer.credit_order_cap = 2500.0
        order = self.create_order(self.customer, 3000.0)
        self.confirm(order)
        check = self.last_check(order)
        self.assertEqual(check.reason_codes, "order_cap")
        self.assertIn("2,500.00", check.reasons)

    def test_tolerance(self):
        """The policy's tolerance lets exposure exceed the limit by its share."""
        self.policy.limit_tolerance_percent = 10.0
        order = self.create_order(self.customer, 11000.0)
        self.confirm(order)
        self.assertEqual(order.credit_state, "passed")
        self.assertAlmostEqual(self.last_check(order).excess_amount, 1000.0)

    def test_rules_combined_with_numbers(self):
        """Several failed rules are all stored, each with its sentence."""
        self.create_invoice(self.customer, 9000.0, days_ago=70, due_days=30)
        self.customer.credit_hold = True
        order = self.create_order(self.customer, 2000.0)
        self.confirm(order)
        check = self.last_check(order)
        self.assertEqual(check.reason_codes, "on_hold,limit_exceeded,overdue")
        self.assertEqual(len(check.reasons.splitlines()), 3)
        self.assertAlmostEqual(check.overdue_amount, 9000.0)
        self.assertEqual(check.overdue_days, 40)
        self.assertAlmostEqual(check.excess_amount, 1000.0)
        self.assertEqual(check.required_authority, "manager")


class TestDecision(OrderCheckCase):

    def hold(self, amount=11000.0, user=None):
        order = self.create_order(self.customer, amount, user=user)
        self.confirm(order, user=user)
        self.assertEqual(order.credit_state, "blocked")
        return order, self.last_check(order)

    def test_controller_releases_within_authority(self):
        """A controller's release confirms the order once and is stored."""
        order, check = self.hold()
        self.decide(check, self.user_controller)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_state, "released")
        self.assertEqual(check.decision, "released")
        self.assertEqual(check.decided_by, self.user_controller)
        self.assertTrue(check.decision_date)
        self.assertEqual(check.decision_reason, "Customer paid by wire")
        self.assertFalse(check.is_held)
        self.assertEqual(len(order.credit_check_ids), 1)
        salesperson = self.user_sales.partner_id
        self.assertTrue(any(salesperson in m.partner_ids for m in order.message_ids))
        self.assertFalse(order.activity_ids)

    def test_above_controller_authority_needs_manager(self):
        """Excess above the controller's authority: only a manager releases."""
        order, check = self.hold(amount=25000.0)  # excess 15,000 > 10,000
        self.assertEqual(check.required_authority, "manager")
        with self.assertRaises(AccessError):
            self.decide(check, self.user_controller)
        self.assertEqual(order.state, "draft")
        self.decide(check, self.user_manager)
        self.assertEqual(order.credit_state, "released")

    def test_overdue_days_above_authority_needs_manager(self):
        """Overdue beyond the controller's days: only a manager releases."""
        self.create_invoice(self.customer, 100.0, days_ago=61, due_days=30)  # 31 days
        order, check = self.hold(amount=100.0)
        with self.assertRaises(AccessError):
            self.decide(check, self.user_controller)
        self.decide(check, self.user_manager)
        self.assertEqual(order.state, "sale")

    def test_salesperson_never_releases(self):
        """A salesperson cannot release, and nobody releases their own order."""
        order, check = self.hold()
        with self.assertRaises(AccessError):
            self.decide(check, self.user_sales)
        own, own_check = self.hold(user=self.user_controller)
        with self.assertRaises(AccessError):
            self.decide(own_check, self.user_controller)
        self.decide(own_check, self.user_controller2)
        self.assertEqual(own.state, "sale")
        self.assertEqual(order.state, "draft")

    def test_reject_keeps_quotation_and_recheck_after_revision(self):
        """Reject keeps the quotation; the revised order is checked again."""
        order, check = self.hold()
        self.decide(check, self.user_controller, decision="reject", reason="Too risky")
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.credit_state, "rejected")
        self.assertEqual(check.decision, "rejected")
        with self.assertRaises(UserError):
            self.decide(check, self.user_manager)
        order.order_line.sudo(self.user_sales).write({"price_unit": 9000.0})
        self.confirm(order)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_state, "passed")
        self.assertEqual(len(order.credit_check_ids), 2)

    def test_amount_up_after_hold_needs_new_check(self):
        """A release does not cover an amount raised after the hold."""
        order, check = self.hold()
        order.order_line.sudo(self.user_sales).write({"price_unit": 12000.0})
        with self.assertRaises(UserError):
            self.decide(check, self.user_controller)
        self.confirm(order)
        self.assertEqual(len(order.credit_check_ids), 2)
        self.assertAlmostEqual(self.last_check(order).order_amount, 12000.0)

    def test_released_order_reconfirmed_is_checked_again(self):
        """A release is used once: set back to quotation, the order is checked again."""
        order, check = self.hold()
        self.decide(check, self.user_controller)
        order.sudo(self.user_manager).action_cancel()
        order.sudo(self.user_manager).action_draft()
        self.confirm(order)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.credit_state, "blocked")

    def test_decision_is_read_only(self):
        """A check cannot be changed or deleted, even by a manager."""
        order, check = self.hold()
        self.decide(check, self.user_controller)
        with self.assertRaises(UserError):
            check.sudo(self.user_manager).write({"decision": "rejected"})
        with self.assertRaises(UserError):
            check.sudo(self.user_manager).unlink()
        with self.assertRaises(UserError):
            self.decide(check, self.user_manager, decision="reject")

    def test_reason_required(self):
        """A decision without a reason is refused and changes nothing."""
        order, check = self.hold()
        with self.assertRaises(UserError):
            self.decide(check, self.user_controller, reason="   ")
        self.assertTrue(check.is_held)
        self.assertEqual(order.state, "draft")


class TestNoBypass(OrderCheckCase):

    def test_context_keys_do_not_skip_the_check(self):
        """Context keys sent by a client cannot skip the check."""
        order = self.create_order(self.customer, 12000.0)
        order.sudo(self.user_sales).with_context(
            credit_skip=True, credit_release=True, credit_trusted=True,
            skip_credit_check=True, bypass_risk=True).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.credit_state, "blocked")

    def test_writing_state_or_credit_state_refused(self):
        """Writing state 'sale' or the credit state over RPC is refused."""
        order = self.create_order(self.customer, 12000.0)
        with self.assertRaises(UserError):
            order.sudo(self.user_sales).write({"state": "sale"})
        with self.assertRaises(UserError):
            order.sudo(self.user_manager).write({"credit_state": "released"})
        with self.assertRaises(UserError):
            self.env["sale.order"].sudo(self.user_sales).create({
                "partner_id": self.customer.id, "state": "sale"})
        self.assertEqual(order.state, "draft")

    def test_checks_cannot_be_forged(self):
        """Nobody creates a 'passed' check or a release by hand."""
        order = self.create_order(self.customer, 12000.0)
        with self.assertRaises(UserError):
            self.env["credit.check"].sudo(self.user_manager).create({
                "order_id": order.id, "partner_id": self.customer.id,
                "company_id": self.company.id, "result": "passed"})
        order.sudo(self.user_sales).action_confirm()
        check = self.last_check(order)
        with self.assertRaises(UserError):
            check.sudo(self.user_manager).write({"decision": "released"})
        self.assertEqual(order.state, "draft")

    def test_public_methods_refuse_private_path(self):
        """The release path is private: RPC cannot call underscore methods."""
        from odoo.service.model import check_method_name
        with self.assertRaises(AccessError):
            check_method_name("_credit_confirm_released")


class TestCompaniesAndCurrencies(OrderCheckCase):

    def test_other_company_exposure_never_counts(self):
        """Receivables of company B do not count in company A's check."""
        books = self._create_company_books("Credit B Corp", "CMB")
        company_b = books.company
        receivable_b, income_b = books.receivable_account, books.income_account
        journal_b = books.misc_journal
        move = self.env["account.move"].create({
            "journal_id": journal_b.id, "company_id": company_b.id,
            "line_ids": [
                (0, 0, {"name": "B invoice", "account_id": receivable_b.id,
                        "partner_id": self.customer.id, "debit": 50000.0,
                        "date_maturity": fields.Date.to_string(
                            self.today - timedelta(days=90))}),
                (0, 0, {"name": "B sale", "account_id": income_b.id,
                        "credit": 50000.0})]})
        move.post()
        order = self.create_order(self.customer, 2000.0)
        self.confirm(order)
        check = self.last_check(order)
        self.assertEqual(order.credit_state, "passed")
        self.assertAlmostEqual(check.exposure_amount, 0.0)
        self.assertAlmostEqual(check.overdue_amount, 0.0)
        self.assertEqual(check.company_id, self.company)

    def test_foreign_currency_order_converted(self):
        """An order in another currency is converted at today's rate."""
        eur = self.env.ref("base.EUR")
        if eur == self.currency:
            eur = self.env.ref("base.USD")
        eur.active = True
        self.env["res.currency.rate"].search([
            ("currency_id", "in", (eur | self.currency).ids)]).unlink()
        self.env["res.currency.rate"].create({
            "currency_id": self.currency.id, "rate": 1.0,
            "name": fields.Date.to_string(self.today), "company_id": self.company.id})
        self.env["res.currency.rate"].create({
            "currency_id": eur.id, "rate": 2.0,
            "name": fields.Date.to_string(self.today), "company_id": self.company.id})
        pricelist = self.env["product.pricelist"].create({
            "name": "Foreign", "currency_id": eur.id})
        order = self.create_order(self.customer, 16000.0, pricelist=pricelist)
        self.confirm(order)
        check = self.last_check(order)
        self.assertAlmostEqual(check.order_amount, 8000.0)
        self.assertAlmostEqual(check.document_amount, 16000.0)
        self.assertEqual(order.credit_state, "passed")
        order2 = self.create_order(self.customer, 6000.0, pricelist=pricelist)
        self.confirm(order2)
        check2 = self.last_check(order2)
        self.assertAlmostEqual(check2.exposure_amount, 8000.0)
        self.assertAlmostEqual(check2.order_amount, 3000.0)
        self.assertEqual(order2.credit_state, "blocked")
