"""Excel export wizard: the credit team picks an export, company and dates."""
from odoo.exceptions import AccessError, ValidationError

from common import CreditCommon


class TestReportExport(CreditCommon):

    def test_controller_exports_portfolio_of_the_company(self):
        """Export returns the xlsx report action with company and report date."""
        wizard = self.env["credit.report.export"].sudo(self.user_controller).create({
            "report": "portfolio", "date": "2026-03-31"})
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_type"], "xlsx")
        self.assertEqual(action["report_name"], "credit_management.credit_portfolio_xlsx")
        self.assertEqual(action["data"]["company_id"], self.company.id)
        self.assertEqual(action["data"]["date"], "2026-03-31")
        self.assertTrue(action["data"]["credit_export"])

    def test_every_export_has_a_report(self):
        """Each export offered in the wizard points to an xlsx report."""
        Export = self.env["credit.report.export"]
        actions = Export._get_report_actions()
        for key, _label in Export._get_report_selection():
            self.assertEqual(self.env.ref(actions[key]).report_type, "xlsx")

    def test_salesperson_cannot_export(self):
        """A salesperson cannot export the credit team's reports."""
        wizard = self.env["credit.report.export"].sudo(self.user_sales).create({
            "report": "portfolio"})
        with self.assertRaises(AccessError):
            wizard.action_export()

    def test_period_must_be_in_order(self):
        """A period ending before it starts is refused."""
        with self.assertRaises(ValidationError):
            self.env["credit.report.export"].create({
                "report": "held_orders", "date_from": "2026-05-01",
                "date_to": "2026-04-01"})
