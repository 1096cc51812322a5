# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""PDF rendering of the credit reports, independent of Odoo's web assets.

Odoo 11 hands wkhtmltopdf HTML files whose stylesheets are links to
``web.base.url`` (or ``report.url``); headless servers, proxies or an
uncommitted asset bundle make those links fail. The credit documents
(reports named ``credit_management.*``) use no asset bundle at all: their
styles are inline and their company block is part of the page, so they
print without lessc, without HTTP and identically with any wkhtmltopdf.

Debian's wkhtmltopdf is built against an unpatched Qt: it accepts only one
input document and ignores header/footer files. When several credit
documents are printed with such a binary, each body is rendered alone and
the PDFs are merged.

Every other report (Odoo's invoices, orders, ...) is left to Odoo as it is.
"""
import io
import logging
import subprocess

import lxml.html

from odoo import api, models

from odoo.addons.base.ir.ir_actions_report import _get_wkhtmltopdf_bin

try:
    from PyPDF2 import PdfFileReader, PdfFileWriter
except ImportError:  # pragma: no cover - PyPDF2 is an Odoo 11 requirement
    PdfFileReader = PdfFileWriter = None

_logger = logging.getLogger(__name__)

_PATCHED_QT = {}


def wkhtmltopdf_patched_qt():
    """Whether the wkhtmltopdf binary is built with the patched Qt."""
    if "value" not in _PATCHED_QT:
        try:
            out = subprocess.check_output(
                [_get_wkhtmltopdf_bin(), "--version"],
                stderr=subprocess.STDOUT)
        except (OSError, IOError, subprocess.CalledProcessError):
            out = b""
        _PATCHED_QT["value"] = b"patched qt" in out.lower()
    return _PATCHED_QT["value"]


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _credit_self_contained(self):
        """Whether this is one of the addon's credit reports: they carry
        their own styles and page header. Every other report (Odoo's
        invoices, orders, ...) renders exactly as Odoo renders it."""
        return len(self) == 1 and (self.report_name or "").startswith(
            "credit_management.")

    @api.multi
    def _credit_prepare_html(self, html):
        """Split the HTML into one stand-alone page per record, no assets."""
        root = lxml.html.fromstring(html)
        bodies, res_ids = [], []
        for node in root.xpath(
                "//div[contains(concat(' ', normalize-space(@class), ' '), "
                "' article ')]"):
            bodies.append(
                b'<!DOCTYPE html><html><head><meta charset="utf-8"/></head>'
                b'<body>' + lxml.html.tostring(node) + b"</body></html>")
            res_id = node.get("data-oe-id")
            res_ids.append(int(res_id) if res_id and res_id.isdigit() else False)
        paper_args = {key: value for key, value in root.items()
                      if key.startswith("data-report-")}
        return bodies, res_ids, None, None, paper_args

    @api.multi
    def _prepare_html(self, html):
        if self._credit_self_contained():
            return self._credit_prepare_html(html)
        return super()._prepare_html(html)

    @api.model
    def _run_wkhtmltopdf(self, bodies, header=None, footer=None,
                         landscape=False, specific_paperformat_args=None,
                         set_viewport_size=False):
        if not self._credit_self_contained() or len(bodies) <= 1 \
                or wkhtmltopdf_patched_qt() or not PdfFileWriter:
            return super()._run_wkhtmltopdf(
                bodies, header=header, footer=footer, landscape=landscape,
                specific_paperformat_args=specific_paperformat_args,
                set_viewport_size=set_viewport_size)
        # unpatched Qt: one document per call, then merge
        writer = PdfFileWriter()
        streams = []
        for body in bodies:
            content = super()._run_wkhtmltopdf(
                [body], header=header, footer=footer, landscape=landscape,
                specific_paperformat_args=specific_paperformat_args,
                set_viewport_size=set_viewport_size)
            stream = io.BytesIO(content)
            streams.append(stream)
            reader = PdfFileReader(stream)
            for page in range(reader.getNumPages()):
                writer.addPage(reader.getPage(page))
        result = io.BytesIO()
        writer.write(result)
        for stream in streams:
            stream.close()
        return result.getvalue()
