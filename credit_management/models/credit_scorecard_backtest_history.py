# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""credit.scorecard.backtest: gathering the history the back-test scores,
as the ledger stood on each date (customers, payment behaviour, overdue
days, write-offs, dossier facts and financial statements)."""
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import fields, models

from ..domain import scorecard as scorecard_domain
from ..queries import payment as payment_queries
from .credit_scorecard_backtest import month_ends


class CreditScorecardBacktest(models.Model):
    _inherit = "credit.scorecard.backtest"

    # ------------------------------------------------------------------
    # Gathering the history
    # ------------------------------------------------------------------
    def _get_today(self):
        return fields.Date.from_string(fields.Date.context_today(self))

    def _get_customers(self, as_of):
        """Commercial partners with a posted receivable debit by ``as_of``."""
        return payment_queries.customers_with_debit(
            self.env.cr, self.company_id.id, as_of)

    def _payment_behaviour_as_of(self, partner_ids, as_of):
        """{partner id: PaymentBehaviour} from what was paid by ``as_of``
        (``res.partner._credit_payment_behaviour`` on the ledger as it
        stood on the date)."""
        return self.env["res.partner"].browse(
            partner_ids)._credit_payment_behaviour(self.company_id, as_of)

    def _overdue_days_as_of(self, as_of, cache):
        """{partner id: days past due of the oldest open item} on a date,
        from the receivable aging as of that date."""
        key = fields.Date.to_string(as_of)
        if key not in cache:
            rows = self.env["credit.aging"].sudo()._compute_rows(
                self.company_id, key)
            cache[key] = {pid: row["max_days_overdue"] or 0
                          for pid, row in rows.items()}
        return cache[key]

    def _write_offs(self, date_from, date_to):
        """{partner id: [write-off dates]} in the window."""
        result = defaultdict(list)
        for rec in self.env["credit.bad.debt"].sudo().search_read(
                [("company_id", "=", self.company_id.id),
                 ("date", ">", fields.Date.to_string(date_from)),
                 ("date", "<=", fields.Date.to_string(date_to))],
                ["partner_id", "date"]):
            partner = self.env["res.partner"].browse(rec["partner_id"][0])
            result[partner.commercial_partner_id.id].append(
                fields.Date.from_string(rec["date"]))
        return result

    def _static_facts(self, partner_ids):
        """{partner id: (dossier, statements newest first)}."""
        dossiers = self.env["credit.dossier"].sudo()._find(
            self.env["res.partner"].browse(partner_ids), self.company_id)
        statements = self.env["credit.financial.statement"].sudo().search(
            [("dossier_id", "in", dossiers.ids)],
            order="fiscal_year desc, id desc")
        by_dossier = defaultdict(list)
        for statement in statements:
            by_dossier[statement.dossier_id.id].append(statement)
        return {d.partner_id.id: (d, by_dossier[d.id]) for d in dossiers}

    @staticmethod
    def _statement_as_of(statements, as_of):
        for statement in statements:
            known = (fields.Date.from_string(statement.date) <= as_of
                     if statement.date else statement.fiscal_year < as_of.year)
            if known:
                return statement
        return None

    def _score_facts(self, as_of, behaviour, overdue_days, static):
        dossier, statements = static or (None, [])
        statement = self._statement_as_of(statements, as_of)
        return scorecard_domain.ScoreFacts(
            today=as_of,
            founding_date=fields.Date.from_string(dossier.founding_date)
            if dossier and dossier.founding_date else None,
            registered_capital=dossier.registered_capital if dossier else 0.0,
            tax_status=dossier.tax_status if dossier else "unknown",
            investigation_verified=bool(dossier and dossier.investigation_verified),
            litigation_count=dossier.litigation_count if dossier else 0,
            statement=statement._get_figures() if statement else None,
            payment=behaviour, overdue_days=overdue_days)

    def _gather_history(self):
        """[(partner id, month-end, {indicator code: value}, bad)] plus the
        number of month-ends whose outcome window is not over yet."""
        self.ensure_one()
        today = self._get_today()
        ends = month_ends(fields.Date.from_string(self.date_from),
                          fields.Date.from_string(self.date_to))
        horizon = min(ends[-1] + relativedelta(months=self.outcome_months),
                      today)
        outcome_ends = month_ends(ends[0] + relativedelta(days=1), horizon)
        aging_cache = {}
        write_offs = self._write_offs(ends[0], horizon) \
            if self.bad_write_off else {}
        # the month-ends a customer was (first) seen bad
        bad_dates = defaultdict(list)
        for end in outcome_ends:
            for pid, days in self._overdue_days_as_of(end, aging_cache).items():
                if days >= self.bad_days:
                    bad_dates[pid].append(end)
        for pid, dates in write_offs.items():
            bad_dates[pid].extend(dates)
        history, partial = [], 0
        for end in ends:
            window_end = end + relativedelta(months=self.outcome_months)
            if window_end > today:
                partial += 1
            partners = self._get_customers(fields.Date.to_string(end))
            if not partners:
                continue
            behaviour = self._payment_behaviour_as_of(
                partners, fields.Date.to_string(end))
            overdue = self._overdue_days_as_of(end, aging_cache)
            static = self._static_facts(partners)
            for pid in partners:
                facts = self._score_facts(end, behaviour[pid],
                                          overdue.get(pid, 0), static.get(pid))
                bad = any(end < d <= window_end for d in bad_dates.get(pid, ()))
                history.append((pid, end, facts, int(bad)))
        return history, partial
