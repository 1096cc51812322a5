"""Customer credit report (信用报告) printed from the customer: HTML and PDF."""
from common import CreditCommon, pdf_page_count, render_report_html, render_report_pdf

REPORT = "credit_management.credit_report_partner_action"


class TestCreditReportPartner(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.credit_grade_id = cls.grade_a
        # 3,000 overdue for 10 days, 2,000 not due yet, a draft of 500
        cls.create_invoice(cls, cls.customer, 3000.0, days_ago=40, due_days=30)
        cls.create_invoice(cls, cls.customer, 2000.0, days_ago=5, due_days=30)
        cls.create_invoice(cls, cls.customer, 500.0, validate=False)
        cls.other = cls._create_customer("Beta Imports Co", 0.0)

    def test_html_shows_the_customer_figures(self):
        """The report shows grade, limit, exposure, available credit, usage and overdue."""
        self.assertAlmostEqual(self.customer.credit_exposure, 5500.0)
        html = render_report_html(self.env, REPORT, self.customer.ids)
        self.assertIn(b"Customer Credit Report", html)
        self.assertIn(b"Acme Trading Ltd", html)
        self.assertIn(self.grade_a.code.encode(), html)
        for figure in (b"10,000.00", b"5,500.00", b"4,500.00", b"3,000.00",
                       b"5,000.00", b"500.00", b"55.0"):
            self.assertIn(figure, html)
        self.assertIn(b"width: 55.0%", html)

    def test_printed_from_a_contact_shows_the_company(self):
        """Printed from a contact person, the report is about the commercial partner."""
        html = render_report_html(self.env, REPORT, self.customer_contact.ids)
        self.assertIn(b"5,500.00", html)
        self.assertIn(b"Acme Trading Ltd", html)

    def test_customer_without_limit(self):
        """A customer without limit or grade prints without a usage figure."""
        html = render_report_html(self.env, REPORT, self.other.ids)
        self.assertIn(b"No credit limit", html)
        self.assertIn(b"No credit grade", html)

    def test_pdf_one_page_per_customer(self):
        """wkhtmltopdf renders a PDF; two customers give at least two pages."""
        pdf = render_report_pdf(self.env, REPORT, self.customer.ids)
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(pdf_page_count(pdf), 1)
        both = render_report_pdf(self.env, REPORT, (self.customer | self.other).ids)
        self.assertTrue(both.startswith(b"%PDF"))
        self.assertEqual(pdf_page_count(both), 2)

    def test_self_contained_html(self):
        """The document needs no stylesheet from the server (no asset links)."""
        html = render_report_html(self.env, REPORT, self.customer.ids)
        self.assertNotIn(b"/web/content/", html)
        self.assertIn(b"cm-report", html)


class TestCreditReportHolds(CreditCommon):

    def test_recent_holds_with_decisions(self):
        """Held orders appear with their reasons and the decision taken."""
        self.create_invoice(self.customer, 6000.0, due_days=30)
        order = self.create_order(self.customer, 4500.0)
        order.sudo(self.user_sales).action_confirm()
        check = order.credit_check_ids[:1]
        self.env["credit.check.decision"].sudo(self.user_controller).create({
            "check_id": check.id, "decision": "reject",
            "reason": "Wait for the payment"}).action_apply()
        waiting = self.create_order(self.customer, 4600.0)
        waiting.sudo(self.user_sales).action_confirm()
        html = render_report_html(self.env, REPORT, self.customer.ids).decode()
        self.assertIn("Recent Holds and Decisions", html)
        self.assertIn(order.name, html)
        self.assertIn("Rejected", html)
        self.assertIn("Wait for the payment", html)
        self.assertIn("Carl Controller", html)
        self.assertIn(waiting.name, html)
        self.assertIn("Waiting", html)
        self.assertIn("4,500.00", html)

    def test_no_holds(self):
        """A customer never held says so."""
        html = render_report_html(self.env, REPORT, self.customer.ids).decode()
        self.assertIn("No order of this customer was held.", html)
