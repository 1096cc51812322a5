# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared machinery of the credit crons: batches, commits and locks."""
import logging
import threading
import zlib

from psycopg2.extras import execute_values

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
    def _credit_cron_run_batches(self, key, company, date, batches,
                                 run_batch, commit=True):
        """Run the ``batches`` of ``company`` of the job ``key``: each under
        its advisory lock (skipped when another worker holds it), then
        ``run_batch(batch)`` and a commit. A batch of ``None`` is the whole
        company. Returns the number of records skipped. The one place a
        job's batches are run: credit_management_queue overrides it to
        enqueue one queue job per batch instead."""
        skipped = 0
        for batch in batches:
            parts = (company.id, date) if batch is None else (
                company.id, date, batch[0])
            if not self._credit_cron_lock(key, *parts):
                skipped += len(batch) if batch is not None else 1
                continue
            run_batch(batch)
            self._credit_cron_commit(commit)
            if self._credit_cron_may_commit(commit):
                self.invalidate_cache()  # memory stays one batch's
        return skipped

    @api.model
    def _credit_cron_run_one(self, func, record, errors, savepoint=True):
        """Run ``func(record)`` in a savepoint; log and count a failure.
        Without ``savepoint`` for work that writes nothing (a failure then
        has nothing to undo)."""
        try:
            if savepoint:
                with self.env.cr.savepoint():
                    func(record)
            else:
                func(record)
            return True
        except Exception:  # pylint: disable=broad-except
            _logger.exception("%s: %s %s failed and was skipped",
                              self._name, record._name, record.id)
            errors.append(record.id)
            self.invalidate_cache()
            return False

    @api.model
    def _credit_insert(self, vals_list):
        """Create records of this model from ``vals_list`` in one INSERT,
        with the columns the ORM writes (defaults, audit columns, the stored
        computed columns of ``_credit_insert_extra_vals``); for jobs that
        create thousands of plain records (no mail.thread side effects on
        creation, no translated or related stored fields). Returns them in
        order."""
        if not vals_list:
            return self.browse()
        names = set()
        for vals in vals_list:
            names.update(vals)
        defaults = self.default_get([
            name for name, field in self._fields.items()
            if field.store and field.column_type and not field.compute
            and name not in names and name not in models.MAGIC_COLUMNS])
        rows = []
        for vals in vals_list:
            row = dict(defaults)
            row.update(vals)
            row.update(self._credit_insert_extra_vals(row))
            rows.append(row)
        columns = sorted(set().union(*rows))
        for column in columns:
            field = self._fields[column]
            if not (field.store and field.column_type) or \
                    field.type in ("one2many", "many2many") or field.translate:
                raise ValueError("%s.%s cannot be inserted in bulk"
                                 % (self._name, column))
        values = [
            [self._fields[column].convert_to_column(row.get(column), self)
             for column in columns]
            for row in rows]
        ids = [row[0] for row in self._credit_insert_rows(
            self._table, columns, values, returning=True)]
        self.invalidate_cache()
        return self.browse(ids)

    @api.model
    def _credit_insert_rows(self, table, columns, rows, returning=False):
        """INSERT ``rows`` (tuples of ``columns`` values, in column form)
        into ``table`` in one statement, with the audit columns of the
        current user and time; [(id,)] when ``returning``."""
        if not rows:
            return []
        query = 'INSERT INTO "%s" (%s, create_uid, write_uid, create_date, ' \
            'write_date) VALUES %%s%s' % (
                table, ", ".join('"%s"' % column for column in columns),
                " RETURNING id" if returning else "")
        template = "(%s, %d, %d, (now() at time zone 'UTC'), " \
            "(now() at time zone 'UTC'))" % (
                ", ".join(["%s"] * len(columns)), self.env.uid, self.env.uid)
        result = execute_values(self.env.cr._obj, query, rows,
                                template=template, page_size=1000,
                                fetch=returning)
        self.env.cr.sql_log_count += 1
        return result or []

    @api.model
    def _credit_insert_extra_vals(self, vals):
        """Stored computed columns of a row inserted by _credit_insert."""
        return {}

    @api.model
    def _credit_cron_commit(self, commit):
        if self._credit_cron_may_commit(commit):
            self.env.cr.commit()  # pylint: disable=invalid-commit
