"""Credit report from the dossier and the seed's forms (调查表, 评估表, 等级评定表, 额度变更表)."""
from dateutil.relativedelta import relativedelta
from odoo import fields

from common import (CreditCommon, pdf_page_count, pdf_text, render_report_html,
                    render_report_pdf)


class DocumentsCommon(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dossier = cls._create_dossier(
            license_number="91310000MA1FL00000",
            founding_date=fields.Date.to_string(cls.today - relativedelta(years=12)),
            expected_annual_sales=600000.0,
            investigation_date=fields.Date.to_string(cls.today),
            investigator_id=cls.user_controller.id,
            investigation_sources="Business registry, bank reference",
            investigation_findings="Registered and active, no litigation.",
            investigation_verified=True,
        )
        cls.env["credit.financial.statement"].create(cls._statement_vals(cls.dossier))
        cls.evaluation = cls.env["credit.evaluation"].sudo(cls.user_controller).create(
            {"dossier_id": cls.dossier.id})
        cls.evaluation.action_submit()
        cls.evaluation.sudo(cls.user_manager).action_approve()

    def _limit_request(self):
        return self.env["credit.limit.request"].sudo(self.user_sales).create({
            "partner_id": self.customer.id, "requested_limit": 120000.0,
            "reason": "Seasonal orders for the new store."})


class TestDossierCreditReport(DocumentsCommon):

    def test_credit_report_from_the_dossier(self):
        """The dossier's report has registration facts, score lines, grade, limit and history."""
        ev = self.evaluation
        self.assertEqual(ev.state, "approved")
        html = render_report_html(
            self.env, "credit_management.credit_report_dossier_action", self.dossier.ids).decode()
        self.assertIn("Customer Credit Report", html)
        self.assertIn("Li Wei", html)
        self.assertIn("5,000,000.00", html)
        self.assertIn("91310000MA1FL00000", html)
        self.assertIn("%.2f" % ev.total_score, html)
        for line in ev.line_ids:
            self.assertIn(line.name, html)
            self.assertIn("%.2f" % line.points, html)
        self.assertIn(ev.final_grade_id.code, html)
        self.assertIn("{:,.2f}".format(self.customer.credit_limit), html)
        self.assertIn("Grade and Limit History", html)
        self.assertIn("Payment Behaviour", html)
        self.assertNotIn("No approved evaluation yet.", html)

    def test_customer_report_includes_the_dossier(self):
        """Printed from the customer, the report shows the same dossier sections."""
        html = render_report_html(
            self.env, "credit_management.credit_report_partner_action", self.customer.ids).decode()
        self.assertIn("Li Wei", html)
        self.assertIn("%.2f" % self.evaluation.total_score, html)

    def test_credit_report_pdf(self):
        """The dossier's credit report renders to PDF."""
        pdf = render_report_pdf(
            self.env, "credit_management.credit_report_dossier_action", self.dossier.ids)
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreaterEqual(pdf_page_count(pdf), 1)


class TestForms(DocumentsCommon):

    def test_investigation_form(self):
        """客户信用调查表: registration facts, statement, investigation and signature lines."""
        html = render_report_html(
            self.env, "credit_management.credit_report_investigation_action",
            self.dossier.ids).decode()
        self.assertIn("Credit Investigation Form", html)
        for text in ("Li Wei", "91310000MA1FL00000", "Business registry, bank reference",
                     "Registered and active, no litigation.", "1,000,000.00", "400,000.00",
                     "Carl Controller", "cm-sign-line"):
            self.assertIn(text, html)

    def test_evaluation_form(self):
        """客户信用评估表: each indicator with value, weight and points, and the total."""
        ev = self.evaluation
        html = render_report_html(
            self.env, "credit_management.credit_report_evaluation_action", ev.ids).decode()
        self.assertIn("Credit Evaluation Form", html)
        for line in ev.line_ids:
            self.assertIn(line.name, html)
            self.assertIn("%.2f" % line.points, html)
            if line.available:
                self.assertIn(line.value_display, html)
        self.assertIn("%.2f" % ev.total_score, html)
        self.assertIn(ev.proposed_grade_id.code, html)
        self.assertIn("{:,.2f}".format(ev.proposed_limit), html)
        self.assertIn("cm-sign-line", html)

    def test_grade_approval_form(self):
        """客户信用等级评定表: proposed and approved grade, limit and terms, approver."""
        ev = self.evaluation
        html = render_report_html(
            self.env, "credit_management.credit_report_grade_approval_action", ev.ids).decode()
        self.assertIn("Credit Grade Approval Form", html)
        self.assertIn(ev.final_grade_id.display_name, html)
        self.assertIn("{:,.2f}".format(ev.final_limit), html)
        self.assertIn("Mia Manager", html)
        self.assertIn("General Manager", html)

    def test_limit_change_form(self):
        """客户信用额度变更表: current and requested limit, change, reason, requester."""
        request = self._limit_request()
        html = render_report_html(
            self.env, "credit_management.credit_report_limit_change_action",
            request.ids).decode()
        self.assertIn("Credit Limit Change Form", html)
        self.assertIn("{:,.2f}".format(request.current_limit), html)
        self.assertIn("120,000.00", html)
        self.assertIn("{:,.2f}".format(120000.0 - request.current_limit), html)
        self.assertIn("Seasonal orders for the new store.", html)
        self.assertIn("Sam Sales", html)

    def test_forms_render_as_pdf(self):
        """Each printed form is a PDF whose text has the record's names and figures."""
        ev, request = self.evaluation, self._limit_request()
        self.assertTrue(ev.proposed_limit_basis)
        money = "{:,.2f}".format
        forms = (
            ("credit_management.credit_report_investigation_action", self.dossier, [
                "Credit Investigation Form", "Acme Trading Ltd", "Li Wei",
                "91310000MA1FL00000", money(5000000.0), money(600000.0),
                "Business registry, bank reference", "Registered and active, no litigation.",
                "2025", money(1000000.0), money(80000.0), money(400000.0), "2.00",
                "Sam Sales", "Investigator: Carl Controller"]),
            ("credit_management.credit_report_evaluation_action", ev, [
                "Credit Evaluation Form", "Acme Trading Ltd", ev.name, "Total Score",
                "%.2f" % ev.total_score, ev.proposed_grade_id.code,
                money(ev.proposed_limit), ev.proposed_limit_basis,
                ev.proposed_term_template_id.name, "Analyst: Carl Controller",
            ] + ev.line_ids.mapped("name") + ["%.2f" % points
                                              for points in ev.line_ids.mapped("points")]),
            ("credit_management.credit_report_grade_approval_action", ev, [
                "Credit Grade Approval Form", "Acme Trading Ltd", ev.name,
                ev.proposed_grade_id.display_name, ev.final_grade_id.display_name,
                money(ev.final_limit), ev.final_term_template_id.name,
                "%.2f" % ev.total_score, "Approved",
                "Credit Team: Carl Controller", "General Manager: Mia Manager"]),
            ("credit_management.credit_report_limit_change_action", request, [
                "Credit Limit Change Form", "Acme Trading Ltd", request.name,
                money(request.current_limit), money(120000.0),
                money(120000.0 - request.current_limit),
                "Seasonal orders for the new store.", "Sam Sales"]),
        )
        for xml_id, record, expected in forms:
            pdf = render_report_pdf(self.env, xml_id, record.ids)
            self.assertTrue(pdf.startswith(b"%PDF"), xml_id)
            self.assertGreaterEqual(pdf_page_count(pdf), 1, xml_id)
            # text wrapped over several lines of a cell reads as one phrase
            text = " ".join(pdf_text(pdf).split())
            for value in expected:
                self.assertIn(value, text, "%s: %r not printed" % (xml_id, value))
