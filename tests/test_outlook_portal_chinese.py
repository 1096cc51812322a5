"""The quotation outlook and the customer statement in Chinese (zh_CN)."""
import os

from odoo.tools.translate import trans_load

from common import CreditCommon, render_report_html

PO = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                  "credit_management", "i18n", "zh_CN.po")


class TestOutlookPortalChinese(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"].load_lang("zh_CN")
        trans_load(cls.env.cr, PO, "zh_CN", verbose=False,
                   module_name="credit_management", context={"overwrite": True})

    def test_outlook_in_chinese(self):
        """A Chinese salesperson reads the verdict and the suggestion in Chinese."""
        order = self.create_order(self.customer, 12000.0)
        order = order.sudo(self.user_sales).with_context(lang="zh_CN")
        self.assertEqual(order.credit_outlook, "held")
        self.assertIn("现在确认将被冻结：超出额度", order.credit_outlook_message)
        self.assertIn("可用额度", order.credit_outlook_message)
        self.assertIn("预付款（首付款）", order.credit_outlook_suggestion)
        self.assertNotIn("Will be held", order.credit_outlook_message)

    def test_statement_in_chinese(self):
        """A Chinese customer's statement is printed in Chinese."""
        self.customer.lang = "zh_CN"
        self.create_invoice(self.customer, 3000.0, days_ago=45, due_days=30)
        html = render_report_html(
            self.env(user=self.user_controller),
            "credit_management.credit_statement_report_action",
            self.customer.ids).decode()
        for text in ("客户对账单", "未结发票", "账龄", "您的付款承诺", "信用额度"):
            self.assertIn(text, html)
        self.assertNotIn("Open Invoices", html)
