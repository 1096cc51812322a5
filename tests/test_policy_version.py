"""Credit policy versions: a change is proposed, reviewed, approved and
published on its effective date; until then the published version applies;
checks, warnings and evaluations cite the version record."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError

from common import CreditCommon, render_report_html


class TestPolicyVersion(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Version = cls.env["credit.policy.version"]

    def _date(self, days):
        return fields.Date.to_string(self.today + timedelta(days=days))

    def _propose(self, user=None, **vals):
        action = self.policy.sudo(user or self.user_controller).action_propose_change()
        version = self.Version.sudo(user or self.user_controller).browse(action["res_id"])
        values = {"change_reason": "Customers pay later this year."}
        values.update(vals)
        version.write(values)
        return version

    def _check(self, amount=12000.0):
        order = self.create_order(self.customer, amount)
        order.action_confirm()
        return order.credit_check_ids[:1]

    def test_every_policy_has_its_published_version(self):
        """The policy in force has a version record; a check cites it."""
        published = self.policy.version_id
        self.assertTrue(published)
        self.assertEqual(published.state, "published")
        self.assertEqual(published.version, self.policy.version)
        self.assertEqual(published.check_mode, "block")
        check = self._check()
        self.assertEqual(check.policy_version_id, published)
        # the installation's data made a version for every policy
        self.env["credit.policy"]._credit_ensure_versions()
        self.assertEqual(self.Version.search_count([
            ("policy_id", "=", self.policy.id), ("state", "=", "published")]), 1)

    def test_change_approved_then_published_on_its_effective_date(self):
        """Proposed, reviewed by a controller, approved by a manager, applied
        from the effective date on; checks before and after cite their
        versions."""
        old = self.policy.version_id
        old_number = self.policy.version
        version = self._propose(limit_tolerance_percent=25.0,
                                overdue_grace_days=15,
                                effective_date=self._date(10))
        self.assertEqual(version.state, "draft")
        version.action_submit()
        self.assertEqual(version.state, "to_approve")
        self.assertEqual(len(version.review_ids), 2)
        # nobody approves what they submitted
        with self.assertRaises(UserError):
            version.sudo(self.user_controller).action_approve()
        version.sudo(self.user_controller2).action_approve()
        self.assertEqual(version.state, "to_approve")  # the manager's tier waits
        # the reviewer does not approve the second tier too
        with self.assertRaises(UserError):
            version.sudo(self.user_controller2).action_approve()
        version.sudo(self.user_manager).action_approve()
        self.assertEqual(version.state, "approved")
        self.assertEqual(version.approved_by, self.user_manager)

        # approved, not yet effective: the published version applies
        self.assertEqual(self.policy.version, old_number)
        self.assertAlmostEqual(self.policy.limit_tolerance_percent, 0.0)
        before = self._check(10500.0)
        self.assertEqual(before.result, "blocked")
        self.assertEqual(before.policy_version_id, old)

        # the daily job publishes nothing early, then on the effective date
        self.Version._cron_publish_due(date=self._date(9))
        self.assertEqual(version.state, "approved")
        self.Version._cron_publish_due(date=self._date(10))
        self.assertEqual(version.state, "published")
        self.assertEqual(old.state, "superseded")
        self.assertEqual(self.policy.version, old_number + 1)
        self.assertEqual(version.version, old_number + 1)
        self.assertEqual(self.policy.version_id, version)
        self.assertAlmostEqual(self.policy.limit_tolerance_percent, 25.0)
        self.assertEqual(self.policy.overdue_grace_days, 15)
        after = self._check(10500.0)
        self.assertEqual(after.result, "passed")
        self.assertEqual(after.policy_version_id, version)
        self.assertEqual(before.policy_version_id, old)

        # the teams are told what changed
        message = self.policy.message_ids.filtered(
            lambda m: "is published" in (m.body or ""))[:1]
        self.assertTrue(message)
        self.assertIn("Limit Tolerance", message.body)
        self.assertIn("25.0", message.body)
        self.assertIn(self.user_sales.partner_id, message.partner_ids)
        self.assertIn(self.user_controller.partner_id, message.partner_ids)
        self.assertIn("Limit Tolerance", version.change_summary)

        # versions are read-only
        with self.assertRaises(UserError):
            version.sudo(self.user_manager).write({"overdue_grace_days": 1})
        with self.assertRaises(UserError):
            old.sudo(self.user_manager).unlink()

    def test_effective_today_is_published_at_approval(self):
        version = self._propose(check_mode="monitor")
        version.action_submit()
        version.sudo(self.user_controller2).action_approve()
        version.sudo(self.user_manager).action_approve()
        self.assertEqual(version.state, "published")
        self.assertEqual(self.policy.check_mode, "monitor")

    def test_bad_values_refused_at_submission(self):
        version = self._propose(limit_tolerance_percent=150.0)
        with self.assertRaises(ValidationError):
            version.action_submit()
        self.assertEqual(version.state, "draft")
        self.assertAlmostEqual(self.policy.limit_tolerance_percent, 0.0)

    def test_reason_needed_and_rejection(self):
        version = self._propose(change_reason=" ")
        with self.assertRaises(UserError):
            version.action_submit()
        version.write({"change_reason": "Tighter terms."})
        version.action_submit()
        version.sudo(self.user_manager).action_reject(reason="Not now.")
        self.assertEqual(version.state, "rejected")
        with self.assertRaises(UserError):
            version.sudo(self.user_manager2).action_approve()

    def test_salesperson_cannot_propose(self):
        with self.assertRaises(Exception):
            self._propose(user=self.user_sales)

    def test_direct_edit_is_kept_as_a_version(self):
        number = self.policy.version
        self.policy.sudo(self.user_manager).write({"overdue_grace_days": 7})
        version = self.policy.version_id
        self.assertEqual(version.version, number + 1)
        self.assertTrue(version.direct_edit)
        self.assertEqual(version.approved_by, self.user_manager)
        self.assertIn("Overdue Grace Days", version.change_summary)

    def test_warnings_cite_the_version(self):
        self.create_invoice(self.customer, 9000.0, due_days=30)
        self.env["credit.warning"]._cron_evaluate(company_ids=self.company.ids,
                                                  commit=False)
        warning = self.env["credit.warning"].search(
            [("partner_id", "=", self.customer.id)], limit=1)
        self.assertTrue(warning)
        self.assertEqual(warning.policy_version_id, self.policy.version_id)

    def test_policy_document_printed(self):
        html = render_report_html(
            self.env, "credit_management.credit_policy_document_report_action",
            self.policy.ids).decode()
        self.assertIn("Rewards and Penalties", html)
        self.assertIn(self.policy.name, html)

    def test_new_company_gets_a_published_monitor_policy(self):
        """A company created later (as on install on an existing database)
        gets its policy in monitor mode with its published version."""
        company = self.env["res.company"].create({"name": "Version Co"})
        policy = company.credit_policy_id
        self.assertEqual(policy.check_mode, "monitor")
        self.assertEqual(policy.version_id.state, "published")
        self.assertEqual(policy.version_id.company_id, company)
        self.assertEqual(policy.version_id.check_mode, "monitor")

    def test_evaluation_cites_the_version(self):
        dossier = self._create_dossier()
        self.env["credit.financial.statement"].create(self._statement_vals(dossier))
        evaluation = self.env["credit.evaluation"].sudo(self.user_controller).create(
            {"dossier_id": dossier.id})
        self.assertEqual(evaluation.policy_version, self.policy.version)
        self.assertEqual(evaluation.policy_version_id, self.policy.version_id)
