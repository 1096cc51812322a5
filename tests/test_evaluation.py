"""Evaluations: scorecard, proposal, override, tier approval, partner update, review cron."""
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from test_dossier import DossierCommon


class EvaluationCommon(DossierCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dossier.write({
            "founding_date": fields.Date.to_string(cls.today - relativedelta(years=12)),
            "investigation_verified": True,
            "expected_annual_sales": 600000.0,
        })
        cls.env["credit.financial.statement"].create(cls._statement_vals(cls.dossier))
        cls.env["credit.financial.statement"].create(cls._statement_vals(
            cls.dossier, year=2024, net_profit=-5000.0))
        cls.grade_aa = cls.env.ref("credit_management.credit_grade_aa")

    def _pay_history(self):
        """One invoice paid on time, one 20 days late, one open 10 days overdue."""
        inv1 = self.create_invoice(self.customer, 1000.0, days_ago=90, due_days=30)
        self.pay_invoice(inv1, 1000.0, days_ago=65)
        inv2 = self.create_invoice(self.customer, 3000.0, days_ago=70, due_days=30)
        self.pay_invoice(inv2, 3000.0, days_ago=20)
        self.create_invoice(self.customer, 500.0, days_ago=40, due_days=30)

    def _evaluation(self, user=None, dossier=None):
        return self.env["credit.evaluation"].sudo(user or self.user_controller).create(
            {"dossier_id": (dossier or self.dossier).id})


class TestEvaluationScore(EvaluationCommon):

    def test_end_to_end_statements_score_grade_approval_partner(self):
        """Statements and payments -> 72.5 points -> grade A -> approved -> partner updated."""
        self._pay_history()
        ev = self._evaluation()
        self.assertEqual(len(ev.line_ids), 16)
        self.assertEqual(ev.statement_id.fiscal_year, 2025)
        self.assertAlmostEqual(ev.total_score, 72.5)
        self.assertEqual(ev.proposed_grade_id, self.grade_a)
        self.assertAlmostEqual(ev.proposed_limit, 90000.0)  # 15 % of 600,000 sales
        self.assertEqual(ev.proposed_term_template_id, self.grade_a.term_template_id)
        self.assertEqual(ev.final_grade_id, self.grade_a)
        self.assertFalse(ev.is_override)
        self.assertAlmostEqual(ev.previous_limit, 10000.0)
        self.assertAlmostEqual(ev.overdue_amount, 500.0)
        ev.action_submit()
        self.assertEqual(ev.state, "to_approve")
        self.assertEqual(ev.submitted_by, self.user_controller)
        self.assertTrue(ev.review_ids)
        ev.sudo(self.user_manager).action_approve()
        self.assertEqual(ev.state, "approved")
        self.assertEqual(ev.approved_by, self.user_manager)
        partner = self.customer
        self.assertEqual(partner.credit_grade_id, self.grade_a)
        self.assertAlmostEqual(partner.credit_limit, 90000.0)
        self.assertEqual(partner.property_payment_term_id,
                         self.grade_a.term_template_id.payment_term_id)
        review = fields.Date.to_string(self.today + relativedelta(months=12))
        self.assertEqual(partner.credit_review_date, review)
        self.assertEqual(self.dossier.review_date, review)
        self.assertEqual(self.dossier.state, "active")
        history = self.dossier.history_ids
        self.assertEqual(len(history), 1)
        self.assertEqual(history.change_type, "evaluation")
        self.assertEqual(history.origin, ev)
        self.assertEqual(history.user_id, self.user_manager)
        self.assertAlmostEqual(history.old_limit, 10000.0)
        self.assertAlmostEqual(history.new_limit, 90000.0)
        self.assertEqual(history.new_grade_id, self.grade_a)

    def test_lines_show_values_and_points(self):
        """Each line has the indicator's value, band and points."""
        self._pay_history()
        ev = self._evaluation()
        lines = {line.indicator_id.code: line for line in ev.line_ids}
        self.assertAlmostEqual(lines["current_ratio"].value, 2.0)
        self.assertAlmostEqual(lines["current_ratio"].points, 7.0)
        self.assertAlmostEqual(lines["debt_ratio"].points, 5.6)
        self.assertAlmostEqual(lines["on_time_share"].value, 50.0)
        self.assertAlmostEqual(lines["on_time_share"].points, 3.0)
        self.assertAlmostEqual(lines["weighted_days_late"].points, 4.8)
        self.assertAlmostEqual(sum(ev.line_ids.mapped("points")), ev.total_score)

    def test_missing_data_gives_not_available_lines(self):
        """No statement, no invoices, no registration: 0-point lines, a grade, no crash."""
        dossier = self.env["credit.dossier"].create(
            {"partner_id": self._create_customer("Unknown Newcomer").id})
        ev = self._evaluation(dossier=dossier)
        missing = ev.line_ids.filtered(lambda l: not l.available)
        self.assertTrue(missing)
        self.assertEqual(set(missing.mapped("value_display")), {"Not available"})
        self.assertEqual(sum(missing.mapped("points")), 0.0)
        self.assertFalse(ev.statement_id)
        self.assertTrue(ev.proposed_grade_id)
        self.assertEqual(ev.proposed_grade_id, self.grade_d)
        self.assertEqual(ev.proposed_limit, 0.0)

    def test_recompute_after_new_statement(self):
        """Adding a better statement and recomputing raises the score."""
        ev = self._evaluation()
        before = ev.total_score
        self.env["credit.financial.statement"].create(self._statement_vals(
            self.dossier, year=2026, net_profit=150000.0, total_liabilities=200000.0))
        ev.sudo(self.user_controller).action_compute()
        self.assertEqual(ev.statement_id.fiscal_year, 2026)
        self.assertGreater(ev.total_score, before)


class TestOverride(EvaluationCommon):

    def test_override_without_justification_refused(self):
        """Another grade, limit or terms needs a justification before submission."""
        ev = self._evaluation()
        ev.write({"final_grade_id": self.grade_aa.id})
        self.assertTrue(ev.is_override)
        with self.assertRaises(UserError):
            ev.action_submit()
        self.assertEqual(ev.state, "draft")
        ev.write({"override_reason": "Parent company guarantee signed."})
        ev.action_submit()
        self.assertEqual(ev.state, "to_approve")

    def test_override_applied_with_justification(self):
        """An approved override sets the overridden numbers and logs the reason."""
        ev = self._evaluation()
        ev.write({"final_limit": 150000.0,
                  "final_term_template_id": self.env.ref(
                      "credit_management.credit_term_net_15").id,
                  "override_reason": "Bank guarantee of 150,000."})
        ev.action_submit()
        ev.sudo(self.user_manager).action_approve()
        self.assertAlmostEqual(self.customer.credit_limit, 150000.0)
        self.assertEqual(self.customer.property_payment_term_id, self.env.ref(
            "credit_management.credit_term_net_15").payment_term_id)
        self.assertEqual(self.dossier.history_ids.reason, "Bank guarantee of 150,000.")

    def test_limit_above_cap_needs_justification(self):
        """A limit above the grade's cap is refused without a justification."""
        ev = self._evaluation()
        ev.write({"final_grade_id": self.grade_a.id, "final_limit": 600000.0})
        with self.assertRaises(UserError) as err:
            ev.action_submit()
        self.assertIn("cap", str(err.exception))
        self.assertEqual(ev.state, "draft")

    def test_negative_limit_refused(self):
        """A negative limit is refused."""
        ev = self._evaluation()
        with self.assertRaises(ValidationError):
            ev.write({"final_limit": -1.0})

    def test_back_to_proposal(self):
        """Dropping the override restores the proposal."""
        ev = self._evaluation()
        ev.write({"final_limit": 1.0, "override_reason": "x"})
        ev.action_reset_proposal()
        self.assertFalse(ev.is_override)
        self.assertEqual(ev.final_limit, ev.proposed_limit)


class TestEvaluationApproval(EvaluationCommon):

    def test_no_self_approval(self):
        """A manager who submitted cannot approve; another manager can."""
        ev = self._evaluation(user=self.user_manager)
        ev.sudo(self.user_manager).action_submit()
        with self.assertRaises(UserError):
            ev.sudo(self.user_manager).action_approve()
        self.assertEqual(ev.state, "to_approve")
        ev.sudo(self.user_manager2).action_approve()
        self.assertEqual(ev.state, "approved")

    def test_controller_cannot_approve(self):
        """Only managers approve evaluations."""
        ev = self._evaluation()
        ev.action_submit()
        with self.assertRaises(UserError):
            ev.sudo(self.user_controller2).action_approve()
        self.assertEqual(ev.state, "to_approve")
        self.assertNotEqual(self.customer.credit_grade_id, self.grade_a)

    def test_second_tier_needs_another_manager(self):
        """With a second tier configured, one manager approves one tier only."""
        self.env["tier.definition"].create({
            "name": "Second approver above 50,000",
            "model_id": self.env.ref("credit_management.model_credit_evaluation").id,
            "review_type": "group",
            "reviewer_group_id": self.env.ref("credit_management.group_credit_manager").id,
            "definition_domain": "[('final_limit', '>', 50000)]",
        })
        ev = self._evaluation()
        ev.write({"final_limit": 80000.0, "override_reason": "Guarantee."})
        ev.action_submit()
        self.assertEqual(len(ev.review_ids), 2)
        ev.sudo(self.user_manager).action_approve()
        self.assertEqual(ev.state, "to_approve")
        with self.assertRaises(UserError):
            ev.sudo(self.user_manager).action_approve()
        self.assertNotEqual(self.customer.credit_limit, 80000.0)
        ev.sudo(self.user_manager2).action_approve()
        self.assertEqual(ev.state, "approved")
        self.assertAlmostEqual(self.customer.credit_limit, 80000.0)

    def test_reject_needs_reason(self):
        """Rejection asks for a reason, keeps the partner unchanged and ends the evaluation."""
        ev = self._evaluation()
        ev.action_submit()
        action = ev.sudo(self.user_manager).action_reject()
        self.assertEqual(action["res_model"], "credit.approval.reject")
        with self.assertRaises(UserError):
            ev.sudo(self.user_manager).with_context(
                credit_reject_no_dialog=True).action_reject("   ")
        wizard = self.env["credit.approval.reject"].sudo(self.user_manager).create({
            "res_model": "credit.evaluation", "res_id": ev.id,
            "reason": "Statements not audited."})
        wizard.action_apply()
        self.assertEqual(ev.state, "rejected")
        self.assertEqual(ev.reject_reason, "Statements not audited.")
        self.assertEqual(ev.rejected_by, self.user_manager)
        self.assertFalse(self.customer.credit_grade_id)
        self.assertAlmostEqual(self.customer.credit_limit, 10000.0)

    def test_wrong_state_refused(self):
        """Approving a draft or approving twice is refused and changes nothing."""
        ev = self._evaluation()
        with self.assertRaises(UserError):
            ev.sudo(self.user_manager).action_approve()
        ev.action_submit()
        ev.sudo(self.user_manager).action_approve()
        with self.assertRaises(UserError):
            ev.sudo(self.user_manager2).action_approve()
        with self.assertRaises(UserError):
            ev.sudo(self.user_manager2).with_context(
                credit_reject_no_dialog=True).action_reject("late")
        with self.assertRaises(UserError):
            ev.action_compute()
        self.assertEqual(ev.state, "approved")

    def test_state_not_writable_by_client(self):
        """Writing the state directly (RPC) is refused, even for a manager."""
        ev = self._evaluation()
        with self.assertRaises(UserError):
            ev.sudo(self.user_manager).write({"state": "approved"})
        with self.assertRaises(UserError):
            ev.sudo(self.user_manager).write({"approved_by": self.user_manager.id})
        self.assertEqual(ev.state, "draft")

    def test_frozen_while_waiting_approval(self):
        """A submitted or approved evaluation cannot be edited."""
        ev = self._evaluation()
        ev.action_submit()
        with self.assertRaises(UserError):
            ev.sudo(self.user_controller).write({"final_limit": 999999.0})
        ev.sudo(self.user_manager).action_approve()
        with self.assertRaises(UserError):
            ev.sudo(self.user_manager).write({"final_limit": 1.0})

    def test_approved_evaluation_cannot_be_deleted(self):
        """Decisions are kept."""
        ev = self._evaluation()
        ev.action_submit()
        ev.sudo(self.user_manager).action_approve()
        with self.assertRaises(UserError):
            ev.sudo(self.user_manager).unlink()


class TestScorecardConfig(EvaluationCommon):

    def test_default_scorecard_weights_add_to_100(self):
        """The shipped scorecard covers the six categories and weighs 100."""
        card = self.policy.scorecard_id
        self.assertEqual(card, self.env.ref("credit_management.credit_scorecard_default"))
        self.assertAlmostEqual(card.total_weight, 100.0)
        self.assertEqual(set(card.indicator_ids.mapped("category")),
                         {"basics", "record", "profitability", "operation", "solvency",
                          "payment"})

    def test_weights_not_adding_to_100_refused(self):
        """Changing one weight alone is refused with a clear error; nothing changes."""
        card = self.policy.scorecard_id
        indicator = card.indicator_ids[0]
        with self.assertRaises(ValidationError):
            with self.env.cr.savepoint():
                card.write({"indicator_ids": [(1, indicator.id, {"weight": 50.0})]})
        self.assertAlmostEqual(card.total_weight, 100.0)
        with self.assertRaises(ValidationError):
            self.env["credit.scorecard"].create({"name": "Half", "indicator_ids": [
                (0, 0, {"code": "roe", "name": "ROE", "category": "profitability",
                        "weight": 50.0})]})

    def test_bad_band_refused(self):
        """A band above 100 % of the weight is refused."""
        indicator = self.policy.scorecard_id.indicator_ids[0]
        with self.assertRaises(ValidationError):
            indicator.write({"band_ids": [(0, 0, {"threshold": 1, "percent": 150})]})

    def test_controller_cannot_change_scorecard(self):
        """Only managers change the scorecard."""
        with self.assertRaises(AccessError):
            self.policy.scorecard_id.sudo(self.user_controller).write({"name": "Mine"})


class TestEvaluationRights(EvaluationCommon):

    def test_sales_cannot_see_evaluations(self):
        """Evaluations show financial ratios: salespeople have no access."""
        self._evaluation()
        with self.assertRaises(AccessError):
            self.env["credit.evaluation"].sudo(self.user_sales).search([])
        with self.assertRaises(AccessError):
            self.env["credit.evaluation"].sudo(self.user_sales).create(
                {"dossier_id": self.dossier.id})


class TestReviewCron(EvaluationCommon):

    def test_cron_starts_due_reviews(self):
        """A due review gets a draft evaluation and an activity for the controller, once."""
        yesterday = fields.Date.to_string(self.today - timedelta(days=1))
        self.dossier.write({"state": "active", "review_date": yesterday})
        later = self.env["credit.dossier"].create({
            "partner_id": self._create_customer("Not Yet Ltd").id, "state": "active",
            "review_date": fields.Date.to_string(self.today + timedelta(days=10))})
        started = self.env["credit.dossier"]._cron_review_due()
        self.assertIn(self.dossier, started)
        self.assertNotIn(later, started)
        ev = self.env["credit.evaluation"].search([("dossier_id", "=", self.dossier.id)])
        self.assertEqual(len(ev), 1)
        self.assertEqual(ev.state, "draft")
        self.assertTrue(ev.line_ids)
        activity = ev.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_controller)
        self.assertEqual(activity.activity_type_id, self.env.ref(
            "credit_management.mail_activity_type_credit_review"))
        # a second run does not duplicate the open review
        self.env["credit.dossier"]._cron_review_due()
        self.assertEqual(self.env["credit.evaluation"].search_count(
            [("dossier_id", "=", self.dossier.id)]), 1)
        # approving closes the activity and moves the review date forward
        ev.sudo(self.user_controller).action_submit()
        ev.sudo(self.user_manager).action_approve()
        self.assertFalse(ev.activity_ids)
        self.assertFalse(self.dossier.review_overdue)

    def test_cron_skips_closed_dossiers(self):
        """Suspended or closed dossiers are not reviewed."""
        yesterday = fields.Date.to_string(self.today - timedelta(days=1))
        self.dossier.write({"state": "closed", "review_date": yesterday})
        self.assertNotIn(self.dossier, self.env["credit.dossier"]._cron_review_due())
