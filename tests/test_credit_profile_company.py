"""A credit profile per company: limit, grade, hold, cap, review date and terms.

Company A approved 10,000 for the customer, company B 50,000. Approvals,
checks, requests, evaluations, warnings, filters, dossiers, reports and the
history of one company never read or change the other's, whether the user
works in a company (switching company) or names it (``force_company``, as
RPC calls do).
"""
import importlib.util
import os
from datetime import timedelta

from odoo import api, fields
from odoo.exceptions import AccessError, ValidationError

from common import CreditCommon, render_xlsx, xlsx_table
from odoo.addons.credit_management.models.credit_profile import (
    copy_columns_to_properties)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class ProfileCommon(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({
            "name": "Credit B Corp", "currency_id": cls.currency.id})
        cls.policy_b = cls.company_b.credit_policy_id
        cls.policy_b.write({
            "check_mode": "block", "limit_tolerance_percent": 0.0,
            "overdue_grace_days": 0, "controller_limit_authority": 60000.0,
            "controller_release_excess": 10000.0,
            "controller_release_overdue_days": 30})
        Account = cls.env["account.account"]
        cls.receivable_b = Account.create({
            "code": "CMB1100", "name": "B Receivable", "reconcile": True,
            "user_type_id": cls.env.ref(
                "account.data_account_type_receivable").id,
            "company_id": cls.company_b.id})
        cls.income_b = Account.create({
            "code": "CMB4000", "name": "B Sales",
            "user_type_id": cls.env.ref("account.data_account_type_revenue").id,
            "company_id": cls.company_b.id})
        cls.journal_b = cls.env["account.journal"].create({
            "name": "B Misc", "code": "CMBM", "type": "general",
            "company_id": cls.company_b.id})
        # everyone of the credit team and sales works in both companies,
        # except the second manager (company A only)
        for user in (cls.user_sales, cls.user_controller, cls.user_controller2,
                     cls.user_manager):
            user.write({"company_ids": [(4, cls.company_b.id)]})
        cls.customer.with_context(force_company=cls.company_b.id).write({
            "credit_limit": 50000.0,
            "property_account_receivable_id": cls.receivable_b.id})

    # ------------------------------------------------------------------
    def in_b(self, record):
        return record.with_context(force_company=self.company_b.id)

    def in_a(self, record):
        return record.with_context(force_company=self.company.id)

    def switch(self, user, company):
        """The user switches the company they work in (the top bar)."""
        user.sudo(user).write({"company_id": company.id})
        self.env.cache.invalidate()

    def dossier(self, company):
        return self.env["credit.dossier"].search([
            ("partner_id", "=", self.customer.id),
            ("company_id", "=", company.id)])

    def post_receivable(self, company, partner, amount, days_ago=0,
                        due_days=30):
        """A posted receivable of ``amount`` in company B (a journal entry:
        B has no sales journal)."""
        assert company == self.company_b
        date = self.today - timedelta(days=days_ago)
        move = self.env["account.move"].create({
            "journal_id": self.journal_b.id, "company_id": company.id,
            "date": fields.Date.to_string(date),
            "line_ids": [
                (0, 0, {"name": "B invoice", "account_id": self.receivable_b.id,
                        "partner_id": partner.id, "debit": amount,
                        "date_maturity": fields.Date.to_string(
                            date + timedelta(days=due_days))}),
                (0, 0, {"name": "B sale", "account_id": self.income_b.id,
                        "credit": amount})]})
        move.post()
        return move

    def order_in(self, company, amount):
        vals = {
            "partner_id": self.customer.id, "user_id": self.user_sales.id,
            "company_id": company.id,
            "order_line": [(0, 0, {
                "product_id": self.product.id, "name": self.product.name,
                "product_uom_qty": 1, "price_unit": amount,
                "tax_id": [(6, 0, [])]})]}
        if "warehouse_id" in self.env["sale.order"]._fields:  # with deliveries
            vals["warehouse_id"] = self.env["stock.warehouse"].search(
                [("company_id", "=", company.id)], limit=1).id
        return self.env["sale.order"].create(vals)


class TestProfilePerCompany(ProfileCommon):

    def test_each_company_keeps_its_own_limit_and_history(self):
        """A manager changing A's limit leaves B's, and each history says it."""
        self.assertAlmostEqual(self.in_a(self.customer).credit_limit, 10000.0)
        self.assertAlmostEqual(self.in_b(self.customer).credit_limit, 50000.0)
        before_b = self.dossier(self.company_b).history_ids
        self.customer.sudo(self.user_manager).write({"credit_limit": 12000.0})
        self.assertAlmostEqual(self.in_a(self.customer).credit_limit, 12000.0)
        self.assertAlmostEqual(self.in_b(self.customer).credit_limit, 50000.0)
        self.switch(self.user_manager, self.company_b)
        self.customer.sudo(self.user_manager).write({"credit_limit": 60000.0})
        self.assertAlmostEqual(self.in_a(self.customer).credit_limit, 12000.0)
        self.assertAlmostEqual(self.in_b(self.customer).credit_limit, 60000.0)
        line_a = self.dossier(self.company).history_ids
        line_b = self.dossier(self.company_b).history_ids - before_b
        self.assertEqual(len(line_a), 1)
        self.assertEqual((line_a.old_limit, line_a.new_limit), (10000.0, 12000.0))
        self.assertEqual(len(line_b), 1)
        self.assertEqual((line_b.old_limit, line_b.new_limit), (50000.0, 60000.0))
        self.assertEqual(line_b.user_id, self.user_manager)

    def test_user_switching_company_sees_that_company(self):
        """The customer form shows the profile of the company the user works in."""
        self.in_b(self.customer).write({
            "credit_grade_id": self.grade_a.id, "credit_hold": True,
            "credit_hold_reason": "B dispute", "credit_order_cap": 3000.0,
            "credit_review_date": fields.Date.to_string(self.today)})
        as_controller = self.customer.sudo(self.user_controller)
        self.assertAlmostEqual(as_controller.credit_limit, 10000.0)
        self.assertFalse(as_controller.credit_grade_id)
        self.assertFalse(as_controller.credit_hold)
        self.assertFalse(as_controller.credit_order_cap)
        self.assertFalse(as_controller.credit_review_date)
        self.switch(self.user_controller, self.company_b)
        as_controller = self.customer.sudo(self.user_controller)
        self.assertAlmostEqual(as_controller.credit_limit, 50000.0)
        self.assertEqual(as_controller.credit_grade_id, self.grade_a)
        self.assertTrue(as_controller.credit_hold)
        self.assertEqual(as_controller.credit_hold_reason, "B dispute")
        self.assertAlmostEqual(as_controller.credit_order_cap, 3000.0)
        self.assertEqual(as_controller.credit_review_date,
                         fields.Date.to_string(self.today))

    def test_rpc_force_company_reads_and_writes_that_company(self):
        """read/write over RPC with force_company work on that company's
        profile even while the user works in the other one (one row each)."""
        Partner = self.env(user=self.user_manager.id)["res.partner"]

        def in_b():
            return {"context": {"force_company": self.company_b.id}}

        api.call_kw(Partner, "write", [
            self.customer.ids, {"credit_limit": 70000.0,
                                "credit_grade_id": self.grade_a.id}], in_b())
        rows = api.call_kw(Partner, "read", [
            self.customer.ids, ["credit_limit", "credit_grade_id"]], in_b())
        self.assertAlmostEqual(rows[0]["credit_limit"], 70000.0)
        self.assertEqual(rows[0]["credit_grade_id"][0], self.grade_a.id)
        self.assertAlmostEqual(self.in_a(self.customer).credit_limit, 10000.0)
        self.assertFalse(self.in_a(self.customer).credit_grade_id)
        props = self.env["ir.property"].sudo().search([
            ("name", "=", "credit_limit"),
            ("res_id", "=", "res.partner,%d" % self.customer.id)])
        self.assertEqual(sorted(props.mapped("company_id").ids),
                         sorted((self.company | self.company_b).ids))
        # found by company too
        found = api.call_kw(Partner, "search", [
            [("credit_grade_id", "=", self.grade_a.id)]], in_b())
        self.assertIn(self.customer.id, found)
        self.assertNotIn(self.customer.id, api.call_kw(
            Partner, "search", [[("credit_grade_id", "=", self.grade_a.id)]],
            {"context": {"force_company": self.company.id}}))

    def test_company_the_user_is_not_in_is_refused(self):
        """A manager of company A only cannot write B's profile by naming it,
        and nothing is written before the refusal (not even in the
        transaction the error rolls back)."""
        def b_rows():
            self.env.cr.execute("""
                SELECT count(*) FROM ir_property
                 WHERE name = 'credit_limit' AND company_id = %s
                   AND res_id = %s""", (self.company_b.id,
                                        "res.partner,%d" % self.customer.id))
            return self.env.cr.fetchone()[0]
        self.assertEqual(b_rows(), 1)
        with self.assertRaisesRegex(AccessError, "company you do not work in"):
            self.in_b(self.customer).sudo(self.user_manager2).write(
                {"credit_limit": 1.0})
        self.assertEqual(b_rows(), 1)
        self.assertAlmostEqual(self.in_b(self.customer).credit_limit, 50000.0)

    def test_company_default_applies_without_own_value(self):
        """A company default (ir.property without customer) applies to the
        customers without a value of their own, in that company only."""
        field = self.env["ir.model.fields"].search([
            ("model", "=", "res.partner"), ("name", "=", "credit_order_cap")])
        self.env["ir.property"].create({
            "name": "credit_order_cap", "fields_id": field.id,
            "company_id": self.company_b.id, "type": "float",
            "value_float": 2500.0})
        other = self._create_customer("Omega Ltd", 1000.0)
        self.assertAlmostEqual(self.in_b(other).credit_order_cap, 2500.0)
        self.assertAlmostEqual(self.in_a(other).credit_order_cap, 0.0)
        self.env.cr.execute(
            "SELECT credit_order_cap FROM credit_partner_profile(%s) "
            "WHERE partner_id = %s", (self.company_b.id, other.id))
        self.assertAlmostEqual(self.env.cr.fetchone()[0], 2500.0)


class TestChecksPerCompany(ProfileCommon):

    def test_order_check_uses_the_order_company_profile(self):
        """20,000 is beyond A's 10,000 but within B's 50,000."""
        order_a = self.order_in(self.company, 20000.0)
        order_a.sudo(self.user_sales).action_confirm()
        self.assertEqual(order_a.credit_state, "blocked")
        self.assertAlmostEqual(order_a.credit_check_ids.limit_amount, 10000.0)
        self.switch(self.user_sales, self.company_b)
        order_b = self.order_in(self.company_b, 20000.0)
        order_b.sudo(self.user_sales).action_confirm()
        self.assertEqual(order_b.credit_state, "passed")
        self.assertEqual(order_b.state, "sale")
        check = order_b.sudo().credit_check_ids
        self.assertEqual(check.company_id, self.company_b)
        self.assertAlmostEqual(check.limit_amount, 50000.0)

    def test_hold_and_cap_hold_in_their_company_only(self):
        """A hold in B and a cap in A stop orders of that company only."""
        self.in_b(self.customer).write({"credit_hold": True,
                                        "credit_hold_reason": "B dispute"})
        self.in_a(self.customer).write({"credit_order_cap": 500.0})
        order_a = self.order_in(self.company, 400.0)
        order_a.sudo(self.user_sales).action_confirm()
        self.assertEqual(order_a.credit_state, "passed")
        self.switch(self.user_sales, self.company_b)
        order_b = self.order_in(self.company_b, 900.0)
        order_b.sudo(self.user_sales).action_confirm()
        check = order_b.sudo().credit_check_ids
        self.assertEqual(order_b.credit_state, "blocked")
        self.assertEqual(check.reason_code_list(), ("on_hold",))
        self.assertIn("B dispute", check.reasons)

    def test_limit_request_changes_its_company_only(self):
        """A request approved in B sets B's limit; A's limit and history stay."""
        for user in (self.user_sales, self.user_controller):
            self.switch(user, self.company_b)
        req = self.env["credit.limit.request"].sudo(self.user_sales).create({
            "partner_id": self.customer.id, "requested_limit": 40000.0,
            "reason": "B season"})
        self.assertEqual(req.company_id, self.company_b)
        self.assertAlmostEqual(req.current_limit, 50000.0)
        req.action_submit()
        req.sudo(self.user_controller).action_approve()
        self.assertEqual(req.state, "approved")
        self.assertAlmostEqual(self.in_b(self.customer).credit_limit, 40000.0)
        self.assertAlmostEqual(self.in_a(self.customer).credit_limit, 10000.0)
        line = self.dossier(self.company_b).history_ids[0]
        self.assertEqual(line.change_type, "limit_request")
        self.assertEqual(line.origin, req)
        self.assertEqual(line.user_id, self.user_controller)
        self.assertFalse(self.dossier(self.company).history_ids)

    def test_temporary_limit_expires_in_its_company(self):
        """A temporary limit of B goes back to B's previous limit at expiry,
        whatever A's limit is."""
        for user in (self.user_sales, self.user_controller):
            self.switch(user, self.company_b)
        req = self.env["credit.limit.request"].sudo(self.user_sales).create({
            "partner_id": self.customer.id, "requested_limit": 55000.0,
            "request_type": "temporary", "reason": "B fair",
            "expiry_date": fields.Date.to_string(self.today + timedelta(days=3))})
        req.action_submit()
        req.sudo(self.user_controller).action_approve()
        self.assertAlmostEqual(self.in_b(self.customer).credit_limit, 55000.0)
        self.in_a(self.customer).write({"credit_limit": 55000.0})
        self.env.cr.execute(
            "UPDATE credit_limit_request SET expiry_date = %s WHERE id = %s",
            (fields.Date.to_string(self.today - timedelta(days=1)), req.id))
        req.invalidate_cache()
        self.assertEqual(
            self.env["credit.limit.request"]._cron_expire_temporary_limits(), req)
        self.assertAlmostEqual(self.in_b(self.customer).credit_limit, 50000.0)
        self.assertAlmostEqual(self.in_a(self.customer).credit_limit, 55000.0)
        self.assertEqual(self.dossier(self.company_b).history_ids[0].change_type,
                         "limit_expiry")

    def test_evaluation_sets_its_company_profile(self):
        """An evaluation approved in B sets B's grade, limit, terms and review."""
        for user in (self.user_controller, self.user_manager):
            self.switch(user, self.company_b)
        term_a = self.env.ref("account.account_payment_term_immediate")
        self.in_a(self.customer).write({"property_payment_term_id": term_a.id})
        dossier = self.env["credit.dossier"]._get_or_create(
            self.customer, self.company_b)
        evaluation = self.env["credit.evaluation"].sudo(
            self.user_controller).create({"dossier_id": dossier.id})
        self.assertAlmostEqual(evaluation.previous_limit, 50000.0)
        evaluation.write({"final_grade_id": self.grade_a.id,
                          "final_term_template_id":
                              self.grade_a.term_template_id.id,
                          "final_limit": 45000.0,
                          "override_reason": "B committee"})
        evaluation.action_submit()
        evaluation.sudo(self.user_manager).action_approve()
        self.assertEqual(evaluation.state, "approved")
        partner_b, partner_a = self.in_b(self.customer), self.in_a(self.customer)
        self.assertEqual(partner_b.credit_grade_id, self.grade_a)
        self.assertAlmostEqual(partner_b.credit_limit, 45000.0)
        self.assertEqual(partner_b.credit_review_date, evaluation.next_review_date)
        self.assertEqual(partner_b.property_payment_term_id,
                         self.grade_a.term_template_id.payment_term_id)
        self.assertFalse(partner_a.credit_grade_id)
        self.assertAlmostEqual(partner_a.credit_limit, 10000.0)
        self.assertFalse(partner_a.credit_review_date)
        self.assertEqual(partner_a.property_payment_term_id, term_a)
        self.assertEqual(dossier.credit_grade_id, self.grade_a)
        self.assertAlmostEqual(dossier.credit_limit, 45000.0)
        self.assertEqual(dossier.review_date, evaluation.next_review_date)
        line = dossier.history_ids[0]
        self.assertEqual(line.change_type, "evaluation")
        self.assertEqual(line.origin, evaluation)
        self.assertEqual(line.user_id, self.user_manager)


class TestMonitoringPerCompany(ProfileCommon):

    def test_filters_and_flags_per_company(self):
        """Over limit, overdue and on hold: the company's profile and receivables."""
        self.create_invoice(self.customer, 15000.0, due_days=30)
        self.post_receivable(self.company_b, self.customer, 15000.0,
                             days_ago=90, due_days=30)
        self.in_b(self.customer).write({"credit_hold": True})
        Partner = self.env["res.partner"]

        def found(company, domain):
            return self.customer in Partner.with_context(
                force_company=company.id).search(domain)

        self.assertTrue(found(self.company, [("credit_over_limit", "=", True)]))
        self.assertFalse(found(self.company_b, [("credit_over_limit", "=", True)]))
        self.assertTrue(found(self.company_b, [("credit_over_limit", "=", False)]))
        self.assertTrue(self.in_a(self.customer).credit_over_limit)
        self.assertFalse(self.in_b(self.customer).credit_over_limit)
        self.assertFalse(found(self.company, [("credit_is_overdue", "=", True)]))
        self.assertTrue(found(self.company_b, [("credit_is_overdue", "=", True)]))
        self.assertTrue(found(self.company_b, [("credit_hold", "=", True)]))
        self.assertFalse(found(self.company, [("credit_hold", "=", True)]))
        self.assertTrue(found(self.company, [("credit_hold", "=", False)]))
        self.assertFalse(found(self.company_b, [("credit_hold", "=", False)]))
        self.in_b(self.customer).write({"credit_limit": 5000.0})
        self.customer.invalidate_cache()  # a new request
        self.assertTrue(found(self.company_b, [("credit_over_limit", "=", True)]))
        self.assertTrue(self.in_b(self.customer).credit_over_limit)

    def test_warnings_read_the_company_limit(self):
        """The warning cron of each company compares with that company's limit."""
        self.create_invoice(self.customer, 15000.0, due_days=30)
        self.post_receivable(self.company_b, self.customer, 15000.0, due_days=30)
        Warning = self.env["credit.warning"]
        for company in (self.company, self.company_b):
            Warning._cron_evaluate(date=fields.Date.to_string(self.today),
                                   company_ids=company.ids, commit=False)
        warnings = Warning.search([("partner_id", "=", self.customer.id)])
        exceeded = warnings.filtered(lambda w: w.warning_type == "limit_exceeded")
        self.assertEqual(exceeded.company_id, self.company)
        self.assertIn("10000", exceeded.message.replace(",", ""))
        self.assertFalse(warnings.filtered(
            lambda w: w.company_id == self.company_b
            and w.warning_type in ("limit_exceeded", "limit_usage")))

    def test_dossiers_show_and_find_their_company_profile(self):
        """Each dossier shows the grade and limit of its company, and the
        grade search finds the dossier of the company holding it."""
        self.in_b(self.customer).write({"credit_grade_id": self.grade_a.id})
        Dossier = self.env["credit.dossier"]
        dossier_a = Dossier._get_or_create(self.customer, self.company)
        dossier_b = Dossier._get_or_create(self.customer, self.company_b)
        self.assertAlmostEqual(dossier_a.credit_limit, 10000.0)
        self.assertAlmostEqual(dossier_b.credit_limit, 50000.0)
        self.assertFalse(dossier_a.credit_grade_id)
        self.assertEqual(dossier_b.credit_grade_id, self.grade_a)
        found = Dossier.search([("credit_grade_id", "=", self.grade_a.id)])
        self.assertIn(dossier_b, found)
        self.assertNotIn(dossier_a, found)

    def test_review_date_follows_per_company(self):
        """A dossier's review date is its company's; the other company's stays."""
        Dossier = self.env["credit.dossier"]
        dossier_a = Dossier._get_or_create(self.customer, self.company)
        dossier_b = Dossier._get_or_create(self.customer, self.company_b)
        day = fields.Date.to_string(self.today + timedelta(days=40))
        self.switch(self.user_controller, self.company_b)
        dossier_b.sudo(self.user_controller).write({"review_date": day})
        self.assertEqual(self.in_b(self.customer).credit_review_date, day)
        self.assertFalse(self.in_a(self.customer).credit_review_date)
        other = fields.Date.to_string(self.today + timedelta(days=10))
        self.switch(self.user_controller, self.company)
        self.customer.sudo(self.user_controller).write(
            {"credit_review_date": other})
        self.assertEqual(dossier_a.review_date, other)
        self.assertEqual(dossier_b.review_date, day)

    def test_reports_print_the_company_profile(self):
        """Portfolio export and credit report show the chosen company's limit."""
        _headers, rows, _total = xlsx_table(render_xlsx(
            self.env, "credit_management.credit_portfolio_xlsx_action",
            self.customer.ids, data={"company_id": self.company_b.id}))
        self.assertEqual(rows[0]["Credit Limit"], 50000.0)
        _headers, rows, _total = xlsx_table(render_xlsx(
            self.env, "credit_management.credit_portfolio_xlsx_action",
            self.customer.ids))
        self.assertEqual(rows[0]["Credit Limit"], 10000.0)
        Report = self.env["report.credit_management.report_credit_partner"]
        values = Report.with_context(force_company=self.company_b.id) \
            .get_report_values(self.customer.ids)["credit"][self.customer.id]
        self.assertEqual(values["company"], self.company_b)
        self.assertAlmostEqual(values["limit"], 50000.0)

    def test_aging_snapshot_keeps_the_company_grade(self):
        """Aging snapshots record the grade the customer has in that company."""
        self.in_b(self.customer).write({"credit_grade_id": self.grade_a.id})
        self.in_a(self.customer).write({"credit_grade_id": self.grade_d.id})
        self.create_invoice(self.customer, 100.0)
        self.post_receivable(self.company_b, self.customer, 100.0)
        Aging = self.env["credit.aging"]
        today = fields.Date.to_string(self.today)
        for company in (self.company, self.company_b):
            Aging._write_snapshots(company, today, [self.customer.id])
        snapshots = Aging.search([("partner_id", "=", self.customer.id)])
        grades = {s.company_id: s.credit_grade_id for s in snapshots}
        self.assertEqual(grades, {self.company: self.grade_d,
                                  self.company_b: self.grade_a})


class TestProfileInput(ProfileCommon):

    def test_negative_limit_and_cap_refused_changing_nothing(self):
        """A negative limit or cap is refused with a clear message; nothing changes."""
        for field in ("credit_limit", "credit_order_cap"):
            with self.assertRaises(ValidationError) as error:
                self.customer.sudo(self.user_manager).write({field: -100.0})
            self.assertIn("cannot be negative", str(error.exception))
        self.assertAlmostEqual(self.in_a(self.customer).credit_limit, 10000.0)
        self.assertFalse(self.in_a(self.customer).credit_order_cap)
        self.assertFalse(self.dossier(self.company).history_ids)
        with self.assertRaises(ValidationError):
            api.call_kw(self.env(user=self.user_manager.id)["res.partner"],
                        "write", [self.customer.ids, {"credit_limit": -1.0}],
                        {"context": {"force_company": self.company_b.id}})
        self.assertAlmostEqual(self.in_b(self.customer).credit_limit, 50000.0)
        with self.assertRaises(ValidationError):
            self._create_customer("Negative Ltd", -5.0)
        self.assertFalse(self.env["res.partner"].search(
            [("name", "=", "Negative Ltd")]))

    def test_salesperson_cannot_set_a_profile_on_creation(self):
        """A salesperson creates customers and contacts, but not with a limit."""
        Partner = self.env["res.partner"].sudo(self.user_sales)
        with self.assertRaises(AccessError):
            Partner.create({"name": "Self Granted Ltd", "is_company": True,
                            "customer": True, "credit_limit": 99999.0})
        contact = Partner.create({"name": "Bob Buyer",
                                  "parent_id": self.customer.id})
        self.assertAlmostEqual(contact.credit_limit, 10000.0)
        self.assertAlmostEqual(contact.commercial_partner_id.credit_limit, 10000.0)


class TestProfileMigration(ProfileCommon):
    """Values of the plain columns move to every company's properties."""

    def _load_migration(self):
        path = os.path.join(ROOT, "credit_management", "migrations",
                            "11.0.1.1.0", "pre-migration.py")
        spec = importlib.util.spec_from_file_location("cm_pre_migration", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    def _profile(self, partner, company):
        self.env.cr.execute(
            "SELECT credit_limit, credit_grade_id, credit_hold, "
            "credit_order_cap, credit_review_date "
            "FROM credit_partner_profile(%s) WHERE partner_id = %s",
            (company.id, partner.id))
        return self.env.cr.fetchone()

    def test_install_copies_odoo_credit_limit_to_every_company(self):
        """Odoo's one credit_limit column becomes each company's limit; a
        company that has its own value keeps it."""
        legacy = self._create_customer("Legacy Ltd")
        self.env.cr.execute(
            "UPDATE res_partner SET credit_limit = %s WHERE id IN %s",
            (7000.0, (legacy.id, self.customer.id)))
        copy_columns_to_properties(self.env.cr, ["credit_limit"])
        self.env.cache.invalidate()
        for company in (self.company, self.company_b):
            self.assertAlmostEqual(
                legacy.with_context(force_company=company.id).credit_limit,
                7000.0)
        self.assertAlmostEqual(self.in_a(self.customer).credit_limit, 10000.0)
        self.assertAlmostEqual(self.in_b(self.customer).credit_limit, 50000.0)

    def test_upgrade_moves_the_addon_columns(self):
        """The 11.0.1.1.0 migration copies the addon's columns to every
        company and drops them."""
        legacy = self._create_customer("Legacy Ltd")
        cr = self.env.cr
        cr.execute("""
            ALTER TABLE res_partner
                ADD COLUMN credit_grade_id integer, ADD COLUMN credit_hold boolean,
                ADD COLUMN credit_hold_reason varchar,
                ADD COLUMN credit_order_cap double precision,
                ADD COLUMN credit_review_date date""")
        cr.execute("""
            UPDATE res_partner SET credit_limit = 8000, credit_grade_id = %s,
                   credit_hold = true, credit_hold_reason = 'old dispute',
                   credit_order_cap = 1500, credit_review_date = '2027-03-31'
             WHERE id = %s""", (self.grade_a.id, legacy.id))
        self._load_migration().migrate(cr, "11.0.1.0.0")
        self.env.cache.invalidate()
        for company in (self.company, self.company_b):
            partner = legacy.with_context(force_company=company.id)
            self.assertAlmostEqual(partner.credit_limit, 8000.0)
            self.assertEqual(partner.credit_grade_id, self.grade_a)
            self.assertTrue(partner.credit_hold)
            self.assertEqual(partner.credit_hold_reason, "old dispute")
            self.assertAlmostEqual(partner.credit_order_cap, 1500.0)
            self.assertEqual(partner.credit_review_date, "2027-03-31")
            self.assertEqual(self._profile(legacy, company),
                             (8000.0, self.grade_a.id, True, 1500.0,
                              "2027-03-31"))
        cr.execute("SELECT column_name FROM information_schema.columns "
                   "WHERE table_name = 'res_partner' "
                   "AND column_name LIKE 'credit%%'")
        # (credit_portal_enabled: a plain flag, not part of the profile)
        self.assertEqual(sorted(row[0] for row in cr.fetchall()),
                         ["credit_checked_at", "credit_limit",
                          "credit_portal_enabled"])
