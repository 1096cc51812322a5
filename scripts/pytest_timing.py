"""Where the time of a test run goes (a pytest plugin, loaded by scripts/test.sh
and scripts/e2e.sh with ``-p pytest_timing``).

At the end of the run it prints the time of each test file, the slowest
tests, and the time spent in tests that start Odoo in processes of their
own (marked ``server``: the two-worker server tests, the demo installs,
every end-to-end test) apart from the in-process ones, so a slow CI run shows
at once what made it slow.
"""
import collections
import os

SERVER_MARK = "server"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "%s: the test starts Odoo in processes of its own (a server "
        "or an install; slow, grouped apart in the timing summary)" % SERVER_MARK)


_TIMING = collections.OrderedDict()  # test id -> seconds, starts a server


def pytest_runtest_logreport(report):
    entry = _TIMING.setdefault(report.nodeid, {"seconds": 0.0, "server": False})
    entry["seconds"] += report.duration
    if SERVER_MARK in report.keywords:
        entry["server"] = True


def pytest_terminal_summary(terminalreporter, config):
    timing = _TIMING
    if not timing:
        return
    write = terminalreporter.write_line
    terminalreporter.section("where the time goes")
    groups = collections.OrderedDict([(True, [0, 0.0]), (False, [0, 0.0])])
    files = collections.defaultdict(lambda: [0, 0.0, False])
    for nodeid, entry in timing.items():
        group = groups[entry["server"]]
        group[0] += 1
        group[1] += entry["seconds"]
        path = nodeid.split("::", 1)[0]
        files[path][0] += 1
        files[path][1] += entry["seconds"]
        files[path][2] = files[path][2] or entry["server"]
    total = sum(group[1] for group in groups.values()) or 1.0
    for server, (count, seconds) in groups.items():
        if count:
            label = "tests starting Odoo processes:" if server \
                else "in-process tests:"
            write("%-34s %4d tests %8.1f s  %3.0f %%" % (
                label, count, seconds, 100.0 * seconds / total))
    write("by file (slowest first; [server] starts Odoo processes):")
    for path, (count, seconds, server) in sorted(
            files.items(), key=lambda item: -item[1][1])[:15]:
        write("  %8.1f s %4d tests  %s%s" % (
            seconds, count, os.path.basename(path), "  [server]" if server else ""))
    write("slowest tests (set-up, call and tear-down together):")
    slowest = sorted(timing.items(), key=lambda item: -item[1]["seconds"])[:10]
    for nodeid, entry in slowest:
        write("  %8.1f s  %s%s" % (
            entry["seconds"], nodeid, "  [server]" if entry["server"] else ""))
