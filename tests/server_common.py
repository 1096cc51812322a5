"""A real Odoo server for tests that need real transactions and XML-RPC.

``RealServerCase`` copies the test database, starts ``bin/odoo`` on the copy
(2 workers, no cron), and stops the server and drops the copy afterwards,
also on failure, within bounded time. Subclasses name their copy with
``db_suffix`` and call the server with ``call`` (admin) or ``call_as``.
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
from ports import owned_by_session  # scripts/, on PYTHONPATH

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


def pg_connect(dbname="postgres"):
    conn = psycopg2.connect(dbname=dbname)
    conn.autocommit = True
    return conn


class RealServerCase(unittest.TestCase):
    """Real server, two workers, on a copy of the test database."""

    pytestmark = pytest.mark.server  # grouped apart in the timing summary

    db_suffix = "server"
    server = None
    dbname = None
    uid = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        source = config["db_name"]
        cls.dbname = "%s_%s" % (source, cls.db_suffix)
        try:
            cls._create_db(source)
            cls._start_server()
            cls.uid = cls.proxy("common").authenticate(
                cls.dbname, "admin", "admin", {})
            cls._setup_data()
        except Exception:
            cls._cleanup()
            raise

    @classmethod
    def _setup_data(cls):
        """The records the tests of the class share, made through RPC on
        the server's database (a failure stops the server and drops the
        database)."""

    @classmethod
    def ref(cls, xml_id):
        return cls.call("ir.model.data", "xmlid_to_res_id", xml_id)

    @classmethod
    def tearDownClass(cls):
        cls._cleanup()
        super().tearDownClass()

    # ------------------------------------------------------------------
    @classmethod
    def _drop_db(cls):
        with pg_connect() as conn, conn.cursor() as cr:
            cr.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = %s AND pid <> pg_backend_pid()", (cls.dbname,))
            cr.execute('DROP DATABASE IF EXISTS "%s"' % cls.dbname)

    @classmethod
    def _create_db(cls, source):
        cls._drop_db()
        odoo.sql_db.close_db(source)  # a template must have no open sessions
        with pg_connect() as conn, conn.cursor() as cr:
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
                # any Odoo of the machine answers for any database: the
                # answer counts only when this server owns the socket
                if not owned_by_session(port, cls.server.pid):
                    if not cls._stop_if_port_taken(port):
                        time.sleep(0.5)
                        continue
                    return False
                if proxy.authenticate(cls.dbname, "admin", "admin", {}):
                    return True
            except (OSError, xmlrpc.client.Error):
                pass
            time.sleep(0.5)
        raise RuntimeError("the Odoo server did not answer in %ss" % START_TIMEOUT)

    @classmethod
    def _stop_if_port_taken(cls, port):
        """Another process owns ``port`` (this server has not bound it, or
        lost the race): stop this server and say so; False while the
        socket has no owner yet."""
        if owned_by_session(port, cls.server.pid) or _free(port):
            return False
        os.killpg(cls.server.pid, signal.SIGTERM)
        cls.server.wait(timeout=30)
        cls.server = None
        return True

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

    @classmethod
    def call_as(cls, uid, password, model, method, *args, **kwargs):
        return cls.proxy("object").execute_kw(
            cls.dbname, uid, password, model, method, list(args), kwargs)

    @classmethod
    def call(cls, model, method, *args, **kwargs):
        """Call as the administrator."""
        return cls.call_as(cls.uid, "admin", model, method, *args, **kwargs)

    # ------------------------------------------------------------------
    def _waiting_backends(self, conn):
        """Connections to this server's database waiting on a lock."""
        with conn.cursor() as cr:
            cr.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                       "AND wait_event_type = 'Lock'", (self.dbname,))
            return cr.fetchone()[0]

    def confirm_together(self, orders, table, row_id):
        """Confirm ``orders`` over RPC at the same moment: the row ``row_id``
        of ``table`` (the lock the checks take) is held until every
        confirmation waits on it, then released. Return (whether they all
        waited, the RPC errors)."""
        errors = []

        def confirm(order_id):
            try:
                self.call("sale.order", "action_confirm", [order_id])
            except Exception as exc:  # reported by the caller's assertions
                errors.append(exc)

        holder = psycopg2.connect(dbname=self.dbname)
        threads = []
        try:
            with holder.cursor() as cr:
                cr.execute("SELECT id FROM %s WHERE id = %%s FOR UPDATE" % table,
                           (row_id,))
                threads = [threading.Thread(target=confirm, args=(oid,), daemon=True)
                           for oid in orders]
                for thread in threads:
                    thread.start()
                watcher = pg_connect(self.dbname)
                try:
                    deadline = time.time() + 60
                    while (self._waiting_backends(watcher) < len(orders)
                           and time.time() < deadline):
                        time.sleep(0.1)
                    all_waited = self._waiting_backends(watcher) >= len(orders)
                finally:
                    watcher.close()
            holder.commit()  # release: all go at the same moment
        finally:
            holder.close()
            for thread in threads:
                thread.join(CALL_TIMEOUT)
        return all_waited, errors
