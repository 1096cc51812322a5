"""Orders and invoices on longer payment terms than the customer's approved terms."""
from datetime import timedelta

from odoo import fields

from gate_common import GateCase


class TermsCase(GateCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term_15 = cls._term("15 Days", [(15, "balance", 0.0)])
        cls.term_20 = cls._term("20 Days", [(20, "balance", 0.0)])
        cls.term_25 = cls._term("25 Days", [(25, "balance", 0.0)])
        cls.term_30 = cls._term("Net 30", [(30, "balance", 0.0)])
        cls.term_split = cls._term("Half in 10, half in 20 days",
                                   [(10, "percent", 50.0), (20, "balance", 0.0)])
        cls.term_advance = cls._term("30% advance, balance in 30 days",
                                     [(0, "percent", 30.0), (30, "balance", 0.0)])
        cls.termed = cls._create_customer("Termed Ltd", 10000.0)
        cls.termed.property_payment_term_id = cls.term_15

    @classmethod
    def _term(cls, name, lines):
        return cls.env["account.payment.term"].create({
            "name": name,
            "line_ids": [(0, 0, {"days": days, "value": value, "value_amount": amount,
                                 "sequence": seq, "option": "day_after_invoice_date"})
                         for seq, (days, value, amount) in enumerate(lines)]})

    def order_on(self, term, partner=None, amount=1000.0):
        order = self.create_order(partner or self.termed, amount)
        order.payment_term_id = term
        order.sudo(self.user_sales).action_confirm()
        return order, self.checks(order)[-1:]


class TestOrderTerms(TermsCase):

    def test_longer_terms_are_held_with_both_terms_named(self):
        """Net 30 against approved 15 days: held, code 'terms', both terms named."""
        order, check = self.order_on(self.term_30)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.credit_state, "blocked")
        self.assertEqual(check.reason_codes, "terms")
        self.assertIn("Net 30", check.reasons)
        self.assertIn("15 Days", check.reasons)
        self.assertIn("30 days (approved 15)", check.reasons)
        self.assertEqual(check.required_authority, "controller")

    def test_controller_releases_a_terms_hold(self):
        """A controller may release longer terms (within the controllers' authority)."""
        order, check = self.order_on(self.term_30)
        self.decide(check, self.user_controller)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_state, "released")

    def test_terms_within_the_approved_pass(self):
        """The approved term, a shorter one and no term at all pass."""
        immediate = self.env.ref("account.account_payment_term_immediate")
        for term in (self.term_15, immediate, self.env["account.payment.term"]):
            order, check = self.order_on(term)
            self.assertEqual(order.state, "sale", term.name)
            self.assertEqual(check.result, "passed")

    def test_a_later_last_installment_fails(self):
        """Half due in 20 days goes past 15 days, even with a 15-day average."""
        order, check = self.order_on(self.term_split)
        self.assertEqual(check.reason_codes, "terms")
        self.assertIn("after 20 days (approved 15)", check.reasons)

    def test_a_later_average_due_date_fails(self):
        """Approved 30% advance + 30 days (average 21): Net 25 fails, 20 days passes."""
        self.termed.property_payment_term_id = self.term_advance
        order, check = self.order_on(self.term_25)
        self.assertEqual(check.reason_codes, "terms")
        self.assertIn("25.0 days (approved 21.0)", check.reasons)
        order, check = self.order_on(self.term_20)
        self.assertEqual(check.result, "passed")

    def test_grade_terms_apply_without_own_terms(self):
        """Without a payment term of its own, the grade's credit terms are approved."""
        grade_c = self.env.ref("credit_management.credit_grade_c")  # net 15
        graded = self._create_customer("Graded Ltd", 10000.0, credit_grade_id=grade_c.id)
        self.assertFalse(graded.property_payment_term_id)
        order, check = self.order_on(self.term_30, partner=graded)
        self.assertEqual(check.reason_codes, "terms")
        self.assertIn(grade_c.term_template_id.payment_term_id.name, check.reasons)
        order, check = self.order_on(self.term_15, partner=graded)
        self.assertEqual(check.result, "passed")

    def test_no_approved_terms_no_terms_rule(self):
        """A customer without approved terms (no term, no grade) is not held for terms."""
        order, check = self.order_on(self.term_30, partner=self.customer)
        self.assertEqual(order.state, "sale")
        self.assertEqual(check.result, "passed")

    def test_lengthening_a_confirmed_order_is_checked(self):
        """A confirmed order's term lengthened past the approved: refused; shortened: saved."""
        order, check = self.order_on(self.term_15)
        message = self.assert_refused(order.sudo(self.user_sales).write,
                                      {"payment_term_id": self.term_30.id})
        self.assertIn("Net 30", message)
        self.assertEqual(order.payment_term_id, self.term_15)
        held = self.checks(order)[-1]
        self.assertEqual((held.trigger, held.reason_codes), ("change", "terms"))
        immediate = self.env.ref("account.account_payment_term_immediate")
        order.sudo(self.user_sales).write({"payment_term_id": immediate.id})
        self.assertEqual(order.payment_term_id, immediate)


class TestInvoiceTerms(TermsCase):

    def invoice(self, term=None, due_days=0):
        invoice = self.create_invoice(self.termed, 1000.0, due_days=due_days,
                                      validate=False)
        if term:
            invoice.write({"payment_term_id": term.id})
        invoice.sudo(self.user_billing).action_invoice_open()
        return invoice, self.Check.search([("invoice_id", "=", invoice.id)])

    def test_block_mode_holds_an_invoice_on_longer_terms(self):
        """Block mode: an invoice on Net 30 against 15 days stays draft, code 'terms'."""
        self.policy.invoice_check_mode = "block"
        invoice, check = self.invoice(self.term_30)
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(check.reason_codes, "terms")
        self.assertEqual(check.trigger, "validation")
        self.assertTrue(check.is_held)
        self.decide(check, self.user_controller)
        self.assertEqual(invoice.state, "open")

    def test_due_date_without_term_is_compared(self):
        """Without a term the invoice's due date is compared: 30 days fails, 10 passes."""
        self.policy.invoice_check_mode = "block"
        invoice, check = self.invoice(due_days=30)
        self.assertEqual(check.reason_codes, "terms")
        due = fields.Date.to_string(self.today + timedelta(days=30))
        self.assertIn(due, check.reasons)
        invoice, check = self.invoice(due_days=10)
        self.assertEqual(invoice.state, "open")
        self.assertFalse(check)

    def test_warn_mode_validates_and_records(self):
        """Warn mode: validated, the failed terms check recorded."""
        invoice, check = self.invoice(self.term_30)
        self.assertEqual(invoice.state, "open")
        self.assertEqual((check.reason_codes, check.check_mode), ("terms", "monitor"))


class TestTermsInChinese(TermsCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from odoo.tools.translate import trans_load
        from test_i18n import PO
        cls.env["res.lang"].load_lang("zh_CN")
        trans_load(cls.env.cr, PO, "zh_CN", verbose=False, module_name="credit_management",
                   context={"overwrite": True})

    def test_terms_reason_and_refused_change_in_chinese(self):
        """A Chinese salesperson reads the terms reason and a refused change in Chinese."""
        order = self.create_order(self.termed, 1000.0)
        order.payment_term_id = self.term_30
        order.sudo(self.user_sales).with_context(lang="zh_CN").action_confirm()
        self.assertIn("付款条款 Net 30 长于客户已核准的条款 15 Days", self.checks(order).reasons)
        order, _check = self.order_on(self.term_15)
        message = self.assert_refused(
            order.order_line.sudo(self.user_sales).with_context(lang="zh_CN").write,
            {"product_uom_qty": 200.0}, expect="信用冻结：对 %s 的变更未保存" % order.name)
        self.assertIn("由谁决定：信用经理", message)  # excess 190,000
