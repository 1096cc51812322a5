"""Raising a confirmed order runs the credit check on the new amount."""
from odoo import fields
from odoo.exceptions import AccessError, UserError

from gate_common import GateCase


class TestRaiseWithinCredit(GateCase):

    def test_quantity_up_within_limit_is_saved_with_a_passed_check(self):
        """600 raised to 900 against 1,000: saved, a passed check recorded."""
        order = self.confirmed(self.small, 600.0)
        order.order_line.sudo(self.user_sales).write({"product_uom_qty": 9.0})
        self.assertAlmostEqual(order.amount_total, 900.0)
        check = self.checks(order)[-1]
        self.assertEqual(check.trigger, "change")
        self.assertEqual(check.result, "passed")
        self.assertAlmostEqual(check.order_amount, 900.0)
        # the order itself is counted once: not in the exposure before
        self.assertAlmostEqual(check.exposure_amount, 0.0)
        self.assertEqual(check.requested_by, self.user_sales)
        self.assertEqual(order.credit_state, "passed")

    def test_lowering_is_never_checked(self):
        """Lowering a confirmed order is saved even for a customer on hold."""
        order = self.confirmed(self.small, 600.0)
        self.small.write({"credit_hold": True})
        before = len(self.checks(order))
        order.order_line.sudo(self.user_sales).write({"product_uom_qty": 2.0})
        order.order_line.sudo(self.user_sales).write({"price_unit": 50.0})
        order.order_line.sudo(self.user_sales).write({"product_uom_qty": 0.0})
        self.assertAlmostEqual(order.amount_total, 0.0)
        self.assertEqual(len(self.checks(order)), before)

    def test_quotations_are_not_gated(self):
        """A quotation is edited freely: it is checked when confirmed."""
        order = self.create_order(self.small, 600.0, qty=6)
        order.order_line.sudo(self.user_sales).write({"product_uom_qty": 50.0})
        self.assertAlmostEqual(order.amount_total, 5000.0)
        self.assertFalse(self.checks(order))

    def test_form_save_is_checked_once_on_the_final_amount(self):
        """One form save raising a line and lowering another: one check, final amount."""
        order = self.create_order(self.small, 600.0, qty=6)
        order.write({"order_line": [(0, 0, {
            "product_id": self.product.id, "name": "Second",
            "product_uom_qty": 3.0, "price_unit": 100.0, "tax_id": [(6, 0, [])]})]})
        order.sudo(self.user_sales).action_confirm()
        first, second = order.order_line.sorted("id")
        before = len(self.checks(order))
        # alone, the first command would take the order to 1,200
        order.sudo(self.user_sales).write({"order_line": [
            (1, first.id, {"product_uom_qty": 9.0}),
            (1, second.id, {"product_uom_qty": 1.0})]})
        self.assertAlmostEqual(order.amount_total, 1000.0)
        new = self.checks(order)[before:]
        self.assertEqual(len(new), 1)
        self.assertEqual(new.result, "passed")
        self.assertAlmostEqual(new.order_amount, 1000.0)

    def test_invoicing_and_delivery_do_not_run_the_gate(self):
        """Invoicing, cancelling the invoice and delivered quantities record no check."""
        self.create_invoice(self.small, 5000.0, due_days=30)  # far over the limit now
        self.policy.check_mode = "monitor"
        order = self.confirmed(self.small, 600.0)
        self.policy.check_mode = "block"
        before = len(self.checks(order))
        order.order_line.write({"qty_delivered": 6.0})
        invoice_ids = order.sudo(self.user_sales).action_invoice_create()
        invoice = self.env["account.invoice"].browse(invoice_ids)
        self.assertAlmostEqual(order.order_line.qty_invoiced, 6.0)
        invoice.action_invoice_cancel()
        self.assertAlmostEqual(order.order_line.qty_invoiced, 0.0)
        self.assertEqual(len(self.checks(order)), before)

    def test_down_payment_line_adds_nothing(self):
        """The down-payment wizard adds a line without quantity: not refused."""
        order = self.confirmed(self.small, 900.0)
        self.small.write({"credit_hold": True})
        wizard = self.env["sale.advance.payment.inv"].sudo(self.user_manager).with_context(
            active_ids=order.ids, active_model="sale.order").create({
                "advance_payment_method": "fixed", "amount": 300.0,
                "deposit_account_id": self.income_account.id})
        wizard.create_invoices()
        self.assertEqual(len(order.order_line), 2)
        self.assertEqual(order.invoice_ids.state, "draft")

    def test_removing_a_line_of_a_confirmed_order(self):
        """Odoo refuses deleting a confirmed line; setting it to 0 lowers and is saved."""
        order = self.confirmed(self.small, 600.0)
        with self.assertRaises(UserError):
            order.order_line.sudo(self.user_sales).unlink()
        order.sudo(self.user_sales).write({"order_line": [
            (1, order.order_line.id, {"product_uom_qty": 0.0})]})
        self.assertAlmostEqual(order.amount_total, 0.0)


class TestRaiseRefused(GateCase):

    def assert_unchanged(self, order, amount, lines=1):
        order.invalidate_cache()
        self.assertEqual(len(order.order_line), lines)
        self.assertAlmostEqual(order.amount_total, amount)
        self.assertEqual(order.state, "sale")

    def held(self, order):
        return self.checks(order).filtered(
            lambda c: c.trigger == "change" and c.is_held)

    def test_quantity_up_beyond_limit_is_refused_and_held(self):
        """600 raised to 1,800 against 1,000: refused with the numbers; a hold stored."""
        order = self.confirmed(self.small, 600.0)
        message = self.assert_refused(
            order.sudo(self.user_sales).write,
            {"order_line": [(1, order.order_line.id, {"product_uom_qty": 18.0})]})
        self.assert_unchanged(order, 600.0)
        self.assertIn(order.name, message)
        self.assertIn("1,800.00", message)
        self.assertIn("Credit limit exceeded", message)
        self.assertIn("800.00", message)  # the excess
        self.assertIn("Credit controller", message)  # who decides
        check = self.held(order)
        self.assertEqual(len(check), 1)
        self.assertEqual(check.result, "blocked")
        self.assertEqual(check.reason_codes, "limit_exceeded")
        self.assertAlmostEqual(check.exposure_amount, 0.0)
        self.assertAlmostEqual(check.order_amount, 1800.0)
        self.assertAlmostEqual(check.excess_amount, 800.0)
        self.assertEqual(check.required_authority, "controller")
        self.assertEqual(check.requested_by, self.user_sales)
        self.assertIn(check.reasons, message)
        users = order.activity_ids.mapped("user_id")
        self.assertIn(self.user_controller, users)
        self.assertNotIn(self.user_sales, users)

    def test_every_kind_of_raise_is_refused(self):
        """New line, price, discount, tax and pricelist currency: each refused."""
        order = self.confirmed(self.small, 600.0)
        line = order.order_line
        sales = self.user_sales
        self.assert_refused(self.env["sale.order.line"].sudo(sales).create, {
            "order_id": order.id, "product_id": self.product.id, "name": "More",
            "product_uom_qty": 9.0, "price_unit": 100.0, "tax_id": [(6, 0, [])]})
        self.assert_refused(line.sudo(sales).write, {"price_unit": 200.0})
        line.write({"discount": 50.0, "product_uom_qty": 12.0})  # 600 again
        self.assert_refused(line.sudo(sales).write, {"discount": 10.0})
        tax = self.tax.copy({"amount": 100.0, "name": "Test VAT 100%"})
        self.assert_refused(line.sudo(sales).write, {"tax_id": [(6, 0, tax.ids)]})
        self.assert_unchanged(order, 600.0)
        # a pricelist in a currency worth twice the company's
        other = self.env.ref("base.EUR")
        if other == self.currency:
            other = self.env.ref("base.USD")
        other.active = True
        today = fields.Date.to_string(self.today)
        self.env["res.currency.rate"].search(
            [("currency_id", "in", (other | self.currency).ids)]).unlink()
        self.env["res.currency.rate"].create({
            "currency_id": self.currency.id, "rate": 1.0, "name": today,
            "company_id": self.company.id})
        self.env["res.currency.rate"].create({
            "currency_id": other.id, "rate": 0.5, "name": today,
            "company_id": self.company.id})
        pricelist = self.env["product.pricelist"].create({
            "name": "Strong currency", "currency_id": other.id})
        self.assert_refused(order.sudo(sales).write, {"pricelist_id": pricelist.id})
        self.assert_unchanged(order, 600.0)
        self.assertEqual(order.currency_id, self.currency)

    def test_another_customer_or_company_counts_from_zero(self):
        """Moving a confirmed order to a customer without room is checked there."""
        full = self._create_customer("Full Ltd", 500.0)
        order = self.confirmed(self.small, 600.0)
        self.assert_refused(order.sudo(self.user_sales).write, {"partner_id": full.id})
        self.assertEqual(order.partner_id, self.small)
        check = self.held(order)
        self.assertEqual(check.partner_id, full)
        self.assertAlmostEqual(check.order_amount, 600.0)

    def test_same_refused_change_is_held_once(self):
        """Trying the same refused change again does not pile up holds."""
        order = self.confirmed(self.small, 600.0)
        for _attempt in range(3):
            self.assert_refused(order.order_line.sudo(self.user_sales).write,
                                {"product_uom_qty": 18.0})
        self.assertEqual(len(self.held(order)), 1)
        self.assert_refused(order.order_line.sudo(self.user_sales).write,
                            {"product_uom_qty": 20.0})
        self.assertEqual(len(self.held(order)), 2)

    def test_monitor_mode_saves_and_records(self):
        """In monitor mode the raise is saved; the failed check is recorded and noted."""
        self.policy.check_mode = "monitor"
        order = self.confirmed(self.small, 600.0)
        order.order_line.sudo(self.user_sales).write({"product_uom_qty": 18.0})
        self.assertAlmostEqual(order.amount_total, 1800.0)
        check = self.checks(order)[-1]
        self.assertEqual((check.trigger, check.result, check.check_mode),
                         ("change", "blocked", "monitor"))
        self.assertFalse(check.is_held)
        self.assertTrue(any("change saved" in (m.body or "") for m in order.message_ids))

    def test_controller_cannot_raise_past_the_gate(self):
        """The credit team's own edits go through the same gate."""
        order = self.confirmed(self.small, 600.0, user=self.user_controller)
        for user in (self.user_controller, self.user_manager):
            self.assert_refused(order.order_line.sudo(user).write,
                                {"product_uom_qty": 18.0})
        self.assert_unchanged(order, 600.0)

    def test_context_keys_do_not_open_the_gate(self):
        """Context keys from a client do not skip the check on a raise."""
        order = self.confirmed(self.small, 600.0)
        line = order.order_line.sudo(self.user_sales).with_context(
            credit_trusted=True, credit_skip=True, skip_credit_check=True)
        self.assert_refused(line.write, {"product_uom_qty": 18.0})
        self.assert_unchanged(order, 600.0)

    def test_computed_amounts_cannot_be_written(self):
        """Writing the computed totals (what the check counts) is refused."""
        order = self.confirmed(self.small, 600.0)
        quotation = self.create_order(self.small, 5000.0)
        computed = "cannot be written"
        self.assert_refused(quotation.sudo(self.user_sales).write, {"amount_total": 1.0},
                            expect=computed)
        for field in ("price_total", "price_subtotal", "qty_invoiced"):
            self.assert_refused(order.order_line.sudo(self.user_sales).write, {field: 0.0},
                                expect=computed)
        self.assertAlmostEqual(quotation.amount_total, 5000.0)
        self.assertAlmostEqual(order.order_line.price_total, 600.0)

    def test_copies_start_as_quotations(self):
        """A copy of a confirmed order is a quotation; a confirmed copy is refused."""
        order = self.confirmed(self.small, 600.0)
        copy = order.sudo(self.user_sales).copy()
        self.assertEqual((copy.state, copy.credit_state), ("draft", "unchecked"))
        self.assert_refused(order.sudo(self.user_sales).copy, {"state": "sale"},
                            expect="Confirm button")

    def test_cancelled_order_cannot_be_written_back_to_sale(self):
        """A cancelled order comes back only through Confirm (and its check)."""
        order = self.confirmed(self.small, 600.0)
        order.sudo(self.user_sales).action_cancel()
        self.assert_refused(order.sudo(self.user_sales).write, {"state": "sale"},
                            expect="Confirm")
        self.assert_refused(order.sudo(self.user_manager).write, {"state": "done"},
                            expect="Confirm")
        self.assertEqual(order.state, "cancel")


class TestReleaseOfAChange(GateCase):

    def refused(self, order, qty=18.0, user=None):
        self.assert_refused(order.order_line.sudo(user or self.user_sales).write,
                            {"product_uom_qty": qty})
        return self.checks(order).filtered(lambda c: c.is_held)[-1]

    def test_release_lets_the_same_change_through_once(self):
        """Released, the same change is saved once; a later raise is checked again."""
        order = self.confirmed(self.small, 600.0)
        check = self.refused(order)
        self.decide(check, self.user_controller)
        self.assertEqual(check.decision, "released")
        self.assertFalse(check.is_held)
        self.assertAlmostEqual(order.amount_total, 600.0)  # nothing saved yet
        order.order_line.sudo(self.user_sales).write({"product_uom_qty": 18.0})
        self.assertAlmostEqual(order.amount_total, 1800.0)
        self.assertTrue(check.release_used)
        self.assertTrue(any("release" in (m.body or "") for m in order.message_ids))
        # once: lowered and raised again, it is checked again
        order.order_line.sudo(self.user_sales).write({"product_uom_qty": 6.0})
        again = self.refused(order)
        self.assertNotEqual(again, check)
        self.assertAlmostEqual(order.amount_total, 600.0)

    def test_release_covers_up_to_the_released_amount(self):
        """A release for 1,800 does not cover 2,000; it covers 1,500."""
        order = self.confirmed(self.small, 600.0)
        check = self.refused(order)
        self.decide(check, self.user_controller)
        self.refused(order, qty=20.0)
        self.assertFalse(check.release_used)
        order.order_line.sudo(self.user_sales).write({"product_uom_qty": 15.0})
        self.assertAlmostEqual(order.amount_total, 1500.0)
        self.assertTrue(check.release_used)

    def test_release_does_not_cover_a_new_reason(self):
        """A customer put on hold after the release: the change is held again."""
        order = self.confirmed(self.small, 600.0)
        check = self.refused(order)
        self.decide(check, self.user_controller)
        self.small.write({"credit_hold": True})
        again = self.refused(order)
        self.assertEqual(again.reason_codes, "on_hold,limit_exceeded")
        self.assertFalse(check.release_used)

    def test_reject_keeps_the_order_as_it_was(self):
        """Rejected, the change stays unsaved and the next attempt is held anew."""
        order = self.confirmed(self.small, 600.0)
        check = self.refused(order)
        self.decide(check, self.user_controller, decision="reject", reason="No")
        self.assertEqual(check.decision, "rejected")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_state, "passed")
        self.assertFalse(order.activity_ids)
        again = self.refused(order)
        self.assertNotEqual(again, check)

    def test_authority_and_no_self_release(self):
        """Large excess needs a manager; nobody releases their own change."""
        order = self.confirmed(self.small, 600.0, user=self.user_sales2)
        check = self.refused(order, qty=150.0, user=self.user_controller)  # excess 14,000
        self.assertEqual(check.required_authority, "manager")
        with self.assertRaises(AccessError):
            self.decide(check, self.user_controller2)
        with self.assertRaises(AccessError):
            self.decide(check, self.user_sales)
        small_check = self.refused(order, qty=18.0, user=self.user_controller)
        with self.assertRaises(AccessError):  # made the change
            self.decide(small_check, self.user_controller)
        with self.assertRaises(AccessError):  # the order's salesperson
            self.decide(small_check, self.user_sales2)
        self.decide(small_check, self.user_controller2)
        self.decide(check, self.user_manager)
        order.order_line.sudo(self.user_controller).write({"product_uom_qty": 150.0})
        self.assertAlmostEqual(order.amount_total, 15000.0)

    def test_cancelled_order_ends_the_hold(self):
        """A held change of an order cancelled since is no longer waiting."""
        order = self.confirmed(self.small, 600.0)
        check = self.refused(order)
        order.sudo(self.user_sales).action_cancel()
        self.assertFalse(check.is_held)
        with self.assertRaises(UserError):
            self.decide(check, self.user_controller)


class TestUninvoicedParity(GateCase):

    def test_order_amount_matches_the_exposure_sql(self):
        """What the gate counts for an order equals what the exposure SQL counts."""
        order = self.confirmed(self.small, 600.0)
        order.write({"order_line": [
            (0, 0, {"product_id": self.product.id, "name": "Taxed", "product_uom_qty": 4.0,
                    "price_unit": 25.0, "tax_id": [(6, 0, self.tax.ids)]}),
            (0, 0, {"product_id": self.product.id, "name": "Down payment",
                    "product_uom_qty": 0.0, "price_unit": 300.0, "tax_id": [(6, 0, [])]})]})
        Partner = self.env["res.partner"]

        def sql_amount():
            return Partner.browse(self.small.id)._credit_uninvoiced_order_amounts(
                self.company).get(self.small.id, 0.0)

        self.assertAlmostEqual(order._credit_uninvoiced_amount(), 710.0)
        self.assertAlmostEqual(order._credit_uninvoiced_amount(), sql_amount())
        # partly invoiced: 4 of 6 units of the first line
        invoice = self.env["account.invoice"].browse(order.action_invoice_create())
        invoice.invoice_line_ids.filtered(lambda l: l.quantity == 6.0).quantity = 4.0
        invoice.invoice_line_ids.filtered(lambda l: l.quantity == 4.0 and l.price_unit == 25.0
                                          ).quantity = 6.0  # over-invoiced
        order.invalidate_cache()
        self.assertAlmostEqual(order._credit_uninvoiced_amount(), 200.0)
        self.assertAlmostEqual(order._credit_uninvoiced_amount(), sql_amount())
