# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The credit crons' batches as queue jobs (OCA queue_job)."""
import hashlib
import logging

from psycopg2 import OperationalError

from odoo import api, models
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import job

_logger = logging.getLogger(__name__)

CHANNEL = "root.credit"
# a batch another worker holds is tried again after this many seconds
LOCK_RETRY_SECONDS = 30
# transient database errors (serialization failure, deadlock, lock wait):
# retry count -> seconds before the next try
RETRY_PATTERN = {1: 10, 3: 60, 5: 300}
# a job whose prerequisites are unfinished looks again after this long
WAIT_SECONDS = 10
UNFINISHED = ("pending", "enqueued", "started")


class CreditCronMixin(models.AbstractModel):
    """When queue_job is installed, a cron run enqueues one job per company
    and batch (``_credit_cron_run_batches``) instead of running them: every
    job runner of every server shares the work. The job re-reads what its
    batch needs, takes the batch's advisory lock (the same as the inline
    path: a batch never runs twice at once), and is idempotent."""

    _inherit = "credit.cron.mixin"

    # the jobs whose batches of the same company and day must be finished
    # before a batch of this one runs (the warnings read the day's aging)
    _credit_queue_waits_for = ()

    @api.model
    def _credit_queue_enabled(self, commit=True):
        """Whether this cron run enqueues its batches: a run that commits
        (the scheduler's), unless the caller says (context key
        ``credit_cron_queue``); a run that does not commit (a button, a
        test) stays inline."""
        queue = self.env.context.get("credit_cron_queue")
        if queue is None:
            queue = self._credit_cron_may_commit(commit)
        return bool(queue)

    @api.model
    def _credit_cron_run_batches(self, key, company, date, batches,
                                 run_batch, commit=True):
        if not self.env.context.get("credit_cron_queue"):
            return super(CreditCronMixin, self)._credit_cron_run_batches(
                key, company, date, batches, run_batch, commit=commit)
        for batch in self._credit_queue_split(key, company, date, batches):
            self._credit_queue_enqueue(key, company, date, batch)
        self._credit_cron_commit(commit)
        return 0

    @api.model
    def _credit_queue_split(self, key, company, date, batches):
        """The batches of partner ids to enqueue (a batch of ``None``, the
        whole company, is split by the model that uses it)."""
        return [list(batch) for batch in batches if batch]

    @api.model
    def _credit_queue_identity(self, key, company, date, batch):
        """The identity of a batch's job: enqueuing the same batch again
        while it waits adds nothing."""
        digest = hashlib.sha1(",".join(
            str(pid) for pid in batch).encode()).hexdigest()[:16]
        return "%s:%s:%s:%s-%s:%s" % (key, company.id, date, batch[0],
                                      batch[-1], digest)

    @api.model
    def _credit_queue_enqueue(self, key, company, date, batch):
        """Enqueue the job of one batch (on the company's queue.job)."""
        return self.with_context(company_id=company.id).with_delay(
            channel=CHANNEL,
            identity_key=self._credit_queue_identity(key, company, date,
                                                     batch),
        )._credit_queue_run_batch(key, company.id, date, list(batch))

    @job(default_channel=CHANNEL, retry_pattern=RETRY_PATTERN)
    @api.model
    def _credit_queue_run_batch(self, key, company_id, date, partner_ids):
        """Credit job: one batch of customers"""
        company = self.env["res.company"].sudo().browse(company_id).exists()
        if not company or not partner_ids:
            return {}
        waits = self._credit_queue_unfinished(self._credit_queue_waits_for,
                                              company.ids, date)
        if waits:
            raise RetryableJobError(
                "%s: %s batches of %s of company %s to finish first"
                % (key, waits, date, company.id),
                seconds=WAIT_SECONDS, ignore_retry=True)
        if not self._credit_cron_lock(key, company.id, date, partner_ids[0]):
            raise RetryableJobError(
                "%s: batch %s of company %s is held by another worker"
                % (key, partner_ids[0], company.id),
                seconds=LOCK_RETRY_SECONDS, ignore_retry=True)
        identity = self._credit_queue_identity(key, company, date,
                                               partner_ids)
        _logger.info("credit batch started: %s", identity)
        try:
            result = self.sudo().with_context(
                force_company=company.id)._credit_queue_batch(
                    company, date, partner_ids)
        except OperationalError as err:
            _logger.warning("%s: batch %s of company %s will be retried: %s",
                            key, partner_ids[0], company.id, err)
            raise RetryableJobError(str(err))
        if result and result.get("failed"):
            _logger.warning("%s: company %s, customers %s failed and were "
                            "skipped", key, company.id, result["failed"])
        _logger.info("credit batch done: %s", identity)
        return result

    @api.model
    def _credit_queue_unfinished(self, keys, company_ids, date):
        """How many batch jobs of ``keys`` (jobs), of the companies (all
        when empty) and ``date``, are neither done nor failed."""
        patterns = ["%s:%s:%s:%%" % (key, company_id, date)
                    for key in keys for company_id in company_ids] if \
            company_ids else ["%s:%%:%s:%%" % (key, date) for key in keys]
        if not patterns:
            return 0
        domain = [("method_name", "=", "_credit_queue_run_batch"),
                  ("state", "in", UNFINISHED)]
        domain += ["|"] * (len(patterns) - 1) + [
            ("identity_key", "=like", pattern) for pattern in patterns]
        return self.env["queue.job"].sudo().search_count(domain)

    @api.model
    def _credit_queue_batch(self, company, date, partner_ids):
        """Run one batch from scratch (what it needs read again); returns
        its stats, ``failed`` listing the customers skipped."""
        raise NotImplementedError(
            "%s has no queued batches" % self._name)
