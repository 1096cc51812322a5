# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..queries import receivable
from .credit_followup_level import CHANNELS

_logger = logging.getLogger(__name__)

LOG_CHANNELS = CHANNELS + [("visit", "Visit"), ("system", "System")]


class CreditCollectionLog(models.Model):
    """One collection action (催收记录): who, when, how, what came of it.

    The follow-up cron writes one line per automatic action (e-mail sent,
    call planned, legal hand-over, hold) and a 'resolved' line when
    nothing is overdue any more; controllers log calls, visits and
    promises to pay by hand.
    """

    _name = "credit.collection.log"
    _description = "Collection Log"
    _inherit = ["credit.cron.mixin"]
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True,
        ondelete="cascade", domain=[("parent_id", "=", False)])
    company_id = fields.Many2one(
        "res.company", required=True, index=True,
        default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=True)
    date = fields.Date(required=True, default=fields.Date.context_today,
                       index=True)
    level_id = fields.Many2one("credit.followup.level", "Level",
                               ondelete="restrict")
    channel = fields.Selection(LOG_CHANNELS, required=True, default="call")
    contact_id = fields.Many2one(
        "res.partner", "Contact",
        help="Person reached at the customer.")
    user_id = fields.Many2one(
        "res.users", "By", default=lambda self: self.env.user)
    result = fields.Text()
    promise_date = fields.Date("Promised Payment Date")
    promise_amount = fields.Monetary("Promised Amount")
    promise_state = fields.Selection(
        [("none", "No promise"), ("open", "Open"), ("kept", "Kept"),
         ("broken", "Broken")], compute="_compute_promise_state",
        store=True, readonly=False)
    overdue_amount = fields.Monetary(readonly=True)
    overdue_days = fields.Integer(readonly=True)
    automatic = fields.Boolean(readonly=True)
    dossier_id = fields.Many2one(
        "credit.dossier", "Dossier", index=True, readonly=True,
        ondelete="set null")
    mail_id = fields.Many2one("mail.mail", "E-mail", readonly=True)

    @api.depends("promise_date", "promise_amount")
    def _compute_promise_state(self):
        for log in self:
            if not log.promise_date:
                log.promise_state = "none"
            elif log.promise_state in (False, "none"):
                log.promise_state = "open"

    @api.constrains("promise_date", "promise_amount", "date")
    def _check_promise(self):
        for log in self:
            if log.promise_date and log.promise_amount <= 0:
                raise ValidationError(
                    _("A promise to pay needs a positive amount."))
            if log.promise_date and log.promise_date < log.date:
                raise ValidationError(
                    _("The promised payment date cannot be before the "
                      "log date."))

    @api.model
    def create(self, vals):
        log = super().create(vals)
        if log.partner_id.commercial_partner_id != log.partner_id:
            log.partner_id = log.partner_id.commercial_partner_id
        log.dossier_id = log._get_dossier()
        return log

    def _get_dossier(self):
        return self.env["credit.dossier"].sudo()._find(
            self.partner_id, self.company_id)

    @api.multi
    def unlink(self):
        if not self.env.user.has_group(
                "credit_management.group_credit_manager"):
            raise UserError(_("Collection logs are kept: only a credit "
                              "manager may delete them."))
        return super().unlink()

    # ------------------------------------------------------------------
    # Promises to pay
    # ------------------------------------------------------------------
    @api.model
    def _get_promise_status(self, company, partner_ids, date):
        """{log id: (partner id, state, promised, paid)} for each partner's
        latest promise: paid = payments booked on the receivable since the
        promise was logged (one query)."""
        if not partner_ids:
            return {}
        self.env.cr.execute(sql.SQL("""
            WITH latest AS (
                SELECT DISTINCT ON (partner_id) id, partner_id, date,
                       promise_date, promise_amount
                  FROM credit_collection_log
                 WHERE company_id = %(company)s
                   AND partner_id IN %(partners)s
                   AND promise_date IS NOT NULL
                 ORDER BY partner_id, date DESC, id DESC
            )
            SELECT latest.id, latest.partner_id, latest.promise_date,
                   latest.promise_amount,
                   COALESCE((
                       SELECT -SUM(l.balance)
                         FROM {items}
                         JOIN res_partner p ON p.id = l.partner_id
                        WHERE p.commercial_partner_id = latest.partner_id
                          AND l.company_id = %(company)s
                          AND l.invoice_id IS NULL AND l.balance < 0
                          AND l.date >= latest.date AND l.date <= %(date)s
                   ), 0)
              FROM latest
        """).format(items=sql.SQL(receivable.posted_receivable_items())),
            {"company": company.id, "partners": tuple(partner_ids),
             "date": date})
        result = {}
        for log_id, pid, promise_date, promised, paid in \
                self.env.cr.fetchall():
            paid = float(paid or 0.0)
            promised = float(promised or 0.0)
            if paid >= promised - company.currency_id.rounding / 2:
                state = "kept"
            elif promise_date < date:
                state = "broken"
            else:
                state = "open"
            result[log_id] = (pid, state, promised, paid,
                              fields.Date.from_string(promise_date))
        return result

    @api.model
    def _get_broken_promises(self, company, partner_ids, date):
        """{partner id: (promise date, promised, paid)} of broken promises."""
        return {pid: (promise_date, promised, paid)
                for pid, state, promised, paid, promise_date
                in self._get_promise_status(company, partner_ids,
                                            date).values()
                if state == "broken"}

    # ------------------------------------------------------------------
    # The follow-up cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_followup(self, date=None, company_ids=None, commit=True):
        """Give every overdue customer its follow-up level, batch by batch.

        Returns {'actions': n, 'failed': [partner ids], 'skipped': n}.
        """
        date = date or fields.Date.context_today(self)
        stats = {"actions": 0, "failed": [], "skipped": 0}
        companies = self.env["res.company"].sudo().search(
            [("id", "in", company_ids)] if company_ids else [])
        for company in companies:
            policy = company.sudo().credit_policy_id
            if not policy or not policy.followup_level_ids:
                continue
            aging = self.env["credit.aging"].sudo()._compute_rows(
                company, date)
            current = self._get_current_levels(company)
            overdue = {pid for pid, row in aging.items()
                       if row["max_days_overdue"] > 0
                       and row["amount_overdue"] > 0}
            candidates = sorted(overdue | set(current))
            stats["skipped"] += self._credit_cron_run_batches(
                "credit.collection", company, date,
                self._credit_cron_batches(candidates),
                lambda batch, company=company, policy=policy, aging=aging,
                current=current: self.sudo()._followup_batch(
                    company, policy, batch, aging, current, date, stats),
                commit)
        return stats

    @api.model
    def _get_current_levels(self, company):
        """{partner id: level id} from the latest automatic log line
        (a 'resolved' line has no level)."""
        self.env.cr.execute("""
            SELECT partner_id, level_id FROM (
                SELECT DISTINCT ON (partner_id) partner_id, level_id
                  FROM credit_collection_log
                 WHERE company_id = %s AND automatic
                 ORDER BY partner_id, date DESC, id DESC
            ) AS latest WHERE level_id IS NOT NULL
        """, (company.id,))
        return dict(self.env.cr.fetchall())
