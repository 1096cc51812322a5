# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class CreditCollectionLog(models.Model):
    _inherit = "credit.collection.log"

    @api.model
    def _cron_followup(self, date=None, company_ids=None, commit=True):
        return super(CreditCollectionLog, self.with_context(
            credit_cron_queue=self._credit_queue_enabled(commit)
        ))._cron_followup(date=date, company_ids=company_ids, commit=commit)

    @api.model
    def _credit_queue_batch(self, company, date, partner_ids):
        """The batch's aging and current levels read again when it runs: a
        level already reached is not repeated."""
        stats = {"actions": 0, "failed": [], "skipped": 0}
        policy = company.credit_policy_id
        if not policy or not policy.followup_level_ids:
            return stats
        aging = self.env["credit.aging"]._compute_rows(company, date,
                                                       partner_ids)
        current = self._get_current_levels(company)
        self._followup_batch(company, policy, partner_ids, aging, current,
                             date, stats)
        return stats
