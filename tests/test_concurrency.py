"""Two orders of one customer confirmed at the same moment over RPC (real server).

Starts its own Odoo server (2 workers) on a copy of the test database, holds
the customer's row lock from the test until both confirmations wait on it,
then lets them race: exactly one may pass when together they exceed the
limit. Everything started here is stopped, also on failure, within bounded
time.
"""
import server_common


class TestConcurrentConfirmation(server_common.RealServerCase):
    """Real server, two workers, two simultaneous confirmations."""

    db_suffix = "concurrency"

    # ------------------------------------------------------------------
    def test_two_simultaneous_orders_only_one_passes(self):
        """Two orders confirmed at once, together over the limit: exactly one passes."""
        self.assertTrue(self.uid)
        policy = self.call("credit.policy", "search", [])
        self.call("credit.policy", "write", policy, {"check_mode": "block"})
        customer = self.call("res.partner", "create", {
            "name": "Race Customer", "is_company": True, "customer": True,
            "credit_limit": 10000.0})
        product = self.call("product.product", "create", {
            "name": "Race Widget", "type": "consu", "list_price": 6000.0})
        line = {"product_id": product, "product_uom_qty": 1, "price_unit": 6000.0,
                "tax_id": [(6, 0, [])]}
        orders = [self.call("sale.order", "create", {
            "partner_id": customer, "order_line": [(0, 0, line)]}) for _i in range(2)]

        both_waited, errors = self.confirm_together(orders, "res_partner", customer)

        self.assertTrue(both_waited, "the two confirmations did not run concurrently")
        self.assertFalse(errors, errors)
        states = self.call("sale.order", "read", orders, ["state", "credit_state"])
        confirmed = [s for s in states if s["state"] == "sale"]
        held = [s for s in states if s["state"] == "draft"]
        self.assertEqual(len(confirmed), 1, states)
        self.assertEqual(len(held), 1, states)
        self.assertEqual(confirmed[0]["credit_state"], "passed")
        self.assertEqual(held[0]["credit_state"], "blocked")
        checks = self.call("credit.check", "search_read",
                           [("partner_id", "=", customer)],
                           fields=["result", "exposure_amount", "order_amount"])
        self.assertEqual(sorted(c["result"] for c in checks), ["blocked", "passed"])
        blocked = [c for c in checks if c["result"] == "blocked"][0]
        self.assertAlmostEqual(blocked["exposure_amount"], 6000.0)
