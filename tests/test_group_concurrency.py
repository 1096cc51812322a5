"""Two members of one credit group confirmed at the same moment over RPC
(real server, 2 workers): together beyond the group limit, only one passes.

Holds the group's row lock from the test until both confirmations wait on
it, then lets them race (like tests/test_concurrency.py for one customer).
"""
import server_common


class TestConcurrentGroupConfirmation(server_common.RealServerCase):

    db_suffix = "group_concurrency"

    def test_two_members_at_once_only_one_passes(self):
        """Orders of two members confirmed at once, each within its own
        limit, together beyond the group's: exactly one passes."""
        policy = self.call("credit.policy", "search", [])
        self.call("credit.policy", "write", policy, {"check_mode": "block"})
        members = [self.call("res.partner", "create", {
            "name": "Group Race Member %d" % index, "is_company": True,
            "customer": True, "credit_limit": 10000.0}) for index in (1, 2)]
        group = self.call("credit.group", "create", {
            "name": "Race Group", "credit_limit": 10000.0,
            "member_ids": [(0, 0, {"partner_id": pid}) for pid in members]})
        product = self.call("product.product", "create", {
            "name": "Group Race Widget", "type": "consu", "list_price": 6000.0})
        line = {"product_id": product, "product_uom_qty": 1, "price_unit": 6000.0,
                "tax_id": [(6, 0, [])]}
        orders = [self.call("sale.order", "create", {
            "partner_id": pid, "order_line": [(0, 0, line)]}) for pid in members]

        both_waited, errors = self.confirm_together(orders, "credit_group", group)

        self.assertTrue(both_waited, "the two confirmations did not run concurrently")
        self.assertFalse(errors, errors)
        states = self.call("sale.order", "read", orders, ["state", "credit_state"])
        self.assertEqual(sorted(s["state"] for s in states), ["draft", "sale"], states)
        self.assertEqual(sorted(s["credit_state"] for s in states),
                         ["blocked", "passed"], states)
        checks = self.call("credit.check", "search_read",
                           [("group_id", "=", group)],
                           fields=["result", "reason_codes", "group_exposure_amount",
                                   "exposure_amount"])
        self.assertEqual(sorted(c["result"] for c in checks), ["blocked", "passed"])
        blocked = [c for c in checks if c["result"] == "blocked"][0]
        self.assertEqual(blocked["reason_codes"], "group_limit")
        self.assertAlmostEqual(blocked["group_exposure_amount"], 6000.0)
        self.assertAlmostEqual(blocked["exposure_amount"], 0.0)
