"""Credit agreements (信用合同): approval, signature, expiry and renewal
warning, the gate's `agreement` reason, the printed agreement."""
import base64
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError

from common import CreditCommon, render_report_html


def date(days):
    return fields.Date.to_string(fields.Date.from_string(
        fields.Date.today()) + timedelta(days=days))


class AgreementCommon(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.terms = cls.env["credit.term.template"].create({
            "name": "2/10 net 30", "discount_percent": 2.0,
            "discount_days": 10, "net_days": 30,
            "overdue_interest_rate": 18.0})

    def prepare(self, partner=None, user=None, **vals):
        values = {"partner_id": (partner or self.customer).id,
                  "valid_from": date(-5), "valid_to": date(360),
                  "approved_limit": 10000.0,
                  "term_template_id": self.terms.id,
                  "penalty_interest_rate": 12.0,
                  "special_clauses": "Deliveries stop at 60 days overdue."}
        values.update(vals)
        return self.env["credit.agreement"].sudo(
            user or self.user_controller).create(values)

    def make_active(self, agreement):
        agreement.sudo(self.user_controller).action_submit()
        agreement.sudo(self.user_manager).action_approve()
        self.assertEqual(agreement.state, "approved")
        agreement.sudo(self.user_controller).write({
            "date_signed": date(-1),
            "signed_copy": base64.b64encode(b"%PDF-1.4 signed"),
            "signed_copy_name": "signed.pdf"})
        agreement.sudo(self.user_controller).action_activate()
        self.assertEqual(agreement.state, "active")
        return agreement


class TestAgreementWorkflow(AgreementCommon):

    def test_approve_sign_activate(self):
        agreement = self.prepare()
        self.assertTrue(agreement.name.startswith("CA/"))
        agreement.sudo(self.user_controller).action_submit()
        with self.assertRaises(UserError):  # submitter's colleague, no manager
            agreement.sudo(self.user_controller2).action_approve()
        agreement.sudo(self.user_manager).action_approve()
        # not active before it is signed
        with self.assertRaises(UserError):
            agreement.sudo(self.user_controller).action_activate()
        # approved terms are locked; the signature can still be added
        with self.assertRaises(UserError):
            agreement.sudo(self.user_controller).write({"approved_limit": 1.0})
        self.make_active(self.prepare())
        self.assertEqual(self.customer.credit_agreement_id.state, "active")

    def test_no_self_approval(self):
        agreement = self.prepare(user=self.user_manager)
        agreement.sudo(self.user_manager).action_submit()
        with self.assertRaises(UserError):
            agreement.sudo(self.user_manager).action_approve()
        agreement.sudo(self.user_manager2).action_approve()
        self.assertEqual(agreement.state, "approved")

    def test_bad_input(self):
        with self.assertRaises(ValidationError):
            self.prepare(valid_from=date(10), valid_to=date(1))
        with self.assertRaises(ValidationError):
            self.prepare(penalty_interest_rate=150.0)

    def test_terminate_needs_manager_and_reason(self):
        agreement = self.make_active(self.prepare())
        with self.assertRaises(UserError):
            agreement.sudo(self.user_controller).action_terminate("Default")
        with self.assertRaises(UserError):
            agreement.sudo(self.user_manager).action_terminate("  ")
        agreement.sudo(self.user_manager).action_terminate("Repeated default")
        self.assertEqual(agreement.state, "terminated")
        self.assertEqual(agreement.terminate_reason, "Repeated default")

    def test_renewal_warning_and_expiry(self):
        self.policy.write({"agreement_notice_days": 60,
                           "warning_user_id": self.user_controller.id})
        agreement = self.make_active(self.prepare())
        Warning = self.env["credit.warning"]
        Warning._cron_evaluate(date=date(0), company_ids=self.company.ids,
                               commit=False)
        domain = [("partner_id", "=", self.customer.id),
                  ("warning_type", "=", "agreement_expiring"),
                  ("state", "=", "open")]
        self.assertFalse(Warning.search(domain))
        # 45 days before its end
        Warning._cron_evaluate(date=date(315), company_ids=self.company.ids,
                               commit=False)
        warning = Warning.search(domain)
        self.assertEqual(len(warning), 1)
        self.assertIn("45 days", warning.message)
        # after its last day it expires
        self.assertEqual(self.env["credit.agreement"]._cron_expire(date(361)),
                         agreement)
        self.assertEqual(agreement.state, "expired")

    def test_printed_agreement_in_english_and_chinese(self):
        from odoo.tools.translate import trans_load
        from test_i18n import PO
        agreement = self.make_active(self.prepare())
        html = render_report_html(
            self.env, "credit_management.credit_agreement_report",
            agreement.ids).decode()
        self.assertIn(agreement.name, html)
        self.assertIn("Credit Agreement", html)
        self.assertIn("12 % per year", html)
        self.assertIn("within 10 days", html)
        self.env["res.lang"].load_lang("zh_CN")
        trans_load(self.env.cr, PO, "zh_CN", verbose=False,
                   module_name="credit_management",
                   context={"overwrite": True})
        self.customer.lang = "zh_CN"
        html = render_report_html(
            self.env, "credit_management.credit_agreement_report",
            agreement.ids).decode()
        self.assertIn("信用合同", html)
        self.assertIn("违约", html)


class TestAgreementGate(AgreementCommon):

    def setUp(self):
        super().setUp()
        self.grade_a.agreement_required = True
        self.customer.credit_grade_id = self.grade_a

    def test_required_and_missing_holds_with_reason_agreement(self):
        order = self.create_order(self.customer, 1000.0)
        order.sudo(self.user_sales).action_confirm()
        self.assertEqual(order.state, "draft")
        check = order.credit_check_ids
        self.assertEqual(check.reason_codes, "agreement")
        self.assertIn("requires an active credit agreement", check.reasons)

    def test_draft_or_approved_agreement_is_not_enough(self):
        agreement = self.prepare()
        agreement.sudo(self.user_controller).action_submit()
        agreement.sudo(self.user_manager).action_approve()
        order = self.create_order(self.customer, 1000.0)
        order.sudo(self.user_sales).action_confirm()
        self.assertEqual(order.credit_check_ids.reason_codes, "agreement")

    def test_active_agreement_passes(self):
        self.make_active(self.prepare())
        order = self.create_order(self.customer, 1000.0)
        order.sudo(self.user_sales).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_check_ids.result, "passed")

    def test_grade_without_requirement_passes(self):
        self.grade_a.agreement_required = False
        order = self.create_order(self.customer, 1000.0)
        order.sudo(self.user_sales).action_confirm()
        self.assertEqual(order.state, "sale")
