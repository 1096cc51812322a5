"""Harness for the end-to-end tests: a real Odoo server, its database, and
headless Chromium driven through Selenium.

Nothing here imports Odoo: the tests talk to the server over HTTP (the web
client in the browser, XML-RPC for the set-up data) exactly as a person and
an integration would.
"""
import atexit
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import xmlrpc.client

import psycopg2

from ports import listening_pid  # scripts/, on PYTHONPATH

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# the checkout whose bin/odoo (and so whose addon) is served; another one for development
ODOO_ROOT = os.environ.get("E2E_ODOO_ROOT", ROOT)
ADMIN_LOGIN = "admin"
ADMIN_PASSWORD = "admin"


def log(message):
    print("[e2e] %s" % message, flush=True)


# ---------------------------------------------------------------- processes
_STARTED = []  # process groups started by this run, killed at exit at the latest


def _kill_group(proc, timeout=15):
    """Stop ``proc`` and every process of its group (SIGTERM, then SIGKILL)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # stragglers of the group, if any
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        pass
    if proc in _STARTED:
        _STARTED.remove(proc)


@atexit.register
def _kill_all():
    for proc in list(_STARTED):
        _kill_group(proc, timeout=5)


def stop_group(proc):
    _kill_group(proc, timeout=5)


def track_group(proc):
    """Kill ``proc``'s process group at exit at the latest."""
    _STARTED.append(proc)


def _on_sigterm(signum, frame):
    """A run stopped from outside (CI timeout, kill) still stops what it started."""
    _kill_all()
    os._exit(128 + signum)


signal.signal(signal.SIGTERM, _on_sigterm)


def start_process(args, logfile, **kwargs):
    """Start ``args`` in its own process group, output to ``logfile``."""
    out = open(logfile, "ab")
    proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, cwd=ROOT,
                            start_new_session=True, **kwargs)
    out.close()
    _STARTED.append(proc)
    return proc


def tail(path, lines=40):
    try:
        with open(path, "rb") as handle:
            return b"".join(handle.readlines()[-lines:]).decode("utf-8", "replace")
    except OSError:
        return ""


def read_from(path, offset):
    """The bytes written to ``path`` after ``offset`` (b"" when it is absent)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(offset)
            return handle.read()
    except OSError:
        return b""


def free_port(ports=None):
    """A free TCP port on 127.0.0.1: the first free one of ``ports`` (e.g.
    "8150-8159") when given, else one the system picks."""
    candidates = [0]
    if ports:
        low, _sep, high = ports.partition("-")
        candidates = list(range(int(low), int(high or low) + 1))
    for port in candidates:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Odoo does
        try:
            sock.bind(("127.0.0.1", port))
            return sock.getsockname()[1]
        except OSError:
            continue
        finally:
            sock.close()
    raise RuntimeError("no free port in %s" % ports)


# ---------------------------------------------------------------- database
class OdooDatabase:
    """A fresh database with the addon installed, no demo data."""

    def __init__(self, name, artifacts):
        self.name = name
        self.artifacts = artifacts
        self.data_dir = os.path.join(ROOT, "var", "e2e-data")

    def odoo_args(self):
        return [os.path.join(ODOO_ROOT, "bin", "odoo"), "-d", self.name,
                "--data-dir", self.data_dir, "--without-demo=all"]

    def drop(self):
        conn = psycopg2.connect(dbname="postgres")
        conn.autocommit = True
        try:
            with conn.cursor() as cr:
                cr.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = %s AND pid <> pg_backend_pid()", (self.name,))
                cr.execute('DROP DATABASE IF EXISTS "%s"' % self.name)
        finally:
            conn.close()
        shutil.rmtree(os.path.join(self.data_dir, "filestore", self.name),
                      ignore_errors=True)

    def installed(self):
        """True when the database exists with credit_management installed."""
        try:
            conn = psycopg2.connect(dbname=self.name)
        except psycopg2.OperationalError:
            return False
        try:
            with conn.cursor() as cr:
                cr.execute("SELECT state FROM ir_module_module WHERE name = 'credit_management'")
                row = cr.fetchone()
                return bool(row and row[0] == "installed")
        except psycopg2.Error:
            return False
        finally:
            conn.close()

    def copy_from(self, template):
        """Re-create the database as a copy of ``template`` (development: a
        pristine database installed once, copied in seconds for each run)."""
        self.drop()
        conn = psycopg2.connect(dbname="postgres")
        conn.autocommit = True
        try:
            with conn.cursor() as cr:
                cr.execute('CREATE DATABASE "%s" TEMPLATE "%s"' % (self.name, template))
        finally:
            conn.close()
        source = os.path.join(self.data_dir, "filestore", template)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(self.data_dir, "filestore", self.name))
        log("database %s copied from %s" % (self.name, template))

    def create(self, languages=()):
        """Drop and re-create the database with credit_management installed."""
        self.drop()
        logfile = os.path.join(self.artifacts, "odoo-install.log")
        args = self.odoo_args() + ["-i", "credit_management", "--stop-after-init",
                                   "--log-level=warn", "--logfile", logfile]
        if languages:
            args.append("--load-language=%s" % ",".join(languages))
        started = time.time()
        log("installing credit_management in a fresh database %s" % self.name)
        proc = start_process(args, os.path.join(self.artifacts, "odoo-install.out"))
        try:
            rc = proc.wait(600)
        finally:
            _kill_group(proc)
        if rc != 0:
            raise RuntimeError("installing the addon failed (exit %s):\n%s"
                               % (rc, tail(logfile)))
        log("database ready in %.0f s" % (time.time() - started))


# ---------------------------------------------------------------- server
class OdooServer:
    """bin/odoo serving one database on 127.0.0.1:port (threaded, no cron)."""

    def __init__(self, database, port):
        self.database = database
        self.port = port
        self.url = "http://127.0.0.1:%d" % port
        self.logfile = os.path.join(database.artifacts, "odoo-server.log")
        self.proc = None

    def start(self, timeout=120, tries=5):
        """Start Odoo and wait until it answers on its port. Another process
        may take the chosen port between the choice and the bind (or hold it
        already): then this server does not own the listening socket, and it
        is restarted on another free port."""
        for attempt in range(tries):
            if attempt:
                self.port = free_port()
                self.url = "http://127.0.0.1:%d" % self.port
            if self._start_once(timeout):
                return self
            log("port %d was taken by another process; trying another one" % self.port)
            self.stop()
        raise RuntimeError("Odoo could not listen on a free port in %d tries" % tries)

    def _start_once(self, timeout):
        args = self.database.odoo_args() + [
            "--db-filter", "^%s$" % self.database.name,
            "--http-interface", "127.0.0.1", "--http-port", str(self.port),
            "--workers", "0", "--max-cron-threads", "0",
            "--log-level", "info", "--logfile", self.logfile,
        ]
        log("starting Odoo on %s (log: %s)" % (self.url, self.logfile))
        logs = [self.logfile, self.logfile + ".out"]
        offsets = [os.path.getsize(path) if os.path.exists(path) else 0 for path in logs]
        self.proc = start_process(args, self.logfile + ".out")
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("Odoo exited (%s) while starting:\n%s"
                                   % (self.proc.returncode, tail(self.logfile)))
            if any(b"Address already in use" in read_from(path, offset)
                   for path, offset in zip(logs, offsets)):
                return False
            if listening_pid(self.port) == self.proc.pid:
                try:
                    with urllib.request.urlopen(self.url + "/web/login", timeout=10) as resp:
                        if resp.status == 200:
                            return True
                except OSError:
                    pass
            time.sleep(0.5)  # polling a starting server, not waiting for the UI
        raise RuntimeError("Odoo did not answer on %s within %d s:\n%s"
                           % (self.url, timeout, tail(self.logfile)))

    def stop(self):
        if self.proc is not None:
            _kill_group(self.proc)
            self.proc = None

    # ------------------------------------------------------------ XML-RPC
    def rpc(self, login=ADMIN_LOGIN, password=ADMIN_PASSWORD):
        return Rpc(self.url, self.database.name, login, password)


class Rpc:
    """A tiny XML-RPC client: ``rpc(model, method, *args, **kwargs)``."""

    def __init__(self, url, db, login, password):
        self.db = db
        self.password = password
        common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(db, login, password, {})
        if not self.uid:
            raise RuntimeError("cannot log in as %s over XML-RPC" % login)
        self.models = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method,
                                      list(args), kwargs)

    def ref(self, xmlid):
        return self("ir.model.data", "xmlid_to_res_id", xmlid, True)
