"""Two members of one credit group confirmed at the same moment over RPC
(real server, 2 workers): together beyond the group limit, only one passes.

Holds the group's row lock from the test until both confirmations wait on
it, then lets them race (like tests/test_concurrency.py for one customer).
"""
import threading
import time

import psycopg2

import server_common
from server_common import CALL_TIMEOUT, pg_connect


class TestConcurrentGroupConfirmation(server_common.RealServerCase):

    db_suffix = "group_concurrency"

    def _waiting_backends(self, conn):
        with conn.cursor() as cr:
            cr.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                       "AND wait_event_type = 'Lock'", (self.dbname,))
            return cr.fetchone()[0]

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

        results, errors = {}, []

        def confirm(order_id):
            try:
                results[order_id] = self.call("sale.order", "action_confirm", [order_id])
            except Exception as exc:  # reported by the assertions below
                errors.append(exc)

        # hold the group's row so that both confirmations queue on its lock
        holder = psycopg2.connect(dbname=self.dbname)
        threads = []
        try:
            with holder.cursor() as cr:
                cr.execute("SELECT id FROM credit_group WHERE id = %s FOR UPDATE",
                           (group,))
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
