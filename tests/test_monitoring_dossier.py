"""Monitoring with the granting flow: dossier links, legal case, limit requests, temp limits."""
from datetime import timedelta

from odoo import fields

from common import CreditCommon


def set_expiry(request, date):
    """Time passes for an approved request (a fixture, not a user action:
    approved requests are read-only)."""
    request.env.cr.execute(
        "UPDATE credit_limit_request SET expiry_date = %s WHERE id = %s",
        (date, request.id))
    request.invalidate_cache(["expiry_date"], request.ids)


class TestMonitoringWithDossier(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.write({"warning_user_id": cls.user_controller2.id, "reward_months": 0,
                          "warning_overdue_days_levels": "30,60,90"})
        cls.dossier = cls._create_dossier(registration=False)
        cls.customer.email = "ap@acme.example.com"

    def day(self, days_ago):
        return fields.Date.to_string(self.today - timedelta(days=days_ago))

    def run_warnings(self):
        return self.env["credit.warning"]._cron_evaluate(
            date=self.day(0), company_ids=self.company.ids, commit=False)

    def warnings(self, wtype):
        return self.env["credit.warning"].search([
            ("partner_id", "=", self.customer.id), ("warning_type", "=", wtype)])

    def test_responsible_is_the_dossier_controller(self):
        """Warnings go to the controller who keeps the dossier."""
        self.create_invoice(self.customer, 9000.0, due_days=30)
        self.run_warnings()
        warning = self.warnings("limit_usage")
        self.assertEqual(warning.user_id, self.user_controller)
        self.assertEqual(self.dossier.warning_count, 1)

    def test_penalty_asks_for_a_limit_reduction(self):
        """The penalty is a submitted limit-reduction request; the limit itself stays."""
        self.policy.write({"penalty_action": "reduce", "penalty_severity": "high",
                           "penalty_reduce_percent": 30.0})
        self.create_invoice(self.customer, 10500.0, due_days=30)
        self.run_warnings()
        self.run_warnings()
        warning = self.warnings("limit_exceeded")
        request = warning.limit_request_id
        self.assertEqual(warning.action_taken, "request")
        self.assertEqual(request.state, "to_approve")
        self.assertAlmostEqual(request.requested_limit, 7000.0)
        self.assertIn("Penalty", request.reason)
        self.assertEqual(self.env["credit.limit.request"].search_count(
            [("partner_id", "=", self.customer.id)]), 1)
        self.assertAlmostEqual(self.customer.credit_limit, 10000.0)

    def test_reward_asks_for_a_limit_increase(self):
        """An on-time payer gets a limit-increase request for approval."""
        self.policy.write({"reward_months": 6, "reward_increase_percent": 20.0})
        for days_ago in (240, 150, 60):
            inv = self.create_invoice(self.customer, 1000.0, days_ago=days_ago, due_days=30)
            self.pay_invoice(inv, 1000.0, days_ago=days_ago - 10)
        self.run_warnings()
        warning = self.warnings("good_payer")
        self.assertEqual(warning.action_taken, "proposal")
        self.assertAlmostEqual(warning.limit_request_id.requested_limit, 12000.0)
        self.assertEqual(warning.limit_request_id.state, "to_approve")

    def test_temporary_limit_ending_warns(self):
        """An approved temporary limit ending within the policy's days warns until it ends."""
        self.policy.warning_temp_limit_days = 14
        request = self.env["credit.limit.request"].sudo(self.user_sales).create({
            "partner_id": self.customer.id, "requested_limit": 15000.0,
            "request_type": "temporary", "reason": "Season",
            "expiry_date": self.day(-10)})
        request.action_submit()
        request.sudo(self.user_controller).action_approve()
        self.assertEqual(request.state, "approved")
        self.run_warnings()
        warning = self.warnings("temp_limit_expiring")
        self.assertEqual(warning.value, 10.0)
        self.assertIn("10 days", warning.message)
        set_expiry(request, self.day(-30))
        self.run_warnings()
        self.assertEqual(warning.state, "done")

    def test_legal_level_opens_dossier_case_and_logs_link_dossier(self):
        """The legal level opens the dossier's legal case; logs are on the dossier."""
        self.create_invoice(self.customer, 2000.0, days_ago=65)
        self.env["credit.collection.log"]._cron_followup(
            date=self.day(0), company_ids=self.company.ids, commit=False)
        log = self.dossier.collection_log_ids
        self.assertEqual(log.channel, "legal")
        self.assertEqual(self.dossier.legal_state, "to_hand_over")
        self.assertAlmostEqual(self.dossier.legal_claim_amount, 2000.0)
        self.dossier.write({"legal_state": "handed_over", "legal_costs": 300.0,
                            "legal_agency_id": self._create_customer("Law Firm").id})
        self.assertEqual(self.dossier.legal_state, "handed_over")

    def test_write_off_on_dossier_and_kpis(self):
        """A write-off is listed on the dossier; the dossier shows the KPIs."""
        inv = self.create_invoice(self.customer, 1000.0, days_ago=200)
        self.create_invoice(self.customer, 1000.0, days_ago=40)
        self.env["credit.bad.debt.write.off"].sudo(self.user_manager).create({
            "partner_id": self.customer.id, "invoice_ids": [(6, 0, inv.ids)],
            "account_id": self.expense_account.id, "journal_id": self.misc_journal.id,
            "reason": "Bankrupt"}).action_apply()
        self.assertEqual(self.dossier.bad_debt_ids.invoice_ids, inv)
        self.assertAlmostEqual(self.dossier.credit_bad_debt_ratio, 50.0)
        self.assertAlmostEqual(self.dossier.credit_overdue_ratio, 100.0)
        self.assertAlmostEqual(self.dossier.credit_avg_days_late, 40.0)
