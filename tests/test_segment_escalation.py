"""Customer segments as filters and group-bys; high warnings escalated to
the credit managers after the policy's escalation days."""
from datetime import timedelta

from odoo import fields

from common import CreditCommon


class TestSegments(CreditCommon):

    def test_portfolio_filter_by_segment(self):
        risky = self._create_customer("Risky Ltd", 1000.0,
                                      credit_grade_id=self.grade_d.id)
        self.customer.credit_grade_id = self.grade_a
        Partner = self.env["res.partner"]
        self.assertEqual(self.grade_d.segment, "risk")
        risk = Partner.search([("credit_segment", "=", "risk")])
        self.assertIn(risky, risk)
        self.assertNotIn(self.customer, risk)
        self.assertEqual(risky.credit_segment, "risk")
        self.assertIn(self.customer, Partner.search(
            [("credit_segment", "=", self.grade_a.segment)]))

    def test_aging_grouped_by_segment(self):
        risky = self._create_customer("Risky Ltd", 1000.0,
                                      credit_grade_id=self.grade_d.id)
        self.customer.credit_grade_id = self.grade_a
        self.create_invoice(risky, 300.0, days_ago=40, due_days=30)
        self.create_invoice(self.customer, 700.0, days_ago=5, due_days=30)
        Aging = self.env["credit.aging"]
        Aging._write_snapshots(self.company, fields.Date.to_string(self.today))
        rows = {row["credit_segment"]: row["amount_total"]
                for row in Aging.read_group(
                    [("company_id", "=", self.company.id),
                     ("partner_id", "in", (risky | self.customer).ids)],
                    ["credit_segment", "amount_total"], ["credit_segment"])}
        self.assertAlmostEqual(rows["risk"], 300.0)
        self.assertAlmostEqual(rows[self.grade_a.segment], 700.0)


class TestEscalation(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.write({
            "warning_user_id": cls.user_controller.id,
            "warning_overdue_days_levels": "10,20,30",
            "warning_escalation_days": 5,
            "penalty_action": "none", "reward_months": 0})
        cls.Warning = cls.env["credit.warning"]

    def run_cron(self, days_later=0):
        date = fields.Date.to_string(self.today + timedelta(days=days_later))
        return self.Warning._cron_evaluate(date=date, company_ids=self.company.ids,
                                           commit=False)

    def test_high_warning_escalated_after_the_days(self):
        self.create_invoice(self.customer, 500.0, days_ago=70, due_days=30)
        self.run_cron()
        warning = self.Warning.search([("partner_id", "=", self.customer.id),
                                       ("warning_type", "=", "overdue_days")])
        self.assertEqual(warning.severity, "high")
        self.assertFalse(warning.escalated_date)
        self.run_cron(days_later=4)
        self.assertFalse(warning.escalated_date)
        self.run_cron(days_later=5)
        self.assertTrue(warning.escalated_date)
        managers = warning.activity_ids.filtered(
            lambda a: "Escalated" in (a.summary or "")).mapped("user_id")
        self.assertIn(self.user_manager, managers)
        self.assertIn(self.user_manager2, managers)
        self.assertNotIn(self.user_controller, managers)
        self.assertTrue(warning.message_ids.filtered(
            lambda m: "escalated" in (m.body or "")))
        # once only
        count = len(warning.activity_ids)
        self.run_cron(days_later=6)
        self.assertEqual(len(warning.activity_ids), count)

    def test_lower_warnings_and_off_are_not_escalated(self):
        self.create_invoice(self.customer, 500.0, days_ago=45, due_days=30)
        self.run_cron()
        self.run_cron(days_later=10)
        warning = self.Warning.search([("partner_id", "=", self.customer.id),
                                       ("warning_type", "=", "overdue_days")])
        self.assertNotEqual(warning.severity, "high")
        self.assertFalse(warning.escalated_date)
