"""The quotation's credit outlook: the confirmation's verdict, live, unstored."""
from common import CreditCommon


class TestQuotationOutlook(CreditCommon):

    def outlook(self, order, user=None):
        order = order.sudo(user or self.user_sales)
        order.invalidate_cache()
        return order

    def test_order_within_limit_fits(self):
        """Within the limit the banner says it fits, with the credit left."""
        self.create_invoice(self.customer, 3000.0, due_days=30)
        order = self.outlook(self.create_order(self.customer, 2000.0))
        self.assertEqual(order.credit_outlook, "fits")
        self.assertAlmostEqual(order.credit_outlook_available, 7000.0)
        self.assertAlmostEqual(order.credit_outlook_uses, 2000.0)
        self.assertIn("7,000.00", order.credit_outlook_message)
        self.assertIn("2,000.00", order.credit_outlook_message)
        self.assertIn("Fits", order.credit_outlook_message)
        self.assertFalse(order.credit_outlook_suggestion)

    def test_order_beyond_limit_will_be_held_with_prepayment(self):
        """Beyond the limit: the excess, the controllers' authority, the
        reasons and the prepayment that brings it within the limit; and
        confirming it then holds it on the same numbers."""
        self.create_invoice(self.customer, 6000.0, due_days=30)
        order = self.create_order(self.customer, 4500.0)
        seen = self.outlook(order)
        self.assertEqual(seen.credit_outlook, "held")
        self.assertAlmostEqual(seen.credit_outlook_excess, 500.0)
        self.assertAlmostEqual(seen.credit_outlook_prepayment, 500.0)
        self.assertIn("exceeds the limit by", seen.credit_outlook_message)
        self.assertIn("500.00", seen.credit_outlook_message)
        self.assertIn("10,000.00", seen.credit_outlook_message)  # authority
        self.assertIn("Credit limit exceeded", seen.credit_outlook_reasons)
        self.assertIn("prepayment", seen.credit_outlook_suggestion)
        self.assertFalse(order.credit_check_ids, "the outlook stores nothing")
        order.sudo(self.user_sales).action_confirm()
        check = order.credit_check_ids
        self.assertEqual(check.result, "blocked")
        self.assertAlmostEqual(check.excess_amount, seen.credit_outlook_excess)
        self.assertEqual(check.reasons, seen.credit_outlook_reasons)

    def test_overdue_payment_would_release(self):
        """Held for overdue invoices only: paying them would make it fit; the
        payment also lowers the exposure, so no prepayment is suggested when
        the overdue covers the excess."""
        self.create_invoice(self.customer, 3000.0, days_ago=40, due_days=10)
        order = self.outlook(self.create_order(self.customer, 8000.0))
        self.assertEqual(order.credit_outlook, "held")
        self.assertAlmostEqual(order.credit_outlook_overdue_payment, 3000.0)
        self.assertAlmostEqual(order.credit_outlook_prepayment, 0.0)
        self.assertIn("overdue", order.credit_outlook_reasons.lower())
        self.assertIn("Once the overdue", order.credit_outlook_suggestion)
        self.assertIn("3,000.00", order.credit_outlook_suggestion)

    def test_hold_that_payment_cannot_clear_has_no_suggestion(self):
        """A customer on credit hold: no payment makes it fit."""
        order = self.create_order(self.customer, 12000.0)
        self.customer.write({"credit_hold": True})
        order = self.outlook(order)
        self.assertEqual(order.credit_outlook, "held")
        self.assertFalse(order.credit_outlook_suggestion)

    def test_no_banner_without_credit_profile_or_after_confirmation(self):
        """Customers without a limit or grade (policy allows them) and
        confirmed orders show no outlook."""
        self.policy.no_limit_action = "allow"
        plain = self._create_customer("Plain Buyer")
        self.assertEqual(
            self.outlook(self.create_order(plain, 500.0)).credit_outlook, "none")
        order = self.create_order(self.customer, 500.0)
        order.sudo(self.user_sales).action_confirm()
        self.assertEqual(self.outlook(order).credit_outlook, "none")

    def test_confirmed_orders_count_and_current_order_is_excluded(self):
        """Other confirmed orders count in the exposure; the quotation itself
        never counts twice."""
        other = self.create_order(self.customer, 4000.0)
        other.sudo(self.user_sales).action_confirm()
        order = self.outlook(self.create_order(self.customer, 5000.0))
        self.assertEqual(order.credit_outlook, "fits")
        self.assertAlmostEqual(order.credit_outlook_available, 6000.0)

    def test_updates_as_lines_change_in_the_form(self):
        """The form's onchange recomputes the verdict from unsaved lines."""
        order = self.create_order(self.customer, 2000.0)
        line = order.order_line
        # the client sends the form's values as shown before the change
        values = order.read(["partner_id", "pricelist_id", "company_id",
                             "payment_term_id", "state", "date_order",
                             "currency_id", "amount_total", "credit_outlook",
                             "credit_outlook_message"])[0]
        self.assertEqual(values["credit_outlook"], "fits")
        for name, value in values.items():
            if isinstance(value, tuple):
                values[name] = value[0]
        values["order_line"] = [(1, line.id, {"price_unit": 12000.0,
                                              "product_uom_qty": 1.0})]
        spec = {name: "" for name in values if name != "id"}
        spec.update({"order_line": "1", "order_line.price_unit": "1",
                     "order_line.product_uom_qty": "1",
                     "order_line.price_total": "", "amount_total": "",
                     "credit_outlook": "", "credit_outlook_message": ""})
        result = order.sudo(self.user_sales).onchange(
            values, "order_line", spec)
        self.assertEqual(result["value"].get("credit_outlook"), "held")
        self.assertIn("exceeds the limit by", result["value"]["credit_outlook_message"])
        self.assertIn("2,000.00", result["value"]["credit_outlook_message"])

    OUTLOOK_FIELDS = ["credit_outlook", "credit_outlook_available",
                      "credit_outlook_uses", "credit_outlook_message"]

    def count_outlook_queries(self, order):
        """Queries of one recomputation of the outlook on a form already read
        (the order's own fields are in the cache, as in an onchange)."""
        order.read(["partner_id", "company_id", "amount_total", "state",
                    "payment_term_id", "date_order", "currency_id"])
        # the customer's credit profile may have changed since: read again
        self.customer.invalidate_cache([
            "credit_limit", "credit_grade_id", "credit_hold",
            "credit_order_cap", "credit_review_date",
            "property_payment_term_id"])
        order.invalidate_cache(self.OUTLOOK_FIELDS)
        before = self.cr.sql_log_count
        order.read(self.OUTLOOK_FIELDS)
        return self.cr.sql_log_count - before

    def test_outlook_costs_few_queries_whatever_the_history(self):
        """The verdict costs a fixed handful of queries (aggregates and the
        customer's credit profile), not one per invoice or order."""
        order = self.create_order(self.customer, 2000.0).sudo(self.user_sales)
        order.credit_outlook  # warm the models' and views' caches
        self.create_invoice(self.customer, 100.0, due_days=10)
        self.count_outlook_queries(order)
        few = self.count_outlook_queries(order)
        for days in (20, 30, 40, 50):
            self.create_invoice(self.customer, 100.0, due_days=days)
        self.create_order(self.customer, 300.0).sudo(
            self.user_sales).action_confirm()
        self.count_outlook_queries(order)
        self.assertEqual(self.count_outlook_queries(order), few)
        # the three exposure aggregates, the six company-dependent profile
        # fields (ir.property: two or three queries each) and the read's
        # access checks
        self.assertLessEqual(few, 28)
        self.assertEqual(order.credit_outlook, "fits")
