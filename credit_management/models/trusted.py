# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addon's one trust mechanism: a per-thread marker set by its own code.

Context keys come from the client and cannot be trusted to skip a check or
to label a change; the user id cannot either (an RPC caller may be the
superuser). This marker lives in the server thread only, is set by the
addon's own methods around their own writes and is gone when the block
ends, so RPC callers cannot set it and code of other modules running
outside these blocks never runs trusted.

Two shapes:

* ``credit_trusted()``: the addon's order and invoice gate runs the block
  (check, decision, release);
* ``credit_trusted_write(records, ...)``: the addon writes ``records`` (and
  nothing else) in the block; for a customer's credit profile it carries
  the change type, reason, origin and deciding user that the history
  records. Writes of other records in the block are not trusted.
"""
import threading
from collections import namedtuple
from contextlib import contextmanager

_state = threading.local()

TrustedWrite = namedtuple(
    "TrustedWrite", "keys change_type reason origin user_id")


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


@contextmanager
def credit_trusted_write(records, change_type="other", reason=None,
                         origin=None, user_id=None):
    """The addon itself writes ``records`` in this block.

    ``change_type``, ``reason``, ``origin`` ('model,id') and ``user_id``
    (who decided) label the history of a credit profile change.
    """
    frames = getattr(_state, "writes", ())
    frame = TrustedWrite(
        frozenset((rec._name, rec.id) for rec in records), change_type,
        reason or False, origin or False, user_id or False)
    _state.writes = frames + (frame,)
    try:
        yield frame
    finally:
        _state.writes = frames


def trusted_write(records):
    """The innermost trusted write covering every record of ``records``
    (None when some record is not covered, or ``records`` is empty)."""
    if not records:
        return None
    keys = {(rec._name, rec.id) for rec in records}
    for frame in reversed(getattr(_state, "writes", ())):
        if keys <= frame.keys:
            return frame
    return None
