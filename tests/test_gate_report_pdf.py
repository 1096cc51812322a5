"""The addon's PDF rendering applies to its credit reports only."""
import io
from unittest.mock import patch

from PyPDF2 import PdfFileWriter

from odoo.addons.base.ir.ir_actions_report import IrActionsReport as OdooReport
from odoo.addons.credit_management.models import ir_actions_report as credit_pdf

from common import CreditCommon, pdf_page_count

HTML = (
    '<html><head><link href="/web/content/1-abc/web.report_assets_common.0.css" '
    'rel="stylesheet"/></head><body>'
    '<div class="article" data-oe-model="res.partner" data-oe-id="%(a)s">A</div>'
    '<div class="article" data-oe-model="res.partner" data-oe-id="%(b)s">B</div>'
    '</body></html>')


def one_page_pdf():
    writer = PdfFileWriter()
    writer.addBlankPage(72, 72)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


class TestPdfOverrideScope(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.credit_report = cls.env.ref("credit_management.credit_report_partner_action")
        cls.invoice_report = cls.env.ref("account.account_invoices")
        cls.order_report = cls.env.ref("sale.action_report_saleorder")
        cls.html = HTML % {"a": cls.customer.id, "b": cls.customer_contact.id}

    def run_wkhtmltopdf(self, report):
        """Render two bodies with an unpatched-Qt wkhtmltopdf; return the calls."""
        calls = []

        def fake(report_self, bodies, **kwargs):
            calls.append(list(bodies))
            return one_page_pdf()

        with patch.object(OdooReport, "_run_wkhtmltopdf", fake), \
                patch.object(credit_pdf, "wkhtmltopdf_patched_qt", lambda: False):
            pdf = report._run_wkhtmltopdf([b"<p>1</p>", b"<p>2</p>"])
        return calls, pdf

    def test_odoo_reports_are_prepared_by_odoo(self):
        """Odoo's invoice and order reports get exactly Odoo's HTML preparation."""
        for report in (self.invoice_report, self.order_report):
            self.assertEqual(report._prepare_html(self.html),
                             OdooReport._prepare_html(report, self.html))

    def test_credit_reports_are_self_contained(self):
        """A credit report: one stand-alone page per record, no asset links."""
        bodies, res_ids, header, footer, _args = self.credit_report._prepare_html(
            self.html)
        self.assertEqual(res_ids, [self.customer.id, self.customer_contact.id])
        self.assertEqual(len(bodies), 2)
        self.assertFalse(any(b"/web/content/" in body for body in bodies))
        self.assertIsNone(header)
        self.assertIsNone(footer)

    def test_odoo_reports_are_not_split(self):
        """Odoo's reports go to wkhtmltopdf as Odoo sends them (one call)."""
        for report in (self.invoice_report, self.order_report):
            calls, _pdf = self.run_wkhtmltopdf(report)
            self.assertEqual(calls, [[b"<p>1</p>", b"<p>2</p>"]])

    def test_credit_reports_split_for_an_unpatched_qt(self):
        """Credit reports with an unpatched-Qt binary: one call per record, merged."""
        calls, pdf = self.run_wkhtmltopdf(self.credit_report)
        self.assertEqual(calls, [[b"<p>1</p>"], [b"<p>2</p>"]])
        self.assertEqual(pdf_page_count(pdf), 2)
