# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""PDF rendering that does not depend on Odoo reaching itself over HTTP.

Odoo 11 hands wkhtmltopdf HTML files whose stylesheets are links to
``web.base.url`` (or ``report.url``). Headless servers, proxies, a public
``web.base.url``, a single worker or an uncommitted asset bundle (tests,
first print) make those links fail and the PDF comes out unstyled or not at
all. Here the stylesheets are inlined from the asset bundle's attachment in
the same transaction, so the PDF never needs the network.

The credit documents go further: they use no asset bundle at all (their
styles are inline and their company block is part of the page), so they
print without lessc, without HTTP and identically with any wkhtmltopdf.

Debian's wkhtmltopdf is built against an unpatched Qt: it accepts only one
input document and ignores header/footer files. When several records are
printed with such a binary, each body is rendered alone and the PDFs are
merged.
"""
import base64
import io
import logging
import re
import subprocess

import lxml.html

from odoo import api, models

from odoo.addons.base.ir.ir_actions_report import _get_wkhtmltopdf_bin

try:
    from PyPDF2 import PdfFileReader, PdfFileWriter
except ImportError:  # pragma: no cover - PyPDF2 is an Odoo 11 requirement
    PdfFileReader = PdfFileWriter = None

_logger = logging.getLogger(__name__)

_CSS_LINK_RE = re.compile(
    rb'<link\b[^>]*?href="(/web/content/[^"]+\.css)"[^>]*>', re.I)
_BASE_RE = re.compile(rb'<base\s+href=[^>]*>', re.I)
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

    @api.model
    def _credit_inline_css(self, html):
        """Replace stylesheet links to asset bundles by their content."""
        if not html:
            return html
        attachments = self.env["ir.attachment"].sudo()
        cache = {}

        def inline(match):
            url = match.group(1).decode()
            if url not in cache:
                attachment = attachments.search([("url", "=", url)], limit=1)
                cache[url] = (base64.b64decode(attachment.datas)
                              if attachment.datas else None)
            if cache[url] is None:
                return match.group(0)
            return b"<style type=\"text/css\">" + cache[url] + b"</style>"

        html = _CSS_LINK_RE.sub(inline, html)
        # nothing is fetched from the server any more: no base URL to reach
        return _BASE_RE.sub(b"", html)

    def _credit_self_contained(self):
        """Credit documents carry their own styles and page header."""
        return (self.report_name or "").startswith("credit_management.")

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
        res = super()._prepare_html(html)
        if not res:
            return res
        bodies, res_ids, header, footer, paper_args = res
        inline = self._credit_inline_css
        return ([inline(body) for body in bodies], res_ids, inline(header),
                inline(footer), paper_args)

    @api.model
    def _run_wkhtmltopdf(self, bodies, header=None, footer=None,
                         landscape=False, specific_paperformat_args=None,
                         set_viewport_size=False):
        if len(bodies) <= 1 or wkhtmltopdf_patched_qt() or not PdfFileWriter:
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
