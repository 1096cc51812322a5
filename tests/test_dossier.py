"""Credit dossiers: registration, statements and ratios, payment behaviour, history, rights."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from psycopg2 import IntegrityError

from common import CreditCommon
from odoo.tools import mute_logger


class DossierCommon(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dossier = cls._create_dossier()


class TestDossier(DossierCommon):

    def test_one_dossier_per_partner_and_company(self):
        """A second dossier for the same customer and company is refused."""
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env["credit.dossier"].create({"partner_id": self.customer.id})

    def test_dossier_belongs_to_commercial_partner(self):
        """A contact person cannot have a dossier of its own."""
        with self.assertRaises(ValidationError):
            self.env["credit.dossier"].create({"partner_id": self.customer_contact.id})

    def test_get_or_create_finds_existing(self):
        """The lookup used by other flows returns the dossier of the commercial partner."""
        self.assertEqual(
            self.env["credit.dossier"]._get_or_create(self.customer_contact), self.dossier)
        other = self._create_customer("Fresh Customer")
        created = self.env["credit.dossier"]._get_or_create(other)
        self.assertEqual(created.partner_id, other)
        self.assertEqual(created.state, "draft")

    def test_negative_registration_values_refused(self):
        """Negative capital or expected sales give a clear error."""
        for vals in ({"registered_capital": -1}, {"expected_annual_sales": -5},
                     {"litigation_count": -1}):
            with self.assertRaises(ValidationError):
                with self.env.cr.savepoint():
                    self.dossier.write(vals)
        self.assertEqual(self.dossier.registered_capital, 5000000.0)

    def test_state_actions(self):
        """Draft -> active -> suspended -> active -> closed; wrong moves refused."""
        dossier = self.dossier.sudo(self.user_controller)
        dossier.action_activate()
        self.assertEqual(self.dossier.state, "active")
        dossier.action_suspend()
        dossier.action_activate()
        dossier.action_close()
        self.assertEqual(self.dossier.state, "closed")
        with self.assertRaises(Exception):
            dossier.action_suspend()
        self.assertEqual(self.dossier.state, "closed")

    def test_review_date_same_on_partner_and_dossier(self):
        """The partner's next review date (read by the order check) and the dossier's agree."""
        self.customer.write({"credit_review_date": "2027-01-31"})
        self.assertEqual(self.dossier.review_date, "2027-01-31")
        self.dossier.sudo(self.user_controller).write({"review_date": "2027-03-01"})
        self.assertEqual(self.customer.credit_review_date, "2027-03-01")

    def test_review_overdue_filter(self):
        """Dossiers whose review date has passed are found by the filter."""
        yesterday = fields.Date.to_string(self.today - timedelta(days=1))
        self.dossier.write({"review_date": yesterday})
        later = self.env["credit.dossier"].create({
            "partner_id": self._create_customer("Later Ltd").id,
            "review_date": fields.Date.to_string(self.today + timedelta(days=30))})
        found = self.env["credit.dossier"].search([("review_overdue", "=", True)])
        self.assertIn(self.dossier, found)
        self.assertNotIn(later, found)
        self.assertIn(later, self.env["credit.dossier"].search(
            [("review_overdue", "=", False)]))


class TestFinancialStatement(DossierCommon):

    def test_ratios_computed(self):
        """Entering the figures shows the derived ratios."""
        st = self.env["credit.financial.statement"].create(self._statement_vals(self.dossier))
        self.assertAlmostEqual(st.net_margin, 8.0)
        self.assertAlmostEqual(st.roe, 20.0)
        self.assertAlmostEqual(st.current_ratio, 2.0)
        self.assertAlmostEqual(st.quick_ratio, 1.44)
        self.assertAlmostEqual(st.debt_ratio, 50.0)
        self.assertAlmostEqual(st.receivable_turnover, 5.0)
        self.assertAlmostEqual(st.inventory_turnover, 5.0)
        st.write({"equity": 0.0})
        self.assertEqual(st.roe, 0.0)
        self.assertEqual(self.dossier._get_latest_statement(), st)

    def test_bad_figures_refused(self):
        """Negative assets, current above total assets, a silly year: error, nothing stored."""
        Statement = self.env["credit.financial.statement"]
        for vals in ({"revenue": -1}, {"total_assets": -10},
                     {"current_assets": 900000.0}, {"fiscal_year": 20}):
            with self.assertRaises(ValidationError):
                with self.env.cr.savepoint():
                    Statement.create(self._statement_vals(self.dossier, **vals))
        self.assertFalse(Statement.search([("dossier_id", "=", self.dossier.id)]))
        # losses and negative equity are legitimate
        st = Statement.create(self._statement_vals(
            self.dossier, net_profit=-20000.0, equity=-10000.0))
        self.assertAlmostEqual(st.net_margin, -2.0)

    def test_one_statement_per_year(self):
        """Two statements for the same fiscal year are refused."""
        Statement = self.env["credit.financial.statement"]
        Statement.create(self._statement_vals(self.dossier))
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                Statement.create(self._statement_vals(self.dossier))


class TestPaymentBehaviour(DossierCommon):

    def test_payment_behaviour_from_invoices(self):
        """Paid invoices, on-time share, days late and delay come from the ledger."""
        # due 60 days ago, paid 65 days ago: on time
        inv1 = self.create_invoice(self.customer, 1000.0, days_ago=90, due_days=30)
        self.pay_invoice(inv1, 1000.0, days_ago=65)
        # due 40 days ago, paid 20 days ago: 20 days late
        inv2 = self.create_invoice(self.customer, 3000.0, days_ago=70, due_days=30)
        self.pay_invoice(inv2, 3000.0, days_ago=20)
        # open and overdue by 10 days
        self.create_invoice(self.customer, 500.0, days_ago=40, due_days=30)
        d = self.dossier
        self.assertEqual(d.pay_invoice_count, 2)
        self.assertAlmostEqual(d.pay_on_time_percent, 50.0)
        self.assertAlmostEqual(d.pay_avg_days_late, 10.0)
        self.assertAlmostEqual(d.pay_weighted_days_late, 15.0)
        self.assertEqual(d.pay_max_days_late, 20)
        self.assertAlmostEqual(d.pay_overdue_amount, 500.0)
        self.assertEqual(d.pay_overdue_days, 10)
        self.assertEqual(d.pay_first_invoice_date,
                         fields.Date.to_string(self.today - timedelta(days=90)))
        self.assertEqual(d.pay_relationship_months in (2, 3), True)

    def test_no_invoices_gives_empty_behaviour(self):
        """A new customer has zero paid invoices and no error."""
        self.assertEqual(self.dossier.pay_invoice_count, 0)
        self.assertEqual(self.dossier.pay_on_time_percent, 0.0)
        self.assertFalse(self.dossier.pay_first_invoice_date)


class TestHistory(DossierCommon):

    def test_limit_and_grade_changes_logged(self):
        """A manager's change of limit and grade is logged with before and after."""
        self.customer.sudo(self.user_manager).write(
            {"credit_limit": 25000.0, "credit_grade_id": self.grade_a.id})
        line = self.dossier.history_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(line.old_limit, 10000.0)
        self.assertEqual(line.new_limit, 25000.0)
        self.assertEqual(line.new_grade_id, self.grade_a)
        self.assertEqual(line.user_id, self.user_manager)
        self.assertEqual(line.change_type, "manual")

    def test_history_is_read_only(self):
        """Nobody edits the history, not even a manager."""
        self.customer.write({"credit_limit": 30000.0})
        line = self.dossier.history_ids
        with self.assertRaises(Exception):
            line.sudo(self.user_manager).write({"new_limit": 1.0})
        with self.assertRaises(AccessError):
            line.sudo(self.user_manager).unlink()

    def test_context_cannot_forge_origin(self):
        """A client passing a change reason in the context does not label the history."""
        self.customer.sudo(self.user_manager).with_context(
            credit_change_type="evaluation", credit_change_reason="forged").write(
            {"credit_limit": 12345.0})
        line = self.dossier.history_ids
        self.assertEqual(line.change_type, "manual")
        self.assertFalse(line.reason)


class TestDossierRights(DossierCommon):

    def test_sales_reads_dossier_not_statements(self):
        """A salesperson reads the dossier and grade but no financial statement."""
        self.env["credit.financial.statement"].create(self._statement_vals(self.dossier))
        dossier = self.dossier.sudo(self.user_sales)
        self.assertEqual(dossier.partner_id, self.customer)
        dossier.read(["credit_limit", "credit_grade_id", "state"])
        with self.assertRaises(AccessError):
            self.env["credit.financial.statement"].sudo(self.user_sales).search([])
        with self.assertRaises(AccessError):
            dossier.write({"legal_representative": "Someone"})
        with self.assertRaises(AccessError):
            self.env["credit.dossier"].sudo(self.user_sales).create(
                {"partner_id": self._create_customer("Sales Try").id})

    def test_open_dossier_from_partner(self):
        """The customer's Credit page opens its dossier; only the credit team opens a new one."""
        action = self.customer_contact.sudo(self.user_sales).action_credit_open_dossier()
        self.assertEqual(action["res_id"], self.dossier.id)
        other = self._create_customer("No File Yet")
        with self.assertRaises(UserError):
            other.sudo(self.user_sales).action_credit_open_dossier()
        action = other.sudo(self.user_controller).action_credit_open_dossier()
        self.assertEqual(self.env["credit.dossier"].browse(action["res_id"]).partner_id, other)

    def test_sales_cannot_change_dossier_state(self):
        """Suspending or activating a dossier is for the credit team."""
        with self.assertRaises(UserError):
            self.dossier.sudo(self.user_sales).action_activate()
        self.assertEqual(self.dossier.state, "draft")

    def test_other_company_sees_nothing(self):
        """A controller of another company sees neither the dossier nor its statements."""
        self.env["credit.financial.statement"].create(self._statement_vals(self.dossier))
        other = self.env["res.company"].create({"name": "Credit Other Co"})
        user = self._create_user("credit_other_ctrl", "Otto Other",
                                 ["credit_management.group_credit_controller"],
                                 company=other)
        self.assertFalse(self.env["credit.dossier"].sudo(user).search(
            [("partner_id", "=", self.customer.id)]))
        self.assertFalse(self.env["credit.financial.statement"].sudo(user).search(
            [("dossier_id", "=", self.dossier.id)]))

    def test_controller_edits_dossier_and_statements(self):
        """A controller keeps the dossier and enters statements."""
        self.dossier.sudo(self.user_controller).write({"legal_representative": "Wang Fang"})
        self.assertEqual(self.dossier.legal_representative, "Wang Fang")
        st = self.env["credit.financial.statement"].sudo(self.user_controller).create(
            self._statement_vals(self.dossier))
        self.assertAlmostEqual(st.current_ratio, 2.0)
