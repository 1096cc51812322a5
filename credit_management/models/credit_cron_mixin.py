# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared machinery of the credit crons: batches, commits and locks."""
import logging
import threading
import zlib

from odoo import api, models
from odoo.tools import config

_logger = logging.getLogger(__name__)


class CreditCronMixin(models.AbstractModel):
    """Batches, commit per batch, per-record failure isolation, locks.

    * ``commit``: crons commit after every batch, except under tests
      (``--test-enable``, a testing thread) or when called with
      ``commit=False``.
    * Two workers never process the same batch: each batch takes a
      transaction-level advisory lock and is skipped by whoever does not
      get it (the lock is released by the batch's commit).
    * One failing record is rolled back to a savepoint, logged and
      skipped; the run goes on.
    """

    _name = "credit.cron.mixin"
    _description = "Credit Cron Helpers"

    _credit_cron_batch_size = 500

    @api.model
    def _credit_cron_may_commit(self, commit=True):
        return bool(commit) and not config["test_enable"] \
            and not getattr(threading.currentThread(), "testing", False)

    @api.model
    def _credit_cron_lock(self, key, *parts):
        """Try the advisory lock of ``key`` and ``parts``; True when taken."""
        lock_id = zlib.crc32(("%s:%s" % (key, ":".join(
            str(part) for part in parts))).encode()) & 0x7FFFFFFF
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)",
                            (zlib.crc32(key.encode()) & 0x7FFFFFFF, lock_id))
        return self.env.cr.fetchone()[0]

    @api.model
    def _credit_cron_batches(self, ids, size=None):
        size = size or self._credit_cron_batch_size
        ids = list(ids)
        for start in range(0, len(ids), size):
            yield ids[start:start + size]

    @api.model
    def _credit_cron_run_one(self, func, record, errors):
        """Run ``func(record)`` in a savepoint; log and count a failure."""
        try:
            with self.env.cr.savepoint():
                func(record)
            return True
        except Exception:  # pylint: disable=broad-except
            _logger.exception("%s: %s %s failed and was skipped",
                              self._name, record._name, record.id)
            errors.append(record.id)
            self.invalidate_cache()
            return False

    @api.model
    def _credit_cron_commit(self, commit):
        if self._credit_cron_may_commit(commit):
            self.env.cr.commit()  # pylint: disable=invalid-commit
