# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""credit.warning: the job. The cron evaluates every candidate customer,
batch by batch: facts gathered in a few queries (queries/warning.py), the
rules applied (domain/risk_warnings.py), the warnings kept in line
(credit_warning_sync.py).
"""
from datetime import timedelta

from odoo import _, api, fields, models

from ..domain import exposure as exposure_domain
from ..domain import risk_warnings as warning_domain
from ..queries import warning as warning_queries


class CreditWarning(models.Model):
    _inherit = "credit.warning"

    # ------------------------------------------------------------------
    # The cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_evaluate(self, date=None, company_ids=None, partner_ids=None,
                       commit=True):
        """Evaluate every candidate customer, batch by batch.

        Returns {'processed': n, 'failed': [partner ids], 'skipped': n}.
        """
        date = date or fields.Date.context_today(self)
        stats = {"processed": 0, "failed": [], "skipped": 0}
        companies = self.env["res.company"].sudo().search(
            [("id", "in", company_ids)] if company_ids else [])
        for company in companies:
            policy = company.sudo().credit_policy_id
            if not policy:
                continue
            candidates = self._get_candidate_partner_ids(company, date)
            if partner_ids is not None:
                candidates = [p for p in candidates if p in partner_ids]
            aging = None
            if len(candidates) > self._credit_cron_batch_size:
                # one aging statement for the company instead of one a batch
                aging = self.env["credit.aging"]._compute_rows(company, date)
            stats["skipped"] += self._credit_cron_run_batches(
                "credit.warning", company, date,
                self._credit_cron_batches(candidates),
                lambda batch, company=company, policy=policy, aging=aging:
                self.sudo()._evaluate_batch(company, policy, batch, date,
                                            stats, aging=aging), commit)
        if partner_ids is None:
            self.sudo()._cron_evaluate_portfolio(date, company_ids)
            self._credit_cron_commit(commit)
        return stats

    @api.model
    def _cron_evaluate_portfolio(self, date, company_ids):
        """What a full run does beyond the customers (groups, escalation:
        see the extensions); nothing here."""

    @api.model
    def _get_candidate_partner_ids(self, company, date):
        """Commercial partners worth a look, ascending ids (one query)."""
        window = company.credit_policy_id.warning_trend_window_days or 30
        return warning_queries.candidate_partner_ids(
            self.env.cr, company.id, date, window)

    @api.model
    def _get_thresholds(self, policy):
        levels = []
        for part in (policy.warning_overdue_days_levels or "").split(","):
            part = part.strip()
            if part.isdigit():
                levels.append(int(part))
        return warning_domain.Thresholds(
            usage_warning_percent=policy.warning_usage_percent,
            overdue_amount=policy.warning_overdue_amount,
            overdue_days_levels=tuple(sorted(levels)),
            temp_limit_days=policy.warning_temp_limit_days,
            dso_worsening_days=policy.warning_dso_worsening_days,
            late_rising_days=policy.warning_late_rising_days,
            overdue_growth_count=policy.warning_overdue_growth_count,
        )

    @api.model
    def _evaluate_batch(self, company, policy, partner_ids, date, stats,
                        aging=None):
        """Three passes over a batch: each customer's warnings brought in
        line with its signals (new ones only prepared), the new warnings of
        the whole batch inserted at once, then rewards and penalties for
        the customers that need them. A failing customer is skipped."""
        partners = self.env["res.partner"].browse(partner_ids).with_context(
            force_company=company.id)
        facts = self._gather_facts(company, policy, partners, date, aging)
        rewards = self._get_reward_candidates(company, policy, partners, date)
        thresholds = self._get_thresholds(policy)
        open_warnings = {}
        current = self.search([("partner_id", "in", partner_ids),
                               ("company_id", "=", company.id),
                               ("state", "=", "open")])
        # into the cache, only the columns the sync compares: the first
        # plain access would load all the fields of every open warning
        current.read(self._get_sync_read_fields(), load="_classic_write")
        for warning in current:
            open_warnings.setdefault(warning.partner_id.id, self)
            open_warnings[warning.partner_id.id] |= warning
        run = self._prepare_run(company, policy, partners, date)
        run["pending"] = {}

        def evaluate(partner):
            signals = warning_domain.evaluate(facts[partner.id], thresholds)
            if partner.id in rewards:
                signals.append(rewards[partner.id])
            current = open_warnings.get(partner.id, self.browse())
            self._sync_partner(company, policy, partner, signals, current,
                               facts[partner.id], date, run)

        # pass 1 only reads and plans; the writes follow, grouped
        done = self.env["res.partner"]
        for partner in partners:
            if self._credit_cron_run_one(evaluate, partner, stats["failed"],
                                         savepoint=False):
                done |= partner
        self._refresh_bulk(run["refresh"])

        def apply_changes(partner):
            self.browse(run["close"].get(partner.id, []))._close(
                _("Condition cleared"))
            for warning_id, vals in run["track"].get(partner.id, []):
                self.browse(warning_id).write(vals)

        for partner in done.filtered(
                lambda p: p.id in run["close"] or p.id in run["track"]):
            if not self._credit_cron_run_one(apply_changes, partner,
                                             stats["failed"]):
                done -= partner
                run["pending"].pop(partner.id, None)
        created = self._create_pending(company, date, run)

        def follow_up(partner):
            self._after_sync(company, policy, partner,
                             created.get(partner.id, self.browse()),
                             run["still_open"].get(partner.id, self.browse()))

        for partner in done:
            if not self._needs_follow_up(policy, partner,
                                         run["pending"].get(partner.id, ())):
                stats["processed"] += 1
                continue
            if self._credit_cron_run_one(follow_up, partner, stats["failed"]):
                stats["processed"] += 1

    @api.model
    def _get_sync_read_fields(self):
        """Fields of the open warnings that _sync_partner reads."""
        return ["partner_id", "warning_type", "severity", "message"]

    @api.model
    def _prepare_run(self, company, policy, partners, date):
        """What a batch looks up once instead of once per customer: the
        responsible of each customer and the digests handed out."""
        return {"responsible": self._get_responsible_map(
                    company, policy, partners),
                "digests": {}, "pending": None, "still_open": {},
                "close": {}, "track": {}, "refresh": []}

    @api.model
    def _gather_facts(self, company, policy, partners, date, aging=None):
        """{partner id: domain Facts} for ``partners``: a few SQL queries
        (``aging``: the company's aging rows when already computed)."""
        today = fields.Date.from_string(date)
        # limit, grade and review date of the batch in one query instead of
        # ir.property's reads per field
        partners._credit_prefetch_profile(company)
        exposure = partners._credit_exposure_data(company, date)
        include = {"include_draft_invoices": policy.include_draft_invoices,
                   "include_uninvoiced_orders": policy.include_uninvoiced_orders}
        if aging is None:
            aging = self.env["credit.aging"]._compute_rows(company, date,
                                                           partners.ids)
        history = self._get_snapshot_history(company, policy, partners, date)
        temp_ends = self._get_temp_limit_ends(company, partners, date)
        promises = self.env["credit.collection.log"]._get_broken_promises(
            company, partners.ids, date)
        secured = self.env["credit.collateral"]._credit_secured_amounts(
            partners, company, date)
        result = {}
        for partner in partners:
            row = aging.get(partner.id) or {}
            hist = history.get(partner.id, {})
            result[partner.id] = warning_domain.make_facts(
                today=today,
                limit=partner.credit_limit,
                exposure=exposure_domain.total_exposure(
                    exposure[partner.id], **include),
                overdue_amount=max(float(row.get("amount_overdue") or 0.0),
                                   0.0),
                overdue_days=int(row.get("max_days_overdue") or 0),
                review_date=fields.Date.from_string(
                    partner.credit_review_date)
                if partner.credit_review_date else None,
                temp_limit_end=temp_ends.get(partner.id),
                grade_score=partner.credit_grade_id.min_score
                if partner.credit_grade_id else None,
                best_grade_score=hist.get("best_grade_score"),
                history=hist.get("snapshots", ()),
                broken_promise=promises.get(partner.id),
                secured=secured.get(partner.id, 0.0),
            )
        return result

    @api.model
    def _get_snapshot_history(self, company, policy, partners, date):
        """Snapshots of the trend window per partner, oldest first."""
        window = policy.warning_trend_window_days or 30
        rows = warning_queries.snapshot_history(
            self.env.cr, company.id, partners.ids, date, window)
        result = {}
        for pid, day, overdue, dso, late, score in rows:
            item = result.setdefault(pid, {"snapshots": [],
                                           "best_grade_score": None})
            item["snapshots"].append(warning_domain.Snapshot(
                fields.Date.from_string(day), float(overdue or 0.0),
                float(dso or 0.0), float(late or 0.0)))
            if score is not None and (item["best_grade_score"] is None
                                      or score > item["best_grade_score"]):
                item["best_grade_score"] = score
        return result

    @api.model
    def _get_temp_limit_ends(self, company, partners, date):
        """{partner id: end date of the running temporary limit}."""
        ends = warning_queries.temp_limit_ends(
            self.env.cr, company.id, partners.ids, date)
        return {pid: fields.Date.from_string(end) for pid, end in ends.items()}

    # ------------------------------------------------------------------
    # Rewards
    # ------------------------------------------------------------------
    @api.model
    def _get_reward_candidates(self, company, policy, partners, date):
        """{partner id: Signal} of on-time payers (reward proposals).

        One query: invoices of the last ``reward_months`` months paid late
        (reconciled after due date plus grace), the first invoice date, and
        whether a proposal was made in that period already.
        """
        if not policy.reward_months:
            return {}
        today = fields.Date.from_string(date)
        since = today - timedelta(days=int(policy.reward_months * 30.5))
        rows = warning_queries.late_payments(
            self.env.cr, company.id, partners.ids,
            fields.Date.to_string(since), date, policy.overdue_grace_days)
        recent = set(self.search([
            ("partner_id", "in", partners.ids),
            ("company_id", "=", company.id),
            ("warning_type", "=", "good_payer"),
            ("state", "=", "done"),
            ("date", ">=", fields.Date.to_string(since))]).mapped(
                "partner_id").ids)
        result = {}
        for pid, first_date, invoices, late in rows:
            if pid in recent or not invoices:
                continue
            if warning_domain.paid_on_time(
                    late, 0, fields.Date.from_string(first_date), today,
                    policy.reward_months):
                result[pid] = warning_domain.Signal(
                    "good_payer", "info", invoices, policy.reward_months)
        return result
