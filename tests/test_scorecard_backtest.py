"""Scorecard back-test and fitted proposal on a generated ledger history."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from backtest_common import BacktestCommon


class TestScorecardBacktest(BacktestCommon):
    """Four customers always pay on time; four paid late once and then let an
    invoice run 90+ days overdue. Scored at the month-ends 330 to 200 days
    ago and followed for 6 months, the good ones get a top grade and stay
    good, the others get grade D and go bad."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.card = cls._create_payment_card([
            ("on_time_share", 40), ("weighted_days_late", 30),
            ("overdue_days", 30)])
        cls.good, cls.bad = cls._create_payers(
            4, good_invoice_days=(450, 360, 300, 240, 150))
        cls.grade_aaa = cls.env.ref("credit_management.credit_grade_aaa")

    def test_backtest_ranks_good_above_bad_without_inversion(self):
        """Good payers score AAA and stay good, late payers score D and go
        90+ days overdue: AUC 1, no inversion, stored per grade."""
        test = self._run(self._backtest())
        months = test.observation_count // 8
        self.assertGreaterEqual(months, 4)
        self.assertEqual(test.observation_count, 8 * months)
        self.assertEqual(test.bad_count, 4 * months)
        self.assertGreater(test.auc, 0.5)
        self.assertAlmostEqual(test.auc, 1.0)
        self.assertAlmostEqual(test.gini, 1.0)
        self.assertAlmostEqual(test.ks, 1.0)
        self.assertEqual(test.inversion_count, 0)
        self.assertFalse(test.grade_line_ids.filtered("inversion"))
        by_grade = {line.grade_id: line for line in test.grade_line_ids}
        self.assertEqual(by_grade[self.grade_aaa].customers, 4 * months)
        self.assertEqual(by_grade[self.grade_aaa].bad_rate, 0.0)
        self.assertEqual(by_grade[self.grade_d].customers, 4 * months)
        self.assertEqual(by_grade[self.grade_d].bad_rate, 100.0)
        # the same customers every month: a stable population
        self.assertAlmostEqual(test.psi, 0.0)
        ivs = {line.indicator_id.code: line.iv for line in test.indicator_line_ids}
        self.assertGreater(ivs["on_time_share"], 0.3)
        self.assertEqual(set(ivs), {"on_time_share", "weighted_days_late",
                                    "overdue_days"})
        # KS chart: the lowest-scoring half holds every bad customer-month
        curve = {(p.curve, p.population): p.share for p in test.curve_line_ids}
        self.assertEqual(curve[("bad", 50)], 100.0)
        self.assertEqual(curve[("good", 50)], 0.0)
        self.assertEqual(curve[("good", 100)], 100.0)

    def test_excel_export(self):
        """The Excel export lists bad rate by grade, AUC/KS/PSI and the IVs."""
        from common import render_xlsx
        test = self._run(self._backtest())
        sheet = render_xlsx(self.env(user=self.user_controller),
                            "credit_management.credit_scorecard_backtest_xlsx_action",
                            test.ids)
        cells = [[c.value for c in row] for row in sheet.iter_rows()]
        by_label = {row[0]: row[1] for row in cells if row and row[0]}
        self.assertAlmostEqual(by_label["AUC"], 1.0)
        self.assertEqual(by_label["KS"], test.ks)
        grades = {row[0]: row for row in cells[5:] if row[0] in ("AAA", "D")}
        self.assertEqual(grades["D"][3], test.bad_count)
        self.assertEqual(grades["D"][4], 1.0)
        labels = [row[0] for row in cells]
        self.assertLess(labels.index("Indicator"), labels.index("On time"))

    def test_an_inverted_card_is_flagged(self):
        """A card rewarding lateness puts the bad payers on top: flagged."""
        upside_down = self.card.copy({"name": "Upside down"})
        for ind in upside_down.indicator_ids:
            ind.higher_is_better = not ind.higher_is_better
            ind.band_ids.unlink()
            ind.band_ids = [(0, 0, {"threshold": 1, "percent": 100})] \
                if ind.higher_is_better else [(0, 0, {"threshold": -1, "percent": 100})]
        test = self._run(self._backtest(card=upside_down))
        self.assertLess(test.auc, 0.5)
        self.assertGreater(test.inversion_count, 0)

    def test_outcome_uses_only_the_window(self):
        """A window too short to see the 90 days: nobody is bad yet."""
        test = self._backtest()
        test.write({"outcome_months": 1,
                    "date_to": fields.Date.to_string(self.today - timedelta(days=300))})
        self._run(test)
        self.assertEqual(test.bad_count, 0)
        self.assertEqual(test.auc, 0.0)
        self.assertIn("same outcome", test.message)

    def test_bad_parameters_and_rights(self):
        """Reversed period refused; plain credit users cannot back-test."""
        with self.assertRaises(ValidationError):
            self._backtest().write({
                "date_from": fields.Date.to_string(self.today),
                "date_to": fields.Date.to_string(self.today - timedelta(days=100))})
        with self.assertRaises(AccessError):
            self._backtest(user=self.user_sales)
        manager_test = self._backtest(user=self.user_manager)
        self.assertEqual(manager_test.state, "draft")
        # results come from the run only, proposals from a fit only
        with self.assertRaises(UserError):
            manager_test.write({"auc": 0.99})
        with self.assertRaises(UserError):
            manager_test.write({"state": "done"})
        with self.assertRaises(UserError):
            self.env["credit.scorecard.proposal"].sudo(self.user_manager).create({
                "name": "Hand-made", "backtest_id": manager_test.id})
        # not even the superuser (the admin of an RPC call): only the run writes
        with self.assertRaises(UserError):
            manager_test.sudo().write({"auc": 0.99})
        with self.assertRaises(UserError):
            self.env["credit.scorecard.proposal"].sudo().create({
                "name": "Hand-made", "backtest_id": manager_test.id})
        with self.assertRaises(UserError):
            manager_test.action_fit()  # not run yet

    def test_as_of_payment_behaviour_matches_todays_rule(self):
        """Parity: as of today the back-test's payment SQL gives what the
        partner's payment behaviour gives."""
        test = self._backtest()
        partners = self.env["res.partner"].browse([p.id for p in self.good + self.bad])
        today = test._payment_behaviour_as_of(partners.ids,
                                              fields.Date.to_string(self.today))
        current = partners._credit_payment_behaviour(self.company)
        self.assertEqual(today, current)
        past = test._payment_behaviour_as_of(
            partners.ids, fields.Date.to_string(self.today - timedelta(days=400)))
        self.assertEqual(past[self.good[0].id].invoices_paid, 1)
        self.assertEqual(past[self.bad[0].id].invoices_paid, 0)

    def test_fitted_proposal_is_a_draft_needing_manager_approval(self):
        """Fit: a new draft scorecard version; a manager approves it (not
        the controller who submitted it); only then may a policy use it, and
        evaluations cite the version."""
        test = self._run(self._backtest())
        action = test.action_fit()
        proposal = self.env["credit.scorecard.proposal"].browse(action["res_id"])
        card = proposal.scorecard_id
        self.assertEqual(proposal.state, "draft")
        self.assertEqual(card.approval_state, "draft")
        self.assertEqual(card.version, 2)
        self.assertEqual(card.parent_id, self.card)
        self.assertAlmostEqual(card.total_weight, 100.0)
        self.assertGreater(proposal.proposed_auc, 0.9)
        self.assertEqual(len(proposal.grade_line_ids), len(test.grade_line_ids))
        cuts = proposal.grade_line_ids.sorted("current_min_score").mapped(
            "proposed_min_score")
        self.assertEqual(cuts, sorted(cuts))
        # the controller back-tests the proposal beside the current card
        side = self.env["credit.scorecard.backtest"].browse(
            proposal.sudo(self.user_controller).action_backtest_proposal()["res_id"])
        self.assertEqual(side.scorecard_id, card)
        self.assertEqual(side.state, "queued")
        self.env["credit.scorecard.backtest"]._cron_run_queued()
        self.assertEqual(side.state, "done", side.message)
        self.assertEqual(side.observation_count, test.observation_count)
        self.assertGreater(side.auc, 0.9)
        self.assertEqual(side.inversion_count, 0)
        # a draft version cannot be put in the policy
        with self.assertRaises(ValidationError):
            self.policy.scorecard_id = card
        with self.assertRaises(UserError):
            proposal.sudo(self.user_controller).write({"scorecard_id": self.card.id})
        proposal.sudo(self.user_controller).action_submit()
        self.assertEqual(proposal.state, "to_approve")
        with self.assertRaises(UserError):
            proposal.sudo(self.user_controller2).action_approve()
        with self.assertRaises(UserError):
            card.sudo(self.user_controller).write({"approval_state": "approved"})
        with self.assertRaises(UserError):  # not even a manager, by hand
            card.sudo(self.user_manager).write({"approval_state": "approved"})
        with self.assertRaises(UserError):  # nor the superuser
            card.sudo().write({"approval_state": "approved"})
        proposal.sudo(self.user_manager).action_approve()
        self.assertEqual(proposal.state, "approved")
        self.assertEqual(card.approval_state, "approved")
        self.assertEqual(proposal.approved_by, self.user_manager)
        self.policy.scorecard_id = card
        dossier = self.env["credit.dossier"]._get_or_create(self.good[0])
        evaluation = self.env["credit.evaluation"].create({"dossier_id": dossier.id})
        self.assertEqual(evaluation.scorecard_id, card)
        self.assertEqual(evaluation.scorecard_version, 2)

    def test_rejected_proposal_retires_its_version(self):
        """A rejected fit leaves the current card and archives the proposal's."""
        test = self._run(self._backtest())
        proposal = self.env["credit.scorecard.proposal"].browse(
            test.action_fit()["res_id"])
        proposal.sudo(self.user_controller).action_submit()
        proposal.sudo(self.user_manager).action_reject("Too few customers")
        self.assertEqual(proposal.state, "rejected")
        self.assertEqual(proposal.scorecard_id.approval_state, "rejected")
        self.assertFalse(proposal.scorecard_id.active)
        self.assertEqual(self.card.approval_state, "approved")
