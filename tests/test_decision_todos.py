"""The decision on a hold closes the credit team's to-dos by record, so it
works in a mixed-language team: the to-dos are written in the language of
whoever confirmed the order, the decision is taken in another one."""
from common import CreditCommon


class TestDecisionClosesTodos(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from odoo.tools.translate import trans_load
        from test_i18n import PO
        cls.env["res.lang"].load_lang("zh_CN")
        trans_load(cls.env.cr, PO, "zh_CN", verbose=False,
                   module_name="credit_management",
                   context={"overwrite": True})

    def held_in_chinese(self):
        """An order over the limit confirmed by a Chinese salesperson."""
        self.user_sales.lang = "zh_CN"
        order = self.create_order(self.customer, 11000.0)
        order.sudo(self.user_sales).with_context(lang="zh_CN").action_confirm()
        self.assertEqual(order.credit_state, "blocked")
        check = order.credit_check_ids.sorted("id")[-1]
        todos = order.activity_ids
        self.assertTrue(todos)
        self.assertEqual(set(todos.mapped("summary")),
                         {"信用冻结：审核 %s" % order.name})
        self.assertEqual(check.review_activity_ids, todos)
        return order, check

    def other_todo(self, order):
        """A to-do of the same order that is not about the hold."""
        return self.env["mail.activity"].sudo().create({
            "res_model_id": self.env["ir.model"]._get("sale.order").id,
            "res_id": order.id, "user_id": self.user_controller.id,
            "summary": "Call the customer about delivery"})

    def test_english_release_closes_chinese_todos(self):
        """Released in English: the Chinese to-dos of the hold are done,
        another to-do of the order stays."""
        order, check = self.held_in_chinese()
        other = self.other_todo(order)
        self.assertEqual(self.user_controller.lang, "en_US")
        self.decide(check.with_context(lang="en_US"), self.user_controller)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.activity_ids, other)
        self.assertFalse(check.review_activity_ids)

    def test_english_reject_closes_chinese_todos(self):
        """Rejected in English: the same, the order stays a quotation."""
        order, check = self.held_in_chinese()
        self.decide(check.with_context(lang="en_US"), self.user_controller,
                    decision="reject", reason="No payment received")
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.activity_ids)
