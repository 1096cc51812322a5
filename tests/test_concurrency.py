"""Two orders of one customer confirmed at the same moment over RPC (real server).

Starts its own Odoo server (2 workers) on a copy of the test database, holds
the customer's row lock from the test until both confirmations wait on it,
then lets them race: exactly one may pass when together they exceed the
limit. Everything started here is stopped, also on failure, within bounded
time.
"""
import threading
import time

import psycopg2

import server_common
from server_common import CALL_TIMEOUT, pg_connect


class TestConcurrentConfirmation(server_common.RealServerCase):
    """Real server, two workers, two simultaneous confirmations."""

    db_suffix = "concurrency"

    # ------------------------------------------------------------------
    def _waiting_backends(self, conn):
        with conn.cursor() as cr:
            cr.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                       "AND wait_event_type = 'Lock'", (self.dbname,))
            return cr.fetchone()[0]

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

        results, errors = {}, []

        def confirm(order_id):
            try:
                results[order_id] = self.call("sale.order", "action_confirm", [order_id])
            except Exception as exc:  # reported by the assertions below
                errors.append(exc)

        # hold the customer's row so that both confirmations queue on the lock
        holder = psycopg2.connect(dbname=self.dbname)
        threads = []
        try:
            with holder.cursor() as cr:
                cr.execute("SELECT id FROM res_partner WHERE id = %s FOR UPDATE",
                           (customer,))
                threads = [threading.Thread(target=confirm, args=(oid,), daemon=True)
                           for oid in orders]
                for thread in threads:
                    thread.start()
                watcher = pg_connect(self.dbname)
                try:
                    deadline = time.time() + 60
                    while self._waiting_backends(watcher) < 2 and time.time() < deadline:
                        time.sleep(0.1)
                    both_waited = self._waiting_backends(watcher) >= 2
                finally:
                    watcher.close()
            holder.commit()  # release: both go at the same moment
        finally:
            holder.close()
            for thread in threads:
                thread.join(CALL_TIMEOUT)

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
