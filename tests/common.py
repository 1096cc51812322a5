"""Shared set-up for the addon's tests.

Builds its own company accounts, journals, tax, products, partners and users:
the tests depend neither on a chart of accounts nor on demo data.
"""
from datetime import timedelta
from types import SimpleNamespace

from odoo import fields
from odoo.tests.common import SavepointCase


class CreditCommon(SavepointCase):
    """Accounting and sales fixtures plus one user per credit role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       mail_create_nolog=True,
                                       mail_notrack=True))
        cls.company = cls.env.ref("base.main_company")
        cls.currency = cls.company.currency_id
        cls.today = fields.Date.from_string(fields.Date.context_today(cls.env.user))
        cls._setup_accounting(cls.company)
        cls.policy = cls.company.credit_policy_id
        cls.policy.write({
            "check_mode": "block",
            "limit_tolerance_percent": 0.0,
            "overdue_grace_days": 0,
            "controller_limit_authority": 50000.0,
            "controller_release_excess": 10000.0,
            "controller_release_overdue_days": 30,
        })
        cls.grade_a = cls.env.ref("credit_management.credit_grade_a")
        cls.grade_d = cls.env.ref("credit_management.credit_grade_d")
        cls.product = cls.env["product.product"].create({
            "name": "Credit Test Widget",
            "type": "consu",
            "list_price": 100.0,
            "invoice_policy": "order",
            "property_account_income_id": cls.income_account.id,
            "taxes_id": [(6, 0, [])],
        })
        cls.user_sales = cls._create_user("credit_sales", "Sam Sales", [
            "sales_team.group_sale_salesman",
            "credit_management.group_credit_user"])
        cls.user_sales2 = cls._create_user("credit_sales2", "Sue Sales", [
            "sales_team.group_sale_salesman",
            "credit_management.group_credit_user"])
        cls.user_controller = cls._create_user("credit_controller", "Carl Controller", [
            "sales_team.group_sale_salesman_all_leads",
            "account.group_account_invoice",
            "credit_management.group_credit_controller"])
        cls.user_controller2 = cls._create_user("credit_controller2", "Cleo Controller", [
            "sales_team.group_sale_salesman_all_leads",
            "account.group_account_invoice",
            "credit_management.group_credit_controller"])
        cls.user_manager = cls._create_user("credit_manager", "Mia Manager", [
            "sales_team.group_sale_manager",
            "account.group_account_manager",
            "credit_management.group_credit_manager"])
        cls.user_manager2 = cls._create_user("credit_manager2", "Max Manager", [
            "sales_team.group_sale_manager",
            "account.group_account_manager",
            "credit_management.group_credit_manager"])
        cls.customer = cls._create_customer("Acme Trading Ltd", 10000.0)
        cls.customer_contact = cls.env["res.partner"].create({
            "name": "Alice Buyer", "parent_id": cls.customer.id,
            "type": "contact"})

    # ------------------------------------------------------------------
    @classmethod
    def _setup_accounting(cls, company):
        Account = cls.env["account.account"]
        cls.receivable_account = Account.create({
            "code": "CMT1100", "name": "Test Receivable",
            "user_type_id": cls.env.ref("account.data_account_type_receivable").id,
            "reconcile": True, "company_id": company.id})
        cls.income_account = Account.create({
            "code": "CMT4000", "name": "Test Sales",
            "user_type_id": cls.env.ref("account.data_account_type_revenue").id,
            "company_id": company.id})
        cls.expense_account = Account.create({
            "code": "CMT6600", "name": "Test Bad Debt Expense",
            "user_type_id": cls.env.ref("account.data_account_type_expenses").id,
            "company_id": company.id})
        cls.bank_account = Account.create({
            "code": "CMT1010", "name": "Test Bank",
            "user_type_id": cls.env.ref("account.data_account_type_liquidity").id,
            "company_id": company.id})
        cls.tax_account = Account.create({
            "code": "CMT2200", "name": "Test VAT Payable",
            "user_type_id": cls.env.ref("account.data_account_type_current_liabilities").id,
            "company_id": company.id})
        Journal = cls.env["account.journal"]
        cls.sale_journal = Journal.create({
            "name": "Test Sales Journal", "code": "CMTS", "type": "sale",
            "default_debit_account_id": cls.income_account.id,
            "default_credit_account_id": cls.income_account.id,
            "company_id": company.id, "sequence": 1})
        cls.bank_journal = Journal.create({
            "name": "Test Bank Journal", "code": "CMTB", "type": "bank",
            "default_debit_account_id": cls.bank_account.id,
            "default_credit_account_id": cls.bank_account.id,
            "company_id": company.id})
        cls.misc_journal = Journal.create({
            "name": "Test Misc Journal", "code": "CMTM", "type": "general",
            "company_id": company.id})
        cls.tax = cls.env["account.tax"].create({
            "name": "Test VAT 10%", "amount": 10.0, "amount_type": "percent",
            "type_tax_use": "sale", "account_id": cls.tax_account.id,
            "refund_account_id": cls.tax_account.id, "company_id": company.id})

    @classmethod
    def _create_user(cls, login, name, groups, company=None):
        company = company or cls.company
        group_ids = [cls.env.ref("base.group_user").id,
                     cls.env.ref("base.group_partner_manager").id] + [
            cls.env.ref(xml_id).id for xml_id in groups]
        return cls.env["res.users"].with_context(no_reset_password=True).create({
            "name": name, "login": login, "email": login + "@example.com",
            "company_id": company.id, "company_ids": [(6, 0, [company.id])],
            "groups_id": [(6, 0, group_ids)]})

    @classmethod
    def _create_customer(cls, name, limit=0.0, **vals):
        values = {
            "name": name, "is_company": True, "customer": True,
            "credit_limit": limit,
            "property_account_receivable_id": cls.receivable_account.id,
            "user_id": cls.user_sales.id,
        }
        values.update(vals)
        return cls.env["res.partner"].create(values)

    @classmethod
    def _create_company_books(cls, name, code, customers=()):
        """A second company in the same currency with its own receivable and
        income accounts, a sales and a miscellaneous journal; ``customers``
        get the receivable account for it. Returns a namespace with
        ``company``, ``receivable_account``, ``income_account``,
        ``sale_journal`` and ``misc_journal``."""
        company = cls.env["res.company"].create(
            {"name": name, "currency_id": cls.currency.id})
        Account = cls.env["account.account"]
        books = SimpleNamespace(company=company)
        books.receivable_account = Account.create({
            "code": code + "1100", "name": name + " Receivable", "reconcile": True,
            "user_type_id": cls.env.ref("account.data_account_type_receivable").id,
            "company_id": company.id})
        books.income_account = Account.create({
            "code": code + "4000", "name": name + " Sales",
            "user_type_id": cls.env.ref("account.data_account_type_revenue").id,
            "company_id": company.id})
        Journal = cls.env["account.journal"]
        books.sale_journal = Journal.create({
            "name": name + " Sales", "code": code + "S", "type": "sale",
            "company_id": company.id,
            "default_debit_account_id": books.income_account.id,
            "default_credit_account_id": books.income_account.id})
        books.misc_journal = Journal.create({
            "name": name + " Misc", "code": code + "M", "type": "general",
            "company_id": company.id})
        for customer in customers:
            customer.with_context(force_company=company.id).write(
                {"property_account_receivable_id": books.receivable_account.id})
        if "stock.warehouse" in cls.env:  # deliveries (credit_management_stock)
            books.warehouse = cls.env["stock.warehouse"].create({
                "name": name + " Warehouse", "code": code[:5],
                "company_id": company.id})
        return books

    # dossier ----------------------------------------------------------
    REGISTRATION = {
        "registered_capital": 5000000.0,
        "legal_representative": "Li Wei",
        "tax_status": "compliant",
    }

    @classmethod
    def _create_dossier(cls, partner=None, registration=True, **vals):
        """The credit dossier of ``partner`` (the customer by default), kept by
        the controller; with the registration facts of ``REGISTRATION``
        unless ``registration`` is false."""
        values = {"partner_id": (partner or cls.customer).id,
                  "user_id": cls.user_controller.id}
        if registration:
            values.update(cls.REGISTRATION)
        values.update(vals)
        return cls.env["credit.dossier"].create(values)

    @classmethod
    def _statement_vals(cls, dossier, year=2025, **vals):
        """A healthy financial statement of ``dossier`` (current ratio 2, debt
        ratio 50 %, equity 400,000)."""
        values = {
            "dossier_id": dossier.id, "fiscal_year": year,
            "revenue": 1000000.0, "gross_profit": 300000.0, "net_profit": 80000.0,
            "total_assets": 800000.0, "current_assets": 500000.0,
            "inventory": 140000.0, "receivables": 200000.0, "cash": 60000.0,
            "current_liabilities": 250000.0, "total_liabilities": 400000.0,
            "equity": 400000.0, "operating_cash_flow": 90000.0,
        }
        values.update(vals)
        return values

    # ------------------------------------------------------------------
    def create_invoice(self, partner, amount, days_ago=0, due_days=0,
                       validate=True, refund=False, taxes=None, currency=None,
                       company=None):
        """A customer invoice of ``amount`` (untaxed), dated ``days_ago``,
        due ``due_days`` after its date."""
        date_invoice = self.today - timedelta(days=days_ago)
        vals = {
            "partner_id": partner.id,
            "type": "out_refund" if refund else "out_invoice",
            "account_id": self.receivable_account.id,
            "journal_id": self.sale_journal.id,
            "date_invoice": fields.Date.to_string(date_invoice),
            "date_due": fields.Date.to_string(date_invoice + timedelta(days=due_days)),
            "payment_term_id": False,
            "invoice_line_ids": [(0, 0, {
                "name": "Goods", "quantity": 1, "price_unit": amount,
                "account_id": self.income_account.id,
                "invoice_line_tax_ids": [(6, 0, (taxes or self.env["account.tax"]).ids)],
            })],
        }
        if currency:
            vals["currency_id"] = currency.id
        if company:
            vals["company_id"] = company.id
        invoice = self.env["account.invoice"].create(vals)
        if validate:
            invoice.action_invoice_open()
        return invoice

    def pay_invoice(self, invoice, amount, days_ago=0):
        payment = self.env["account.payment"].create({
            "payment_type": "inbound", "partner_type": "customer",
            "partner_id": invoice.commercial_partner_id.id,
            "amount": amount, "journal_id": self.bank_journal.id,
            "payment_date": fields.Date.to_string(self.today - timedelta(days=days_ago)),
            "payment_method_id": self.env.ref("account.account_payment_method_manual_in").id,
            "invoice_ids": [(6, 0, invoice.ids)],
        })
        payment.post()
        return payment

    def create_order(self, partner, amount, user=None, qty=1.0, pricelist=None):
        """A quotation of ``amount`` (no tax) for ``partner``."""
        vals = {
            "partner_id": partner.id,
            "user_id": (user or self.user_sales).id,
            "order_line": [(0, 0, {
                "product_id": self.product.id, "name": self.product.name,
                "product_uom_qty": qty, "price_unit": amount / qty,
                "tax_id": [(6, 0, [])],
            })],
        }
        if pricelist:
            vals["pricelist_id"] = pricelist.id
        return self.env["sale.order"].create(vals)

    def decide(self, check, user, decision="release", reason="Customer paid by wire"):
        """Release or reject a held order or invoice through the decision wizard."""
        wizard = self.env["credit.check.decision"].sudo(user).create({
            "check_id": check.id, "decision": decision, "reason": reason})
        return wizard.action_apply()


# ----------------------------------------------------------------------
# Reports (appended by the reports issue)
# ----------------------------------------------------------------------
def render_report_html(env, xml_id, ids, data=None):
    """HTML of a QWeb report action, as bytes."""
    return env.ref(xml_id).render_qweb_html(ids, data=data)[0]


def render_report_pdf(env, xml_id, ids, data=None):
    """PDF bytes of a QWeb report through wkhtmltopdf.

    Odoo returns HTML instead of a PDF while tests run unless a test report
    directory is configured; give it one for the duration of the call.
    """
    import tempfile
    from unittest.mock import patch

    from odoo.tools import config

    with tempfile.TemporaryDirectory() as directory, \
            patch.dict(config.options, {"test_report_directory": directory}):
        content, fmt = env.ref(xml_id).render_qweb_pdf(ids, data=data)
    assert fmt == "pdf", fmt
    return content


def pdf_page_count(content):
    """Number of pages of a PDF document."""
    import io

    from PyPDF2 import PdfFileReader
    return PdfFileReader(io.BytesIO(content)).getNumPages()


def pdf_text(content):
    """Text of a PDF printed by wkhtmltopdf: one line per text block, blanks collapsed.

    PyPDF2 1.x does not read the Identity-H fonts wkhtmltopdf embeds, so the
    glyph codes of each text operator are mapped through the font's
    ToUnicode CMap.
    """
    import io
    import warnings

    from PyPDF2 import PdfFileReader
    from PyPDF2.pdf import ContentStream

    lines = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyPDF2 1.28 deprecates the 1.26 names
        reader = PdfFileReader(io.BytesIO(content))
        for number in range(reader.getNumPages()):
            page = reader.getPage(number)
            fonts = page["/Resources"].get("/Font", {})
            maps = {name: _pdf_unicode_map(font.getObject())
                    for name, font in fonts.items()}
            cmap, run = {}, []
            for operands, operator in ContentStream(page.getContents(), reader).operations:
                if operator == b"Tf":
                    cmap = maps.get(operands[0], {})
                elif operator in (b"Tj", b"'", b'"'):
                    run.append(_pdf_decode(operands[-1], cmap))
                elif operator == b"TJ":
                    run.extend(_pdf_decode(item, cmap) for item in operands[0]
                               if isinstance(item, (bytes, str)))
                elif operator == b"ET":
                    lines.append(" ".join("".join(run).split()))
                    run = []
    return "\n".join(line for line in lines if line)


def _pdf_decode(string, cmap):
    raw = string if isinstance(string, bytes) else string.original_bytes
    return "".join(cmap.get(int.from_bytes(raw[i:i + 2], "big"), "")
                   for i in range(0, len(raw) - 1, 2))


def _pdf_unicode_map(font):
    """{glyph code: text} from a font's ToUnicode CMap (bfchar and bfrange)."""
    import re

    def text(hex_digits):
        return bytes.fromhex(hex_digits).decode("utf-16-be")

    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    data = stream.getObject().getData().decode("latin-1")
    mapping = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<(\w+)>\s*<(\w+)>", block):
            mapping[int(src, 16)] = text(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, dst in re.findall(r"<(\w+)>\s*<(\w+)>\s*(\[[^\]]*\]|<\w+>)", block):
            low, high = int(low, 16), int(high, 16)
            if dst.startswith("["):
                for offset, item in enumerate(re.findall(r"<(\w+)>", dst)):
                    mapping[low + offset] = text(item)
            else:
                first = int(dst[1:-1], 16)
                for offset in range(high - low + 1):
                    mapping[low + offset] = chr(first + offset)
    return mapping


def view_groupbys_and_measures(arch):
    """The group-bys (rows then columns, ``field:interval``) and measures of a
    pivot or graph view, as the web client reads them."""
    from lxml import etree

    rows, cols, measures = [], [], []
    for node in etree.fromstring(arch).iter("field"):
        name = node.get("name")
        if node.get("interval"):
            name += ":" + node.get("interval")
        {"row": rows, "col": cols, "measure": measures}[node.get("type", "row")].append(name)
    return rows + cols, measures


def render_xlsx(env, xml_id, ids, data=None, data_only=True):
    """An xlsx report opened with openpyxl: returns the first worksheet
    (with ``data_only`` formulas read as their cached values)."""
    import io

    import openpyxl

    content, fmt = env.ref(xml_id).render(ids, data or {})
    assert fmt == "xlsx", fmt
    return openpyxl.load_workbook(io.BytesIO(content), data_only=data_only).worksheets[0]


def xlsx_table(sheet, header_row=5):
    """Rows below the header of an export as dicts keyed by the headers
    (the totals row, labelled "Total", is returned apart)."""
    headers = [cell.value for cell in sheet[header_row]]
    rows, total = [], None
    for values in sheet.iter_rows(min_row=header_row + 1, values_only=True):
        if all(value is None for value in values):
            continue
        row = dict(zip(headers, values))
        if values[0] == "Total":
            total = row
        else:
            rows.append(row)
    return headers, rows, total
