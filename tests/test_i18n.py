"""Chinese translation: zh_CN.po complete and current; loaded, the interface speaks Chinese."""
import ast
import os
import re
import unittest

import polib

from common import CreditCommon, render_report_html, render_xlsx
from odoo.tools.translate import trans_load

ADDON = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                     "credit_management")
I18N = os.path.join(ADDON, "i18n")
POT = os.path.join(I18N, "credit_management.pot")
PO = os.path.join(I18N, "zh_CN.po")
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrg%]")
MARKUP = re.compile(r"</?[a-zA-Z][^>]*>")


def _entries(path):
    return [entry for entry in polib.pofile(path) if not entry.obsolete]


def _is_literal(node):
    return isinstance(node, ast.Str) or (
        isinstance(node, getattr(ast, "Constant", ())) and isinstance(node.value, str))


def unextractable_calls(source, filename="<string>"):
    """(line, code) of each ``_()`` call whose first argument is not a plain
    string literal: a variable, a subscript, an f-string, a ``%`` expression
    or a concatenation inside ``_()`` is never exported for translation."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "_" \
                and not (node.args and _is_literal(node.args[0])):
            line = source.splitlines()[node.lineno - 1].strip()
            found.append((node.lineno, line))
    return found


class TestTranslationFiles(unittest.TestCase):

    def test_every_entry_translated_none_fuzzy(self):
        """zh_CN.po has no empty msgstr and no fuzzy entry."""
        entries = _entries(PO)
        self.assertGreater(len(entries), 100)
        empty = [entry.msgid for entry in entries if not entry.msgstr.strip()]
        fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
        self.assertFalse(empty, "untranslated: %s" % empty[:20])
        self.assertFalse(fuzzy, "fuzzy: %s" % fuzzy[:20])

    def test_po_covers_the_template(self):
        """Every msgid of the current .pot is in zh_CN.po."""
        po_ids = {(entry.msgctxt, entry.msgid) for entry in _entries(PO)}
        missing = [entry.msgid for entry in _entries(POT)
                   if (entry.msgctxt, entry.msgid) not in po_ids]
        self.assertFalse(missing, "not in zh_CN.po: %s" % missing[:20])

    def test_placeholders_and_markup_kept(self):
        """Translations keep the placeholders (python-format) and HTML tags of their source."""
        for entry in _entries(PO):
            if "python-format" in entry.flags:
                # same placeholders in the same order (they are positional)
                self.assertEqual(PLACEHOLDER.findall(entry.msgid),
                                 PLACEHOLDER.findall(entry.msgstr), entry.msgid)
            self.assertEqual(sorted(MARKUP.findall(entry.msgid)),
                             sorted(MARKUP.findall(entry.msgstr)), entry.msgid)

    def test_translated_strings_are_extractable(self):
        """Every _() in the addon's Python code translates a string literal."""
        bad = []
        for folder, _dirs, files in os.walk(ADDON):
            for name in sorted(files):
                if name.endswith(".py"):
                    path = os.path.join(folder, name)
                    with open(path, encoding="utf-8") as handle:
                        bad += ["%s:%d: %s" % (os.path.relpath(path, ADDON), line, code)
                                for line, code in unextractable_calls(handle.read(), path)]
        self.assertFalse(bad, "_() of something else than a literal:\n" + "\n".join(bad))

    def test_extractable_check_finds_each_kind(self):
        """The check above reports variables, subscripts, f-strings, % and + inside _()."""
        source = "\n".join([
            '_("Plain literal")',
            '_("Literal with %s") % name',
            '_("Implicit " "concatenation")',
            "_(LABELS[key])",
            "_(label)",
            '_(f"Dear {name}")',
            '_("Dear %s" % name)',
            '_("Dear " + name)',
            "_()",
        ])
        self.assertEqual([line for line, _code in unextractable_calls(source)],
                         [4, 5, 6, 7, 8, 9])

    def test_seed_terms_used(self):
        """The seed documents' terms are the ones the translation uses."""
        translations = {entry.msgid: entry.msgstr for entry in _entries(PO)}
        expected = {
            "Credit Grade": "信用等级",
            "Credit Limit": "信用额度",
            "Credit Terms": "信用条款",
            "Credit Policy": "信用政策",
            "Overdue Amount": "逾期金额",
            "Customer Credit Report": "客户信用报告",
        }
        for msgid, msgstr in expected.items():
            self.assertEqual(translations.get(msgid), msgstr)


class TestChineseInterface(CreditCommon):
    """With zh_CN loaded, menus, reports and messages are in Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"].load_lang("zh_CN")
        trans_load(cls.env.cr, PO, "zh_CN", verbose=False,
                   module_name="credit_management",
                   context={"overwrite": True})
        cls.env_zh = cls.env(context=dict(cls.env.context, lang="zh_CN"))

    def test_menus_in_chinese(self):
        """The Credit menus read 信用管理, 客户, 应收账款, 报表, 配置."""
        names = {
            "credit_management.credit_root_menu": "信用管理",
            "credit_management.credit_customers_menu": "客户",
            "credit_management.credit_receivables_menu": "应收账款",
            "credit_management.credit_reporting_menu": "报表",
            "credit_management.credit_config_menu": "配置",
        }
        for xml_id, name in names.items():
            self.assertEqual(self.env_zh.ref(xml_id).name, name)

    def test_report_titles_in_chinese(self):
        """Report actions and the printed title are in Chinese for a Chinese customer."""
        self.assertEqual(
            self.env_zh.ref("credit_management.credit_report_partner_action").name,
            "客户信用报告")
        self.assertEqual(
            self.env_zh.ref("credit_management.credit_portfolio_xlsx_action").name,
            "客户信用组合（Excel）")
        self.customer.write({"lang": "zh_CN", "credit_grade_id": self.grade_a.id})
        html = render_report_html(self.env, "credit_management.credit_report_partner_action",
                                  self.customer.ids).decode()
        self.assertIn("客户信用报告", html)
        self.assertIn(self.grade_a.with_context(lang="zh_CN").name, html)
        self.assertIn("良好", html)
        self.assertIn("信用额度", html)
        self.assertIn("逾期金额", html)
        self.assertNotIn("Customer Credit Report", html)

    def test_report_language_can_be_chosen(self):
        """An English customer's report prints in Chinese when Chinese is chosen."""
        self.customer.lang = "en_US"
        html = render_report_html(self.env, "credit_management.credit_report_partner_action",
                                  self.customer.ids, data={"lang": "zh_CN"}).decode()
        self.assertIn("客户信用报告", html)
        html = render_report_html(self.env, "credit_management.credit_report_partner_action",
                                  self.customer.ids).decode()
        self.assertIn("Customer Credit Report", html)

    def test_excel_headers_in_chinese(self):
        """Excel exports made by a Chinese user have Chinese titles and headers."""
        sheet = render_xlsx(self.env_zh, "credit_management.credit_portfolio_xlsx_action",
                            self.customer.ids)
        self.assertEqual(sheet["A1"].value, "客户信用组合")
        headers = [cell.value for cell in sheet[5]]
        self.assertIn("信用额度", headers)
        self.assertIn("逾期金额", headers)

    def test_limit_basis_in_chinese(self):
        """An evaluation's proposed limit basis reads in the reader's language,
        on the form and on the printed evaluation form (客户信用评估表)."""
        dossier = self._create_dossier(expected_annual_sales=600000.0)
        self.env["credit.financial.statement"].create(self._statement_vals(dossier))
        evaluation = self.env["credit.evaluation"].sudo(self.user_controller).create(
            {"dossier_id": dossier.id})
        self.assertTrue(evaluation.proposed_limit_basis_key)
        labels = {
            "no_credit": ("the grade allows no credit", "该等级不允许赊销"),
            "cap": ("the grade's cap", "等级额度上限"),
            "equity": ("share of the latest equity", "最近一期所有者权益的比例"),
            "sales": ("share of the expected annual sales", "预计年销售额的比例"),
            "no_basis": ("no figure for the grade's limit rule", "缺少等级额度规则所需的数据"),
        }
        field = self.env["credit.evaluation"]._fields["proposed_limit_basis_key"]
        self.assertEqual(set(dict(field.selection)), set(labels))
        for key, (english, chinese) in labels.items():
            evaluation.sudo().write({"proposed_limit_basis_key": key})
            self.assertEqual(evaluation.with_context(lang="en_US").proposed_limit_basis,
                             english)
            self.assertEqual(evaluation.with_context(lang="zh_CN").proposed_limit_basis,
                             chinese)
        # the printed form follows the customer's language
        evaluation.sudo().write({"proposed_limit_basis_key": "equity"})
        self.customer.lang = "zh_CN"
        html = render_report_html(self.env, "credit_management.credit_report_evaluation_action",
                                  evaluation.ids).decode()
        self.assertIn("额度依据", html)
        self.assertIn("最近一期所有者权益的比例", html)
        self.assertNotIn("share of the latest equity", html)

    def test_validation_message_in_chinese(self):
        """A user error raised for a Chinese user is in Chinese."""
        from odoo.exceptions import ValidationError
        with self.assertRaises(ValidationError) as error:
            self.grade_a.with_context(lang="zh_CN").write({"min_score": 120})
        self.assertIn("最低分必须在 0 到 100 之间", str(error.exception))

    def test_held_order_message_in_chinese(self):
        """A Chinese salesperson confirming an order beyond the limit is told why, in Chinese."""
        order = self.create_order(self.customer, 12000.0)
        action = order.sudo(self.user_sales).with_context(lang="zh_CN").action_confirm()
        self.assertEqual(order.credit_state, "blocked")
        self.assertEqual(action["name"], "信用冻结")
        check = order.credit_check_ids[:1]
        self.assertIn("超出信用额度", check.reasons)
        form = self.env_zh["credit.check"].fields_view_get(
            view_id=self.env.ref("credit_management.credit_check_view_form_hold").id,
            view_type="form")["arch"]
        self.assertIn("未被确认", form)
        self.assertIn("信用冻结：订单未确认。", order.message_ids[0].body)
