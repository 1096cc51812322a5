"""The credit gate's cost in queries (issue 17): at most 8 more than Odoo's
own confirmation of the same order, and than its own validation of the same
invoice.

A query count is deterministic (unlike a time): each case confirms the same
kind of document twice after a warm-up, once through Odoo's confirmation
without the addon's layer (``super()`` of the addon's override, the addon's
held-check refresh left out) and once through the Confirm button with the
credit check (it passes), both as the salesperson, with the ORM cache
cleared before each. What the 8 queries are (bench/RESULTS.md): lock and
write the customer row, its credit profile (one query for every
company-dependent field), the order's and company's currencies, the three
exposure sources (receivable totals, draft invoices, uninvoiced orders), the
policy, the insert of the credit.check (its policy version with it, from a
cache); collateral and credit groups add none in a company without them
(credit_gate_presence.py). bench/measure_posting.py measures the same
against a database without the addon.
"""
from contextlib import contextmanager
from unittest.mock import patch

from odoo.addons.credit_management.models.account_invoice import (
    AccountInvoice as CreditInvoice)
from odoo.addons.credit_management.models.sale_order import (
    SaleOrder as CreditOrder)
from odoo.addons.credit_management.models.trusted import credit_trusted

from odoo import fields

from common import CreditCommon
from test_collateral import CollateralCommon

QUERY_BUDGET = 8


class TestGateQueryBudget(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.write({"overdue_grace_days": 1000,
                          "invoice_check_mode": "block"})
        cls.buyer = cls._create_customer("Budget Buyer Ltd", 1e6)
        # some history: open, partly paid and overdue invoices, an order
        for days in (40, 20, 5):
            invoice = cls.create_invoice(cls, cls.buyer, 300.0,
                                         days_ago=days, due_days=30)
        cls.pay_invoice(cls, invoice, 100.0)

    def count(self, func):
        """Queries sent by ``func()``, the ORM cache cleared before."""
        self.env.cache.invalidate()
        before = self.env.cr.sql_log_count
        func()
        return self.env.cr.sql_log_count - before

    @contextmanager
    def without_addon(self):
        """Odoo's own path: trusted (no refusal of direct confirmation or
        posting) and without the addon's held-check refresh."""
        Check = type(self.env["credit.check"])
        with credit_trusted(), patch.object(
                Check, "_credit_held_candidates",
                lambda self, field_name, ids: self.browse()):
            yield

    def setUp(self):
        super().setUp()
        # the registry's caches as after a start (a test before this one may
        # have left cached answers about its rolled-back records)
        self.registry.clear_caches()

    def quotation(self):
        return self.create_order(self.buyer, 500.0).sudo(self.user_sales)

    # ------------------------------------------------------------------
    def test_confirmation_within_budget(self):
        self.quotation().action_confirm()  # warm-up (caches, sequences)
        plain_order, order = self.quotation(), self.quotation()

        def plain():
            with self.without_addon():
                super(CreditOrder, plain_order).action_confirm()

        plain_queries = self.count(plain)
        queries = self.count(order.action_confirm)
        self.assertEqual((plain_order.state, order.state), ("sale", "sale"))
        self.assertEqual(order.credit_state, "passed")
        check = self.env["credit.check"].search([("order_id", "=", order.id)])
        self.assertEqual((check.result, check.is_held), ("passed", False))
        self.assertLessEqual(
            queries - plain_queries, QUERY_BUDGET,
            "confirmation: %d queries with the credit check, %d without"
            % (queries, plain_queries))

    def test_hold_still_stores_a_held_check(self):
        """The budget counts a passing check; a hold does more (chatter,
        to-dos) and must still store a held check."""
        self.policy.write({"overdue_grace_days": 0})
        order = self.quotation()
        order.action_confirm()
        check = self.env["credit.check"].search([("order_id", "=", order.id)])
        self.assertEqual((order.state, order.credit_state), ("draft", "blocked"))
        self.assertTrue(check.is_held)

    def test_invoice_validation_within_budget(self):
        def draft():
            return self.create_invoice(
                self.buyer, 200.0, validate=False).sudo(self.user_controller)

        draft().action_invoice_open()  # warm-up
        plain_invoice, invoice = draft(), draft()

        def plain():
            with self.without_addon():
                super(CreditInvoice, plain_invoice).action_invoice_open()

        plain_queries = self.count(plain)
        queries = self.count(invoice.action_invoice_open)
        self.assertEqual((plain_invoice.state, invoice.state), ("open", "open"))
        self.assertLessEqual(
            queries - plain_queries, QUERY_BUDGET,
            "invoice validation: %d queries with the credit check, %d "
            "without" % (queries, plain_queries))

    def test_payment_adds_no_query_for_held_checks(self):
        """Paying an open invoice (open -> paid) cannot change whether a
        check waits: no query looks for its checks."""
        invoice = self.create_invoice(self.buyer, 150.0)
        Check = type(self.env["credit.check"])
        with patch.object(Check, "_credit_held_candidates",
                          side_effect=AssertionError("searched")):
            self.pay_invoice(invoice, 150.0)
        self.assertEqual(invoice.state, "paid")


class TestPrefetchedProfile(CreditCommon):
    """The profile the check reads in one query is the one Odoo reads."""

    FIELDS = ("credit_limit", "credit_grade_id", "credit_hold",
              "credit_hold_reason", "credit_order_cap", "credit_review_date",
              "property_payment_term_id")

    def orm_profile(self, partner, company):
        partner = partner.with_context(force_company=company.id)
        self.env.cache.invalidate()
        return {name: partner[name] for name in self.FIELDS}

    def prefetched_profile(self, partner, company):
        partner = partner.sudo().with_context(force_company=company.id)
        self.env.cache.invalidate()
        before = self.env.cr.sql_log_count
        partner._credit_prefetch_profile(company)
        self.assertEqual(self.env.cr.sql_log_count - before, 1)
        before = self.env.cr.sql_log_count
        values = {name: partner[name] for name in self.FIELDS}
        self.assertEqual(self.env.cr.sql_log_count, before,
                         "the prefetched fields are read from the cache")
        return values

    def assert_same(self, partner, company):
        orm = self.orm_profile(partner, company)
        prefetched = self.prefetched_profile(partner, company)
        for name in self.FIELDS:
            value = prefetched[name]
            expected = orm[name]
            if name in ("credit_grade_id", "property_payment_term_id"):
                value, expected = value.id, expected.id
            self.assertEqual(value, expected, name)

    def test_own_values_defaults_and_other_companies(self):
        term = self.env["account.payment.term"].create({
            "name": "Budget 45 days", "line_ids": [(0, 0, {
                "value": "balance", "days": 45})]})
        own = self._create_customer("Own Profile Ltd", 5000.0)
        own.with_context(force_company=self.company.id)._credit_write_profile({
            "credit_grade_id": self.grade_a.id, "credit_hold": True,
            "credit_hold_reason": "Disputed invoices",
            "credit_order_cap": 1200.0,
            "credit_review_date": "2030-01-31",
            "property_payment_term_id": term.id})
        plain = self._create_customer("No Profile Ltd")
        other = self.env["res.company"].create({"name": "Budget Other Co"})
        # a value shared by all companies, and a company default
        self.env["ir.property"].sudo().create({
            "name": "credit_order_cap", "type": "float",
            "fields_id": self.env["ir.model.fields"].search([
                ("model", "=", "res.partner"),
                ("name", "=", "credit_order_cap")]).id,
            "res_id": "res.partner,%d" % plain.id, "company_id": False,
            "value_float": 300.0})
        self.env["ir.property"].sudo().create({
            "name": "credit_limit", "type": "float",
            "fields_id": self.env["ir.model.fields"].search([
                ("model", "=", "res.partner"),
                ("name", "=", "credit_limit")]).id,
            "company_id": other.id, "value_float": 99.0})
        for partner in (own, plain):
            for company in (self.company, other):
                self.assert_same(partner, company)
        self.assertEqual(
            self.prefetched_profile(plain, other)["credit_limit"], 99.0)
        self.assertEqual(
            self.prefetched_profile(plain, self.company)["credit_order_cap"],
            300.0)
        self.assertTrue(self.prefetched_profile(own, self.company)["credit_hold"])
        # a grade that no longer exists reads as none, as in Odoo
        grade = self.grade_d.copy({"code": "BT", "name": "Budget Temporary"})
        own.with_context(force_company=self.company.id)._credit_write_profile(
            {"credit_grade_id": grade.id})
        self.env.cr.execute("DELETE FROM credit_grade WHERE id = %s",
                            (grade.id,))
        self.assert_same(own, self.company)
        self.assertFalse(
            self.prefetched_profile(own, self.company)["credit_grade_id"])


class TestGatePresence(CollateralCommon):
    """Collateral and credit groups cost the check no query in a company
    that has none (credit_gate_presence.py); the first one created counts
    at once, and the group's one-query lookup finds what the members'
    search finds."""

    def setUp(self):
        super().setUp()
        self.registry.clear_caches()

    def test_first_collateral_counts_at_once(self):
        partner = self._create_customer("Presence Collateral Ltd", 1000.0)
        Check = self.env["credit.check"]
        today = fields.Date.context_today(Check)
        self.assertEqual(
            Check._get_secured_amount(partner, self.company, today), 0.0)
        self.activate(self.register(partner))
        # insured 10,000 at 95 %, capped by the policy at 90 %
        self.assertAlmostEqual(
            Check._get_secured_amount(partner, self.company, today), 9000.0)

    def members_search(self, partner, company):
        return self.env["credit.group.member"].sudo().search([
            ("partner_id", "=", partner.commercial_partner_id.id),
            ("company_id", "=", company.id),
            ("group_id.active", "=", True)], limit=1).group_id

    def test_group_lookup_as_the_members_search(self):
        Group = self.env["credit.group"]
        member = self._create_customer("Presence Member Ltd", 1000.0)
        contact = self.env["res.partner"].create(
            {"name": "Presence Contact", "parent_id": member.id})
        retired = self._create_customer("Presence Retired Ltd", 1000.0)
        outsider = self._create_customer("Presence Outsider Ltd", 1000.0)
        self.assertFalse(Group._credit_group_of(member, self.company))
        group = Group.create({"name": "Presence Group", "member_ids": [
            (0, 0, {"partner_id": member.id})]})
        old = Group.create({"name": "Presence Old Group", "member_ids": [
            (0, 0, {"partner_id": retired.id})]})
        old.active = False
        other_company = self.env["res.company"].create(
            {"name": "Presence Other Co"})
        Group.create({"name": "Presence Abroad", "company_id": other_company.id,
                      "member_ids": [(0, 0, {"partner_id": outsider.id})]})
        for partner in (member, contact, retired, outsider):
            for company in (self.company, other_company):
                self.assertEqual(Group._credit_group_of(partner, company),
                                 self.members_search(partner, company),
                                 (partner.name, company.name))
        self.assertEqual(Group._credit_group_of(contact, self.company), group)
        self.assertFalse(Group._credit_group_of(retired, self.company))
        self.assertTrue(Group._credit_group_of(outsider, other_company))
