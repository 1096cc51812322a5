# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import sql

from odoo import api, models

from odoo.addons.credit_management.queries.receivable import \
    posted_receivable_items


class CreditAging(models.Model):
    _inherit = "credit.aging"

    @api.model
    def _cron_compute(self, date=None, company_ids=None, commit=True):
        return super(CreditAging, self.with_context(
            credit_cron_queue=self._credit_queue_enabled(commit)
        ))._cron_compute(date=date, company_ids=company_ids, commit=commit)

    @api.model
    def _credit_cron_run_batches(self, key, company, date, batches,
                                 run_batch, commit=True):
        skipped = super(CreditAging, self)._credit_cron_run_batches(
            key, company, date, batches, run_batch, commit=commit)
        if self.env.context.get("credit_cron_queue"):
            # thinning drops old days only, whatever today's batches do:
            # once per company, here
            self.sudo()._thin_snapshots(company, date)
            self._credit_cron_commit(commit)
        return skipped

    @api.model
    def _credit_queue_split(self, key, company, date, batches):
        """Queued, the aging is split by customers too (the query takes
        partner ids): every commercial partner with a receivable item on
        or before ``date``, or a snapshot of that day (deleted by its batch
        when nothing is open any more)."""
        self.env.cr.execute(sql.SQL("""
            SELECT DISTINCT p.commercial_partner_id
              FROM {items}
              JOIN res_partner p ON p.id = l.partner_id
             WHERE l.company_id = %(company)s AND l.date <= %(date)s
            UNION
            SELECT partner_id FROM credit_aging
             WHERE company_id = %(company)s AND date = %(date)s
            ORDER BY 1
        """).format(items=sql.SQL(posted_receivable_items())),
            {"company": company.id, "date": date})
        return list(self._credit_cron_batches(
            [row[0] for row in self.env.cr.fetchall()]))

    @api.model
    def _credit_queue_batch(self, company, date, partner_ids):
        return {"rows": self._write_snapshots(company, date, partner_ids),
                "failed": []}
