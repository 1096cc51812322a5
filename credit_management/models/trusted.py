# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A per-thread marker for the addon's own writes.

Context keys come from the client and cannot be trusted to skip a check;
this marker lives in the server thread only, so RPC callers cannot set it.
"""
import threading
from contextlib import contextmanager

_state = threading.local()


@contextmanager
def credit_trusted():
    """Run the block as the addon's own code (check, decision, release)."""
    depth = getattr(_state, "depth", 0)
    _state.depth = depth + 1
    try:
        yield
    finally:
        _state.depth = depth


def is_trusted():
    return getattr(_state, "depth", 0) > 0


@contextmanager
def credit_released(records):
    """Confirm ``records`` (orders or invoices) without a new check: they
    were released by a decision, in this thread only."""
    released = getattr(_state, "released", set())
    keys = {(rec._name, rec.id) for rec in records}
    _state.released = released | keys
    try:
        with credit_trusted():
            yield
    finally:
        _state.released = released


def is_released(record):
    return (record._name, record.id) in getattr(_state, "released", set())
