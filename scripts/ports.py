"""Who owns a listening TCP port, read from /proc (Linux).

The test servers (tests/server_common.py, e2e/harness.py) start Odoo on a
port that was free a moment earlier; another process may take it
meanwhile. Answering requests proves nothing (any Odoo on the machine
answers XML-RPC for any database of the cluster): the socket's owner does.
"""
import os


def listening_pid(port):
    """The process listening on 127.0.0.1:``port`` (or any address), read from
    /proc: the owner of the socket, not merely somebody answering there."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as handle:
                next(handle)
                for line in handle:
                    fields = line.split()
                    local, state, inode = fields[1], fields[3], fields[9]
                    if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                        inodes.add("socket:[%s]" % inode)
        except OSError:
            continue
    if not inodes:
        return None
    for pid in filter(str.isdigit, os.listdir("/proc")):
        fd_dir = "/proc/%s/fd" % pid
        try:
            for fd in os.listdir(fd_dir):
                if os.readlink(os.path.join(fd_dir, fd)) in inodes:
                    return int(pid)
        except OSError:
            continue
    return None


def owned_by_session(port, session_id):
    """Whether the process listening on ``port`` belongs to the session
    ``session_id`` (a server started with start_new_session=True: its
    master and workers share the session of the master's pid)."""
    pid = listening_pid(port)
    if pid is None:
        return False
    try:
        return os.getsid(pid) == session_id
    except OSError:
        return False
