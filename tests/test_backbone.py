"""Backbone: groups and access, policy, grades, term templates, partner fields."""

from odoo.exceptions import AccessError, ValidationError
from psycopg2 import IntegrityError

from common import CreditCommon
from odoo.tools import mute_logger


class TestGroups(CreditCommon):

    def test_group_hierarchy(self):
        """manager implies controller implies user; salespeople are credit users."""
        self.assertTrue(self.user_manager.has_group("credit_management.group_credit_controller"))
        self.assertTrue(self.user_manager.has_group("credit_management.group_credit_user"))
        self.assertTrue(self.user_controller.has_group("credit_management.group_credit_user"))
        self.assertFalse(self.user_controller.has_group("credit_management.group_credit_manager"))
        self.assertFalse(self.user_sales.has_group("credit_management.group_credit_controller"))
        plain_sales = self._create_user("plain_sales", "Plain Sales",
                                        ["sales_team.group_sale_salesman"])
        self.assertTrue(plain_sales.has_group("credit_management.group_credit_user"))


class TestConfigurationRights(CreditCommon):

    def test_sales_user_reads_but_cannot_edit_policy_grades_terms(self):
        """A salesperson reads grades and terms but cannot change them or the policy."""
        grade = self.grade_a.sudo(self.user_sales)
        self.assertEqual(grade.code, "A")
        with self.assertRaises(AccessError):
            grade.write({"limit_cap": 1.0})
        template = self.grade_a.term_template_id.sudo(self.user_sales)
        with self.assertRaises(AccessError):
            template.write({"net_days": 90})
        with self.assertRaises(AccessError):
            self.policy.sudo(self.user_sales).write({"check_mode": "monitor"})
        with self.assertRaises(AccessError):
            self.env["credit.grade"].sudo(self.user_sales).create(
                {"code": "X", "name": "X", "min_score": 1})

    def test_controller_cannot_edit_policy_manager_can(self):
        """Policy changes belong to the general manager."""
        with self.assertRaises(AccessError):
            self.policy.sudo(self.user_controller).write({"overdue_grace_days": 5})
        self.policy.sudo(self.user_manager).write({"overdue_grace_days": 5})
        self.assertEqual(self.policy.overdue_grace_days, 5)

    def test_sales_user_cannot_change_limit_or_grade(self):
        """Limits and grades change through approvals, not by a salesperson's write."""
        customer = self.customer.sudo(self.user_sales)
        with self.assertRaises(AccessError):
            customer.write({"credit_limit": 99999.0})
        with self.assertRaises(AccessError):
            customer.write({"credit_grade_id": self.grade_a.id})
        with self.assertRaises(AccessError):
            customer.write({"credit_hold": True})
        # an unrelated change and an unchanged value still pass
        customer.write({"phone": "+86 21 5555 0000", "credit_limit": 10000.0})
        self.assertEqual(self.customer.credit_limit, 10000.0)

    def test_manager_changes_limit_controller_changes_hold(self):
        """Managers set limits; controllers may put a customer on hold."""
        self.customer.sudo(self.user_controller).write({"credit_hold": True})
        self.assertTrue(self.customer.credit_hold)
        with self.assertRaises(AccessError):
            self.customer.sudo(self.user_controller).write({"credit_limit": 1.0})
        self.customer.sudo(self.user_manager).write({"credit_limit": 20000.0})
        self.assertEqual(self.customer.credit_limit, 20000.0)


class TestPolicy(CreditCommon):

    def test_company_has_one_policy(self):
        """Each company has its policy; a second one for it is refused."""
        self.assertTrue(self.policy)
        self.assertEqual(self.policy.company_id, self.company)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env["credit.policy"].create({"company_id": self.company.id})

    def test_new_company_gets_default_policy(self):
        """A company created later gets a monitor-only policy of its own."""
        company = self.env["res.company"].create({"name": "Credit Sister Co"})
        self.assertTrue(company.credit_policy_id)
        self.assertEqual(company.credit_policy_id.check_mode, "monitor")
        self.assertNotEqual(company.credit_policy_id, self.policy)

    def test_version_rises_with_each_change(self):
        """Every change makes a new version that checks can record."""
        version = self.policy.version
        self.policy.write({"limit_tolerance_percent": 5.0})
        self.assertEqual(self.policy.version, version + 1)
        self.policy.write({"overdue_grace_days": 7, "check_mode": "monitor"})
        self.assertEqual(self.policy.version, version + 2)

    def test_bad_policy_values_refused(self):
        """Negative or out-of-range values give a clear error and change nothing."""
        for vals in ({"limit_tolerance_percent": -1}, {"limit_tolerance_percent": 100},
                     {"overdue_grace_days": -3}, {"controller_release_excess": -1}):
            with self.assertRaises(ValidationError):
                with self.env.cr.savepoint():
                    self.policy.write(vals)
        self.assertEqual(self.policy.limit_tolerance_percent, 0.0)
        self.assertEqual(self.policy.overdue_grace_days, 0)

    def test_policy_cannot_be_deleted(self):
        """Checks refer to the policy; it is changed, never deleted."""
        with self.assertRaises(ValidationError):
            self.policy.unlink()

    def test_policy_changes_tracked(self):
        """The chatter records who changed what."""
        policy = self.policy.with_context(tracking_disable=False, mail_notrack=False)
        before = len(policy.message_ids)
        policy.write({"overdue_grace_days": 12})
        self.assertGreater(len(policy.message_ids), before)
        values = policy.message_ids[0].tracking_value_ids
        self.assertIn("overdue_grace_days", values.mapped("field"))


class TestGradesAndTerms(CreditCommon):

    def test_default_grades(self):
        """AAA to D ship as data; D allows no credit."""
        codes = self.env["credit.grade"].search([]).mapped("code")
        for code in ("AAA", "AA", "A", "B", "C", "D"):
            self.assertIn(code, codes)
        self.assertFalse(self.grade_d.allow_credit)
        self.assertTrue(self.grade_a.allow_credit)
        self.assertTrue(self.grade_a.term_template_id.payment_term_id)

    def test_grade_for_score(self):
        """The grade table turns a score into a grade."""
        Grade = self.env["credit.grade"]
        self.assertEqual(Grade._grade_for_score(95).code, "AAA")
        self.assertEqual(Grade._grade_for_score(72.5).code, "A")
        self.assertEqual(Grade._grade_for_score(10).code, "D")

    def test_bad_grade_values(self):
        """Scores outside 0-100 or a negative cap are refused."""
        with self.assertRaises(ValidationError):
            self.env["credit.grade"].create({"code": "Z", "name": "Z", "min_score": 120})
        with self.assertRaises(ValidationError):
            self.env["credit.grade"].create(
                {"code": "Z", "name": "Z", "min_score": 10, "limit_cap": -5})

    def test_template_creates_payment_term_with_due_dates(self):
        """A template makes an Odoo payment term whose due date is net days out."""
        template = self.env["credit.term.template"].create({
            "name": "2/10 Net 30 test", "discount_percent": 2, "discount_days": 10,
            "net_days": 30, "overdue_interest_rate": 12})
        term = template.payment_term_id
        self.assertTrue(term)
        self.assertEqual(template.label, "2/10 net 30")
        self.assertIn("10", term.note)
        result = term.compute(1000.0, "2026-01-15")[0]
        self.assertEqual(result, [("2026-02-14", 1000.0)])

    def test_template_change_syncs_payment_term(self):
        """Changing net days moves the payment term's due date."""
        template = self.env["credit.term.template"].create(
            {"name": "Net 30 test", "net_days": 30})
        template.write({"net_days": 45, "name": "Net 45 test"})
        term = template.payment_term_id
        self.assertEqual(term.name, "Net 45 test")
        self.assertEqual(term.compute(500.0, "2026-03-01")[0], [("2026-04-15", 500.0)])

    def test_invoice_due_date_follows_template(self):
        """An invoice with the template's term falls due net days after its date."""
        template = self.env.ref("credit_management.credit_term_net_15")
        invoice = self.env["account.invoice"].create({
            "partner_id": self.customer.id, "account_id": self.receivable_account.id,
            "journal_id": self.sale_journal.id, "date_invoice": "2026-05-01",
            "payment_term_id": template.payment_term_id.id,
            "invoice_line_ids": [(0, 0, {
                "name": "x", "quantity": 1, "price_unit": 10,
                "account_id": self.income_account.id})]})
        invoice.action_invoice_open()
        self.assertEqual(invoice.date_due, "2026-05-16")

    def test_template_validation(self):
        """Percentages in [0, 100), discount days <= net days, net days >= 0."""
        Template = self.env["credit.term.template"]
        for vals in ({"discount_percent": 100, "discount_days": 5, "net_days": 30},
                     {"discount_percent": -1, "discount_days": 5, "net_days": 30},
                     {"discount_percent": 2, "discount_days": 40, "net_days": 30},
                     {"net_days": -1},
                     {"net_days": 30, "overdue_interest_rate": 150}):
            with self.assertRaises(ValidationError):
                with self.env.cr.savepoint():
                    Template.create(dict(vals, name="bad"))
        self.assertFalse(Template.search([("name", "=", "bad")]))

    def test_apply_grade_terms(self):
        """A partner's payment term follows its grade's credit terms."""
        self.customer.credit_grade_id = self.grade_a
        self.customer._credit_apply_grade_terms()
        self.assertEqual(self.customer.property_payment_term_id,
                         self.grade_a.term_template_id.payment_term_id)


class TestPartnerExposure(CreditCommon):

    def test_exposure_sources_and_overdue(self):
        """Open, overdue, draft invoices and uninvoiced orders add up per policy."""
        # confirmed while the customer is within credit: the check passes
        order = self.create_order(self.customer, 300.0)
        order.sudo(self.user_sales).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_state, "passed")
        self.create_invoice(self.customer, 1000.0, days_ago=40, due_days=30)  # 10 days overdue
        self.create_invoice(self.customer, 500.0, days_ago=5, due_days=30)
        self.create_invoice(self.customer, 200.0, validate=False)
        self.customer.invalidate_cache()
        partner = self.customer_contact  # a contact shows its company's figures
        self.assertAlmostEqual(partner.credit_receivable, 1500.0)
        self.assertAlmostEqual(partner.credit_draft_invoiced, 200.0)
        self.assertAlmostEqual(partner.credit_uninvoiced, 300.0)
        self.assertAlmostEqual(partner.credit_exposure, 2000.0)
        self.assertAlmostEqual(partner.credit_available, 8000.0)
        self.assertAlmostEqual(partner.credit_overdue_amount, 1000.0)
        self.assertEqual(partner.credit_overdue_days, 10)
        self.policy.write({"include_draft_invoices": False,
                           "include_uninvoiced_orders": False})
        self.customer.invalidate_cache()
        self.assertAlmostEqual(self.customer.credit_exposure, 1500.0)

    def test_payments_and_credit_notes_reduce_exposure(self):
        """Partial payments and credit notes lower open and overdue amounts."""
        invoice = self.create_invoice(self.customer, 1000.0, days_ago=60, due_days=30)
        self.pay_invoice(invoice, 400.0)
        self.create_invoice(self.customer, 100.0, refund=True)
        self.customer.invalidate_cache()
        self.assertAlmostEqual(self.customer.credit_receivable, 500.0)
        self.assertAlmostEqual(self.customer.credit_overdue_amount, 600.0)
        self.assertEqual(self.customer.credit_overdue_days, 30)


class TestMultiCompany(CreditCommon):

    def test_users_see_only_their_companies_policy_and_terms(self):
        """A manager of company B neither reads nor edits company A's policy or terms."""
        company_b = self.env["res.company"].create({"name": "Credit Company B"})
        manager_b = self._create_user("credit_manager_b", "Bea Manager", [
            "credit_management.group_credit_manager"], company=company_b)
        Policy = self.env["credit.policy"].sudo(manager_b)
        self.assertEqual(Policy.search([]), company_b.credit_policy_id)
        with self.assertRaises(AccessError):
            self.policy.sudo(manager_b).write({"overdue_grace_days": 99})
        template_a = self.env.ref("credit_management.credit_term_net_30")
        self.assertNotIn(template_a, self.env["credit.term.template"].sudo(manager_b).search([]))
        # grades without a company are shared
        self.assertIn(self.grade_a, self.env["credit.grade"].sudo(manager_b).search([]))
