# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from psycopg2.extras import execute_values

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round

from ..domain import exposure as exposure_domain
from ..domain import risk_warnings as warning_domain

_logger = logging.getLogger(__name__)

WARNING_TYPES = [
    ("limit_usage", "Limit usage high"),
    ("limit_exceeded", "Limit exceeded"),
    ("overdue_amount", "Overdue amount"),
    ("overdue_days", "Overdue days"),
    ("temp_limit_expiring", "Temporary limit ending"),
    ("review_overdue", "Credit review overdue"),
    ("grade_downgraded", "Grade downgraded"),
    ("dso_worsening", "DSO worsening"),
    ("days_late_rising", "Days late rising"),
    ("overdue_growing", "Overdue growing"),
    ("broken_promise", "Broken promise to pay"),
    ("good_payer", "On-time payer (reward proposal)"),
]
SEVERITIES = [("info", "Info"), ("low", "Low"), ("medium", "Medium"),
              ("high", "High"), ("critical", "Critical")]


class CreditWarning(models.Model):
    """A credit risk warning on a customer (信用风险预警).

    Raised and closed by the warning cron: one open warning per customer,
    company and type; it follows the indicator (severity and message are
    updated) and is closed automatically when the indicator clears.
    """

    _name = "credit.warning"
    _description = "Credit Warning"
    _inherit = ["mail.thread", "mail.activity.mixin", "credit.cron.mixin"]
    _order = "state desc, severity_rank desc, date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True,
        ondelete="cascade", readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True,
        default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=True)
    warning_type = fields.Selection(
        WARNING_TYPES, "Type", required=True, index=True, readonly=True)
    severity = fields.Selection(
        SEVERITIES, required=True, default="medium", readonly=True,
        track_visibility="onchange")
    severity_rank = fields.Integer(
        compute="_compute_severity_rank", store=True)
    state = fields.Selection(
        [("open", "Open"), ("done", "Done")], default="open", required=True,
        index=True, readonly=True, track_visibility="onchange")
    message = fields.Text(readonly=True)
    value = fields.Float(
        readonly=True, help="The measured number (amount, %, days).")
    threshold = fields.Float(readonly=True, help="The policy's threshold.")
    user_id = fields.Many2one(
        "res.users", "Responsible", readonly=True,
        track_visibility="onchange")
    date = fields.Date(
        "Raised On", required=True, readonly=True, index=True,
        default=fields.Date.context_today)
    date_done = fields.Date("Closed On", readonly=True)
    resolution = fields.Char(readonly=True)
    policy_id = fields.Many2one("credit.policy", readonly=True)
    policy_version = fields.Integer(readonly=True)
    limit_request_id = fields.Many2one(
        "credit.limit.request", "Limit Request", readonly=True,
        help="Limit reduction (penalty) or increase (reward) asked for "
             "approval because of this warning.")
    digest_id = fields.Many2one(
        "credit.warning.digest", "Digest", readonly=True, index=True,
        ondelete="set null",
        help="The list of new warnings the responsible was given a to-do "
             "for, the day this warning was raised.")
    action_taken = fields.Selection(
        [("none", "None"), ("hold", "Credit hold"),
         ("request", "Limit request"), ("hold_request", "Hold and request"),
         ("proposal", "Reward proposal")],
        default="none", readonly=True,
        help="Automatic control (penalty or reward) taken on this warning.")

    @api.depends("severity")
    def _compute_severity_rank(self):
        for warning in self:
            warning.severity_rank = warning_domain.severity_rank(
                warning.severity)

    @api.multi
    def name_get(self):
        labels = dict(WARNING_TYPES)
        return [(w.id, "%s: %s" % (w.partner_id.display_name,
                                   labels.get(w.warning_type)))
                for w in self]

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    @api.multi
    def action_done(self):
        """Close by hand; raised again by the cron if the cause holds."""
        if not self.env.user.has_group(
                "credit_management.group_credit_controller"):
            raise UserError(_("Only the credit team may close warnings."))
        self.sudo()._close(_("Closed by %s") % self.env.user.name)
        return True

    def _close(self, resolution):
        for warning in self.filtered(lambda w: w.state == "open"):
            warning.write({"state": "done", "resolution": resolution,
                           "date_done": fields.Date.context_today(self)})
            warning.activity_ids.action_feedback(feedback=resolution)
        return True

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
            for batch in self._credit_cron_batches(candidates):
                if not self._credit_cron_lock("credit.warning", company.id,
                                              date, batch[0]):
                    stats["skipped"] += len(batch)
                    continue
                self.sudo()._evaluate_batch(company, policy, batch, date,
                                            stats, aging=aging)
                self._credit_cron_commit(commit)
                if self._credit_cron_may_commit(commit):
                    self.invalidate_cache()  # memory stays one batch's
        return stats

    @api.model
    def _get_candidate_partner_ids(self, company, date):
        """Commercial partners worth a look, ascending ids (one query)."""
        window = company.credit_policy_id.warning_trend_window_days or 30
        self.env.cr.execute("""
            SELECT p.id FROM res_partner p
              JOIN credit_partner_profile(%(company)s) cp
                ON cp.partner_id = p.id
             WHERE p.id = p.commercial_partner_id AND p.active
               AND (cp.credit_limit > 0 OR cp.credit_review_date IS NOT NULL
                    OR cp.credit_grade_id IS NOT NULL)
            UNION
            SELECT a.partner_id FROM credit_aging a
             WHERE a.company_id = %(company)s
               AND a.date > %(date)s::date - %(window)s
               AND a.date <= %(date)s
            UNION
            SELECT w.partner_id FROM credit_warning w
             WHERE w.company_id = %(company)s AND w.state = 'open'
            UNION
            SELECT DISTINCT p.commercial_partner_id
              FROM account_move_line l
              JOIN account_account acc ON acc.id = l.account_id
              JOIN res_partner p ON p.id = l.partner_id
             WHERE l.company_id = %(company)s
               AND acc.internal_type = 'receivable'
               AND l.reconciled IS NOT TRUE AND l.amount_residual <> 0
            ORDER BY 1
        """, {"company": company.id, "date": date, "window": window})
        return [row[0] for row in self.env.cr.fetchall()]

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
        for warning in self.search([("partner_id", "in", partner_ids),
                                    ("company_id", "=", company.id),
                                    ("state", "=", "open")]):
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
            )
        return result

    @api.model
    def _get_snapshot_history(self, company, policy, partners, date):
        """Snapshots of the trend window per partner, oldest first."""
        window = policy.warning_trend_window_days or 30
        self.env.cr.execute("""
            SELECT a.partner_id, a.date, a.amount_overdue, a.dso,
                   a.avg_days_late, g.min_score
              FROM credit_aging a
              LEFT JOIN credit_grade g ON g.id = a.credit_grade_id
             WHERE a.company_id = %(company)s AND a.partner_id IN %(partners)s
               AND a.date >= %(date)s::date - %(window)s
               AND a.date <= %(date)s
             ORDER BY a.partner_id, a.date
        """, {"company": company.id, "partners": tuple(partners.ids),
              "date": date, "window": window})
        result = {}
        for pid, day, overdue, dso, late, score in self.env.cr.fetchall():
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
        self.env.cr.execute("""
            SELECT partner_id, MIN(expiry_date)
              FROM credit_limit_request
             WHERE company_id = %s AND partner_id IN %s
               AND request_type = 'temporary' AND state = 'approved'
               AND expiry_date >= %s
             GROUP BY partner_id
        """, (company.id, tuple(partners.ids), date))
        return {pid: fields.Date.from_string(end)
                for pid, end in self.env.cr.fetchall()}

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
        self.env.cr.execute("""
            SELECT p.commercial_partner_id,
                   MIN(l.date) AS first_date,
                   COUNT(*) FILTER (WHERE l.date >= %(since)s) AS invoices,
                   COUNT(*) FILTER (WHERE l.date >= %(since)s AND (
                       (l.reconciled AND (
                           SELECT MAX(pr.max_date)
                             FROM account_partial_reconcile pr
                            WHERE pr.debit_move_id = l.id)
                         > l.date_maturity + %(grace)s)
                       OR (NOT l.reconciled
                           AND l.date_maturity + %(grace)s < %(date)s))
                   ) AS late
              FROM account_move_line l
              JOIN account_account acc ON acc.id = l.account_id
              JOIN account_move m ON m.id = l.move_id
              JOIN res_partner p ON p.id = l.partner_id
             WHERE l.company_id = %(company)s
               AND acc.internal_type = 'receivable' AND m.state = 'posted'
               AND l.invoice_id IS NOT NULL AND l.balance > 0
               AND p.commercial_partner_id IN %(partners)s
             GROUP BY p.commercial_partner_id
        """, {"company": company.id, "partners": tuple(partners.ids),
              "since": fields.Date.to_string(since), "date": date,
              "grace": policy.overdue_grace_days})
        rows = self.env.cr.fetchall()
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

    # ------------------------------------------------------------------
    # Keeping warnings in line with the signals
    # ------------------------------------------------------------------
    @api.model
    def _sync_partner(self, company, policy, partner, signals, current,
                      facts, date, run=None):
        """Close the warnings whose cause cleared, follow the others, open
        the new ones. In a batch (``run['pending']`` set) the new ones are
        only prepared, and inserted with the batch's (_create_pending)."""
        run = run or self._prepare_run(company, policy, partner, date)
        batch = run["pending"] is not None
        by_type = {signal.warning_type: signal for signal in signals}
        still_open = self.browse()
        for warning in current:
            signal = by_type.pop(warning.warning_type, None)
            if signal is None:
                if batch:
                    run["close"].setdefault(partner.id, []).append(warning.id)
                else:
                    warning._close(_("Condition cleared"))
                continue
            still_open |= warning
            message = self._get_message(signal, partner, company)
            vals = {"severity": signal.severity, "message": message,
                    "value": signal.value, "threshold": signal.threshold}
            if signal.severity != warning.severity:
                # a tracked change: through the ORM, in the chatter
                if batch:
                    run["track"].setdefault(partner.id, []).append(
                        (warning.id, vals))
                else:
                    warning.write(vals)
            elif message != warning.message:
                if batch:  # the day's numbers: refreshed with the batch's
                    run["refresh"].append((warning.id, vals))
                else:
                    warning.write(vals)
        # no chatter, followers or tracking at creation: the record says
        # what, when and why; later changes are tracked as usual
        new_vals = [self._prepare_warning_vals(company, policy, partner, signal,
                                               date, run["responsible"][partner.id])
                    for signal in by_type.values()]
        if batch:
            run["still_open"][partner.id] = still_open
            if new_vals:
                run["pending"][partner.id] = new_vals
            return
        created = self.browse()
        for vals in self._attach_digests(company, date, new_vals, run):
            created |= self.with_context(tracking_disable=True).create(vals)
        self._after_sync(company, policy, partner, created,
                         still_open)

    @api.model
    def _refresh_bulk(self, refresh):
        """Write the day's message, value and threshold of many warnings
        (none of them tracked) in one statement."""
        if not refresh:
            return
        query = """
            UPDATE credit_warning w
               SET message = v.message, value = v.value,
                   threshold = v.threshold, write_uid = %s,
                   write_date = now() at time zone 'UTC'
              FROM (VALUES %%s) AS v(id, message, value, threshold)
             WHERE w.id = v.id""" % int(self.env.uid)
        rows = [(wid, vals["message"], vals["value"], vals["threshold"])
                for wid, vals in refresh]
        execute_values(self.env.cr._obj, query, rows, page_size=1000)
        self.env.cr.sql_log_count += 1
        self.invalidate_cache(["message", "value", "threshold"],
                              [wid for wid, _vals in refresh])

    @api.model
    def _create_pending(self, company, date, run):
        """Insert the new warnings prepared for a batch in one statement;
        returns {partner id: the new warnings}."""
        partner_ids = list(run["pending"])
        vals_list = [vals for pid in partner_ids for vals in run["pending"][pid]]
        if not vals_list:
            return {}
        records = self._credit_insert(
            self._attach_digests(company, date, vals_list, run))
        created, index = {}, 0
        for pid in partner_ids:
            count = len(run["pending"][pid])
            created[pid] = records[index:index + count].with_prefetch(
                records._prefetch)
            index += count
        return created

    @api.model
    def _credit_insert_extra_vals(self, vals):
        """The stored computed columns of an inserted warning."""
        return {"severity_rank": warning_domain.severity_rank(vals["severity"])}

    @api.model
    def _needs_follow_up(self, policy, partner, new_vals):
        """Whether rewards or penalties may act on this customer, given the
        values of its new warnings."""
        return policy.penalty_action != "none" or any(
            vals["warning_type"] == "good_payer" for vals in new_vals)

    @api.model
    def _after_sync(self, company, policy, partner, created, still_open):
        """Rewards for new on-time-payer warnings, then the penalties."""
        for warning in created.filtered(
                lambda w: w.warning_type == "good_payer"):
            self._propose_reward(company, policy, partner, warning)
        self._apply_controls(company, policy, partner, still_open | created)

    @api.model
    def _get_responsible_map(self, company, policy, partners):
        """{partner id: the controller in charge} for ``partners``: the
        dossier's, else the policy's, else the salesperson when a
        controller, else nobody (no to-do). Two queries for a batch."""
        controllers = {}

        def is_controller(user):
            if user.id not in controllers:
                controllers[user.id] = user.has_group(
                    "credit_management.group_credit_controller")
            return controllers[user.id]
        dossier_users = {
            row["partner_id"][0]: row["user_id"][0]
            for row in self.env["credit.dossier"].sudo().search_read(
                [("partner_id", "in", partners.ids),
                 ("company_id", "=", company.id), ("user_id", "!=", False)],
                ["partner_id", "user_id"])}
        Users = self.env["res.users"]
        result = {}
        for partner in partners:
            dossier_user = Users.browse(dossier_users.get(partner.id))
            if dossier_user and is_controller(dossier_user):
                result[partner.id] = dossier_user
            elif policy.warning_user_id:
                result[partner.id] = policy.warning_user_id
            elif partner.user_id and is_controller(partner.user_id):
                result[partner.id] = partner.user_id
            else:
                result[partner.id] = Users
        return result

    @api.model
    def _get_responsible(self, company, policy, partner):
        """The controller in charge of one customer (see
        _get_responsible_map)."""
        return self._get_responsible_map(company, policy, partner)[partner.id]

    @api.model
    def _prepare_warning_vals(self, company, policy, partner, signal, date,
                              responsible=None):
        if responsible is None:
            responsible = self._get_responsible(company, policy, partner)
        return {
            "partner_id": partner.id, "company_id": company.id,
            "warning_type": signal.warning_type,
            "severity": signal.severity,
            "message": self._get_message(signal, partner, company),
            "value": signal.value, "threshold": signal.threshold,
            "user_id": responsible.id,
            "date": date, "policy_id": policy.id,
            "policy_version": policy.version,
        }

    @api.model
    def _attach_digests(self, company, date, vals_list, run):
        """Put each new warning on its responsible's digest of the day: one
        to-do for all the warnings raised for them, not one each."""
        for vals in vals_list:
            user_id = vals.get("user_id")
            if not user_id:
                continue
            if user_id not in run["digests"]:
                run["digests"][user_id] = self.env[
                    "credit.warning.digest"]._get_for(
                        company, self.env["res.users"].browse(user_id), date)
            vals["digest_id"] = run["digests"][user_id].id
        return vals_list

    @api.model
    def _get_message(self, signal, partner, company):
        """A sentence with the numbers (translated)."""
        currency = company.currency_id

        def money(amount):
            return "%s %s" % (float_round(amount, precision_rounding=currency
                                          .rounding), currency.name)
        wtype = signal.warning_type
        if wtype == "limit_usage":
            return _("Exposure %s is %.1f %% of the credit limit %s "
                     "(warning at %.0f %%).") % (
                money(partner.credit_limit * signal.value / 100.0),
                signal.value, money(partner.credit_limit), signal.threshold)
        if wtype == "limit_exceeded":
            return _("Exposure %s exceeds the credit limit %s (%.1f %%).") % (
                money(partner.credit_limit * signal.value / 100.0),
                money(partner.credit_limit), signal.value)
        if wtype == "overdue_amount":
            return _("Overdue amount %s is above %s.") % (
                money(signal.value), money(signal.threshold))
        if wtype == "overdue_days":
            return _("The oldest unpaid invoice is %d days past due "
                     "(level %d days).") % (signal.value, signal.threshold)
        if wtype == "temp_limit_expiring":
            return _("The temporary credit limit ends in %d days.") % (
                signal.value)
        if wtype == "review_overdue":
            return _("The credit review is %d days overdue (due %s).") % (
                signal.value, partner.credit_review_date)
        if wtype == "grade_downgraded":
            return _("Grade %s (score from %.0f) is below the grade held "
                     "recently (score from %.0f).") % (
                partner.credit_grade_id.code, signal.value, signal.threshold)
        if wtype == "dso_worsening":
            return _("DSO worsened by %.1f days over the trend window "
                     "(threshold %.1f days).") % (signal.value,
                                                  signal.threshold)
        if wtype == "days_late_rising":
            return _("Average days late rose by %.1f days over the trend "
                     "window (threshold %.1f days).") % (
                signal.value, signal.threshold)
        if wtype == "overdue_growing":
            return _("The overdue amount grew %d snapshots in a row, now "
                     "%s.") % (signal.threshold, money(signal.value))
        if wtype == "broken_promise":
            return _("Promise to pay %s not kept: %s still missing.") % (
                money(signal.threshold), money(signal.value))
        if wtype == "good_payer":
            return _("All %d invoices of the last %d months were paid on "
                     "time: propose a higher limit or better terms.") % (
                signal.value, signal.threshold)
        return "%s: %s" % (wtype, signal.value)

    # ------------------------------------------------------------------
    # Penalties and rewards (奖惩)
    # ------------------------------------------------------------------
    @api.model
    def _apply_controls(self, company, policy, partner, open_warnings=None):
        """Penalty by policy once the open warnings reach its severity."""
        if policy.penalty_action == "none":
            return
        if open_warnings is None:
            open_warnings = self.search([("partner_id", "=", partner.id),
                                         ("company_id", "=", company.id),
                                         ("state", "=", "open")])
        warnings = open_warnings.filtered(
            lambda w: w.warning_type != "good_payer")
        if not warnings:
            return
        worst = warning_domain.worst_severity(
            [warning_domain.Signal(w.warning_type, w.severity, 0, 0)
             for w in warnings])
        if not worst or not warning_domain.at_least(
                worst, policy.penalty_severity):
            return
        trigger = warnings.sorted(
            lambda w: (-w.severity_rank, w.id))[0]
        if trigger.action_taken != "none":
            return
        action = "none"
        if policy.penalty_action in ("hold", "hold_reduce") \
                and not partner.credit_hold:
            partner.with_context(force_company=company.id)._credit_write_profile({
                "credit_hold": True,
                "credit_hold_reason": _("Credit warning: %s") % (
                    trigger.message or "")[:200]})
            action = "hold"
        if policy.penalty_action in ("reduce", "hold_reduce") \
                and partner.credit_limit > 0:
            new_limit = warning_domain.limit_reduction(
                partner.credit_limit, policy.penalty_reduce_percent)
            request = self._create_limit_request(
                company, partner, new_limit,
                _("Penalty for warning: %s") % trigger.message, trigger)
            if request:
                trigger.limit_request_id = request
                action = "hold_request" if action == "hold" else "request"
        if action != "none":
            trigger.action_taken = action
            trigger.message_post(body=_("Automatic control: %s") % dict(
                self._fields["action_taken"].selection)[action])

    @api.model
    def _propose_reward(self, company, policy, partner, warning):
        new_limit = warning_domain.limit_increase(
            partner.credit_limit, policy.reward_increase_percent)
        request = partner.credit_limit > 0 and self._create_limit_request(
            company, partner, new_limit, warning.message, warning)
        if request:
            warning.write({"action_taken": "proposal",
                           "limit_request_id": request.id})

    @api.model
    def _create_limit_request(self, company, partner, new_limit, reason,
                              warning):
        """Ask for a new limit through the approval flow; never change it
        here. Returns the request, or False when none was created (see
        credit_warning_limit_request.py)."""
        return False
