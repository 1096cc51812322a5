# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import job

from .credit_cron_mixin import CHANNEL, WAIT_SECONDS


class CreditWarning(models.Model):
    _inherit = "credit.warning"

    _credit_queue_waits_for = ("credit.aging",)

    @api.model
    def _cron_evaluate(self, date=None, company_ids=None, partner_ids=None,
                       commit=True):
        return super(CreditWarning, self.with_context(
            credit_cron_queue=self._credit_queue_enabled(commit)
        ))._cron_evaluate(date=date, company_ids=company_ids,
                          partner_ids=partner_ids, commit=commit)

    @api.model
    def _cron_evaluate_portfolio(self, date, company_ids):
        """Queued, what a full run does beyond the customers (groups,
        escalation) reads their warnings: a last job, run once every batch
        of the day is finished."""
        if not self.env.context.get("credit_cron_queue"):
            return super(CreditWarning, self)._cron_evaluate_portfolio(
                date, company_ids)
        return self.with_delay(
            channel=CHANNEL, priority=20,
            identity_key="credit.warning.portfolio:%s:%s" % (
                date, ",".join(str(cid) for cid in sorted(company_ids or []))),
        )._credit_queue_portfolio(date, company_ids)

    @job(default_channel=CHANNEL)
    @api.model
    def _credit_queue_portfolio(self, date, company_ids):
        """Credit job: groups and escalation after the day's warnings"""
        if self._credit_queue_unfinished(("credit.aging", "credit.warning"),
                                         company_ids, date):
            raise RetryableJobError(
                "credit.warning: batches of %s still running" % date,
                seconds=WAIT_SECONDS, ignore_retry=True)
        self.sudo()._cron_evaluate_portfolio(date, company_ids)
        return True

    @api.model
    def _credit_queue_batch(self, company, date, partner_ids):
        stats = {"processed": 0, "failed": [], "skipped": 0}
        policy = company.credit_policy_id
        if policy:
            self._evaluate_batch(company, policy, partner_ids, date, stats)
        return stats
