"""Two orders of one customer confirmed at the same moment over RPC (real server).

Starts its own Odoo server (2 workers) on a copy of the test database, holds
the customer's row lock from the test until both confirmations wait on it,
then lets them race: exactly one may pass when together they exceed the
limit. Everything started here is stopped, also on failure, within bounded
time.
"""
import os
import signal
import socket
import subprocess
import threading
import time
import unittest
import xmlrpc.client

import psycopg2
import pytest

import odoo
from odoo.tools import config

pytestmark = pytest.mark.server  # starts a real Odoo server (timing summary)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORTS = range(8120, 8130, 2)  # this helper's range; http and longpolling
START_TIMEOUT = 180
CALL_TIMEOUT = 120


class TimeoutTransport(xmlrpc.client.Transport):

    def make_connection(self, host):
        conn = super().make_connection(host)
        conn.timeout = CALL_TIMEOUT
        return conn


def _free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _pg(dbname="postgres"):
    conn = psycopg2.connect(dbname=dbname)
    conn.autocommit = True
    return conn


class TestConcurrentConfirmation(unittest.TestCase):
    """Real server, two workers, two simultaneous confirmations."""

    server = None
    dbname = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        source = config["db_name"]
        cls.dbname = "%s_concurrency" % source
        try:
            cls._create_db(source)
            cls._start_server()
        except Exception:
            cls._cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        cls._cleanup()
        super().tearDownClass()

    # ------------------------------------------------------------------
    @classmethod
    def _drop_db(cls):
        with _pg() as conn, conn.cursor() as cr:
            cr.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = %s AND pid <> pg_backend_pid()", (cls.dbname,))
            cr.execute('DROP DATABASE IF EXISTS "%s"' % cls.dbname)

    @classmethod
    def _create_db(cls, source):
        cls._drop_db()
        odoo.sql_db.close_db(source)  # a template must have no open sessions
        with _pg() as conn, conn.cursor() as cr:
            cr.execute('CREATE DATABASE "%s" TEMPLATE "%s"' % (cls.dbname, source))

    @classmethod
    def _start_server(cls, tries=5):
        """Start a 2-worker server on a free port of PORTS. The prefork server
        exits when its port was taken meanwhile: then the next port is tried."""
        cls.logfile = os.path.join(ROOT, "var", "%s.log" % cls.dbname)
        os.makedirs(os.path.dirname(cls.logfile), exist_ok=True)
        for _attempt in range(tries):
            port = next((p for p in PORTS if _free(p) and _free(p + 1)), None)
            if port is None:
                raise RuntimeError("no free port in 8120-8129")
            if cls._start_on(port):
                return
        raise RuntimeError("the Odoo server could not take a free port; see %s"
                           % cls.logfile)

    @classmethod
    def _start_on(cls, port):
        cls.url = "http://127.0.0.1:%d" % port
        cls.server = subprocess.Popen(
            [os.path.join(ROOT, "bin", "odoo"), "-d", cls.dbname,
             "--db-filter", "^%s$" % cls.dbname, "--workers", "2",
             "--max-cron-threads", "0", "--http-port", str(port),
             "--longpolling-port", str(port + 1), "--http-interface", "127.0.0.1",
             "--logfile", cls.logfile, "--log-level", "info"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        deadline = time.time() + START_TIMEOUT
        while time.time() < deadline:
            if cls.server.poll() is not None:
                cls.server = None
                if not (_free(port) and _free(port + 1)):
                    return False  # another process took the port meanwhile
                raise RuntimeError("the Odoo server stopped; see %s" % cls.logfile)
            try:
                proxy = cls.proxy("common")
                proxy.version()
                # the answer comes from this server: it serves only our database
                if proxy.authenticate(cls.dbname, "admin", "admin", {}):
                    return True
            except (OSError, xmlrpc.client.Error):
                pass
            time.sleep(0.5)
        raise RuntimeError("the Odoo server did not answer in %ss" % START_TIMEOUT)

    @classmethod
    def _cleanup(cls):
        if cls.server is not None:
            try:
                os.killpg(cls.server.pid, signal.SIGTERM)
                cls.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(cls.server.pid, signal.SIGKILL)
                cls.server.wait(timeout=30)
            except ProcessLookupError:
                pass
            cls.server = None
        if cls.dbname:
            cls._drop_db()

    @classmethod
    def proxy(cls, service):
        return xmlrpc.client.ServerProxy(
            "%s/xmlrpc/2/%s" % (cls.url, service), transport=TimeoutTransport(),
            allow_none=True)

    def call(self, model, method, *args, **kwargs):
        return self.proxy("object").execute_kw(
            self.dbname, self.uid, "admin", model, method, list(args), kwargs)

    # ------------------------------------------------------------------
    def _waiting_backends(self, conn):
        with conn.cursor() as cr:
            cr.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                       "AND wait_event_type = 'Lock'", (self.dbname,))
            return cr.fetchone()[0]

    def test_two_simultaneous_orders_only_one_passes(self):
        """Two orders confirmed at once, together over the limit: exactly one passes."""
        self.uid = self.proxy("common").authenticate(self.dbname, "admin", "admin", {})
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
                watcher = _pg(self.dbname)
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
