"""Collateral and credit insurance: approval, secured credit in the check,
expiry with warning and limit review, guarantee called on a write-off."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from common import CreditCommon


def date(days):
    return fields.Date.to_string(fields.Date.from_string(
        fields.Date.today()) + timedelta(days=days))


class CollateralCommon(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.insurer = cls.env["res.partner"].create(
            {"name": "Sino Credit Insurance", "is_company": True})
        cls.policy.write({"collateral_coverage_cap": 90.0})

    def register(self, partner=None, user=None, **vals):
        values = {"partner_id": (partner or self.customer).id,
                  "collateral_type": "insurance", "issuer_id": self.insurer.id,
                  "reference": "POL-001", "amount": 10000.0,
                  "coverage_percent": 95.0,
                  "valid_from": date(-10), "valid_to": date(60)}
        values.update(vals)
        return self.env["credit.collateral"].sudo(
            user or self.user_controller).create(values)

    def activate(self, collateral):
        collateral.sudo(self.user_controller).action_submit()
        collateral.sudo(self.user_manager).action_approve()
        self.assertEqual(collateral.state, "approved")
        return collateral

    def set_valid_to(self, collateral, day):
        """Time passes for an active security (a fixture: active collateral
        is read-only)."""
        self.env.cr.execute(
            "UPDATE credit_collateral SET valid_to = %s WHERE id = %s",
            (day, collateral.id))
        collateral.invalidate_cache(["valid_to"], collateral.ids)


class TestCollateralApproval(CollateralCommon):

    def test_controller_registers_manager_approves(self):
        """A controller submits, a manager approves; the secured amount is
        insured limit x coverage, capped by the policy."""
        collateral = self.register()
        self.assertTrue(collateral.name.startswith("COL/"))
        collateral.sudo(self.user_controller).action_submit()
        self.assertEqual(collateral.state, "to_approve")
        with self.assertRaises(UserError):
            collateral.sudo(self.user_controller2).action_approve()
        collateral.sudo(self.user_manager).action_approve()
        self.assertEqual(collateral.state, "approved")
        self.assertEqual(collateral.approved_by, self.user_manager)
        # 95 % coverage counted at the policy's 90 % cap
        self.assertAlmostEqual(collateral.secured_amount, 9000.0)
        self.assertAlmostEqual(self.customer.credit_secured_amount, 9000.0)
        self.assertEqual(self.customer.credit_collateral_count, 1)

    def test_no_self_approval_and_read_only_once_active(self):
        """A manager who submitted cannot approve; active collateral cannot
        be edited; a sales user cannot register it."""
        collateral = self.register(user=self.user_manager)
        collateral.sudo(self.user_manager).action_submit()
        with self.assertRaises(UserError):
            collateral.sudo(self.user_manager).action_approve()
        collateral.sudo(self.user_manager2).action_approve()
        with self.assertRaises(UserError):
            collateral.sudo(self.user_manager).write({"amount": 99999.0})
        with self.assertRaises(UserError):
            collateral.sudo(self.user_manager).write({"state": "draft"})
        with self.assertRaises(AccessError):
            self.register(user=self.user_sales)

    def test_bad_input(self):
        with self.assertRaises(ValidationError):
            self.register(amount=-5.0)
        with self.assertRaises(ValidationError):
            self.register(coverage_percent=120.0)
        with self.assertRaises(ValidationError):
            self.register(valid_from=date(5), valid_to=date(1))
        with self.assertRaises(ValidationError):
            self.register(partner=self.customer_contact)

    def test_guarantee_counts_in_full_and_only_while_in_force(self):
        """A bank guarantee secures its amount; future or draft collateral
        secures nothing."""
        self.activate(self.register(collateral_type="bank_guarantee",
                                    amount=5000.0))
        self.register(collateral_type="cash_deposit", amount=3000.0)  # draft
        self.activate(self.register(collateral_type="cash_deposit",
                                    amount=2000.0, valid_from=date(3)))
        self.assertAlmostEqual(self.customer.credit_secured_amount, 5000.0)


class TestSecuredCheck(CollateralCommon):

    def test_insured_customer_passes_where_uninsured_fails(self):
        """Same limit, same exposure, same order: the insured customer's
        order passes (limit + secured), the uninsured one's is held."""
        insured = self._create_customer("Insured Co", 10000.0)
        uninsured = self._create_customer("Uninsured Co", 10000.0)
        self.activate(self.register(partner=insured))
        for partner in (insured, uninsured):
            self.create_invoice(partner, 8000.0, due_days=30)
        held = self.create_order(uninsured, 6000.0)
        held.sudo(self.user_sales).action_confirm()
        self.assertEqual(held.state, "draft")
        check = held.credit_check_ids
        self.assertEqual(check.reason_codes, "limit_exceeded")
        self.assertAlmostEqual(check.secured_amount, 0.0)
        passed = self.create_order(insured, 6000.0)
        passed.sudo(self.user_sales).action_confirm()
        self.assertEqual(passed.state, "sale")
        check = passed.credit_check_ids
        self.assertEqual(check.result, "passed")
        self.assertAlmostEqual(check.limit_amount, 10000.0)
        self.assertAlmostEqual(check.secured_amount, 9000.0)
        # beyond limit + secured the insured customer is held too, and told
        # both parts
        more = self.create_order(insured, 6000.0)
        more.sudo(self.user_sales).action_confirm()
        self.assertEqual(more.state, "draft")
        check = more.credit_check_ids
        self.assertAlmostEqual(check.excess_amount, 1000.0)
        self.assertIn("secured by collateral", check.reasons)

    def test_flags_filter_and_warnings_count_the_secured_credit(self):
        """The customer list and the risk warnings see what the order check
        sees: 14,000 of exposure on a 10,000 limit with 9,000 insured is
        not "Over limit" and warns of 73.7 % usage of limit + secured, not
        of an exceeded limit; without the insurance it is over."""
        insured = self._create_customer("Insured Co", 10000.0)
        self.create_invoice(insured, 14000.0, due_days=30)
        self.policy.write({"warning_usage_percent": 70.0})
        Partner = self.env["res.partner"]
        self.assertTrue(insured.credit_over_limit)
        self.assertIn(insured, Partner.search([("credit_over_limit", "=", True)]))
        self.activate(self.register(partner=insured))
        insured.invalidate_cache()
        self.assertFalse(insured.credit_over_limit)
        self.assertNotIn(insured,
                         Partner.search([("credit_over_limit", "=", True)]))
        self.env["credit.warning"]._cron_evaluate(
            company_ids=self.company.ids, partner_ids={insured.id},
            commit=False)
        warnings = self.env["credit.warning"].search(
            [("partner_id", "=", insured.id), ("state", "=", "open")])
        self.assertEqual(warnings.mapped("warning_type"), ["limit_usage"])
        self.assertAlmostEqual(warnings.value, 73.68)
        self.assertIn("secured by collateral", warnings.message)
        self.assertIn("9000.0", warnings.message)


class TestCollateralExpiry(CollateralCommon):

    def test_warning_before_expiry_then_expiry_and_review(self):
        """N days before its end a warning is raised; after its last day the
        job expires it, the secured credit is gone and a review starts."""
        self.policy.write({"collateral_notice_days": 30,
                           "warning_user_id": self.user_controller.id})
        collateral = self.activate(self.register(collateral_type="bank_guarantee",
                                                 amount=5000.0))
        Warning = self.env["credit.warning"]
        Warning._cron_evaluate(date=date(0), company_ids=self.company.ids,
                               commit=False)
        self.assertFalse(Warning.search([
            ("partner_id", "=", self.customer.id),
            ("warning_type", "=", "collateral_expiring")]))
        self.set_valid_to(collateral, date(20))
        Warning._cron_evaluate(date=date(0), company_ids=self.company.ids,
                               commit=False)
        warning = Warning.search([("partner_id", "=", self.customer.id),
                                  ("warning_type", "=", "collateral_expiring"),
                                  ("state", "=", "open")])
        self.assertEqual(len(warning), 1)
        self.assertAlmostEqual(warning.value, 20.0)
        self.assertIn("20 days", warning.message)
        self.assertIn("Collateral expiring", warning.display_name)

        self.set_valid_to(collateral, date(-1))
        expired = self.env["credit.collateral"]._cron_expire()
        self.assertEqual(expired, collateral)
        self.assertEqual(collateral.state, "expired")
        self.assertAlmostEqual(self.customer.credit_secured_amount, 0.0)
        # the limit is reviewed: review date today, an evaluation started
        self.assertEqual(self.customer.credit_review_date, date(0))
        dossier = self.env["credit.dossier"].search(
            [("partner_id", "=", self.customer.id)])
        self.assertTrue(dossier.evaluation_ids.filtered(
            lambda e: e.state == "draft"))
        # the warning clears once nothing is about to expire
        Warning._cron_evaluate(date=date(0), company_ids=self.company.ids,
                               commit=False)
        self.assertEqual(warning.state, "done")
        # a second run expires nothing more
        self.assertFalse(self.env["credit.collateral"]._cron_expire())

    def test_release_ends_the_security(self):
        collateral = self.activate(self.register(collateral_type="cash_deposit",
                                                 amount=4000.0))
        with self.assertRaises(UserError):
            collateral.sudo(self.user_controller).action_release()
        collateral.sudo(self.user_manager).action_release()
        self.assertEqual(collateral.state, "released")
        self.assertAlmostEqual(self.customer.credit_secured_amount, 0.0)


class TestCollateralCalled(CollateralCommon):

    def test_write_off_records_the_claim(self):
        """Writing off bad debt calls the chosen guarantee: the write-off
        shows the claim, the collateral is called and secures no more."""
        collateral = self.activate(self.register())
        invoice = self.create_invoice(self.customer, 12000.0, days_ago=200,
                                      due_days=30)
        wizard = self.env["credit.bad.debt.write.off"].sudo(
            self.user_manager).create({
                "partner_id": self.customer.id,
                "invoice_ids": [(6, 0, invoice.ids)],
                "account_id": self.expense_account.id,
                "journal_id": self.misc_journal.id,
                "reason": "Customer insolvent",
                "collateral_ids": [(6, 0, collateral.ids)]})
        action = wizard.action_apply()
        record = self.env["credit.bad.debt"].browse(action["res_id"])
        self.assertEqual(collateral.state, "called")
        self.assertEqual(collateral.bad_debt_id, record)
        self.assertAlmostEqual(collateral.claim_amount, 9000.0)
        self.assertEqual(record.collateral_ids, collateral)
        self.assertAlmostEqual(record.claim_amount, 9000.0)
        self.assertAlmostEqual(self.customer.credit_secured_amount, 0.0)


class TestCollateralOnReports(CollateralCommon):

    def test_credit_report_shows_secured_credit(self):
        """The customer's credit report shows the secured credit beside the
        limit."""
        from common import render_report_html
        self.activate(self.register())
        html = render_report_html(
            self.env, "credit_management.credit_report_partner_action",
            self.customer.ids)
        self.assertIn(b"Secured by Collateral", html)
        self.assertIn(b"9,000.00", html)


class TestCollateralRejected(CollateralCommon):

    def test_manager_rejects_with_the_reason_dialog(self):
        collateral = self.register()
        collateral.sudo(self.user_controller).action_submit()
        action = collateral.sudo(self.user_manager).action_reject()
        self.assertEqual(action["res_model"], "credit.approval.reject")
        self.env["credit.approval.reject"].sudo(self.user_manager).create({
            "res_model": "credit.collateral", "res_id": collateral.id,
            "reason": "Issuer not accepted"}).action_apply()
        self.assertEqual(collateral.state, "rejected")
        self.assertEqual(collateral.reject_reason, "Issuer not accepted")
        self.assertAlmostEqual(self.customer.credit_secured_amount, 0.0)
