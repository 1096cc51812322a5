# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from datetime import date as date_cls

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..domain import grading
from .trusted import credit_trusted, is_trusted
from ..domain import scorecard as scorecard_domain
from ..domain import scorecard_fit, scorecard_stats

_logger = logging.getLogger(__name__)


def month_ends(date_from, date_to):
    """Every month-end between two dates (both included)."""
    result = []
    first = date_cls(date_from.year, date_from.month, 1)
    end = first + relativedelta(months=1, days=-1)
    while end <= date_to:
        if end >= date_from:
            result.append(end)
        first += relativedelta(months=1)
        end = first + relativedelta(months=1, days=-1)
    return result


class CreditScorecardBacktest(models.Model):
    """How well did a scorecard rank customers? (back-test)

    Every customer with posted receivables is scored on the scorecard as of
    each month-end of the period, from what was known then: payment
    behaviour of invoices paid by that date, overdue days from the aging as
    of that date, the latest statement dated by then and the dossier. It
    is "bad" when, at a month-end of the next ``outcome_months`` months, its
    oldest open item is ``bad_days`` or more past due, or (optionally) when
    it has a bad-debt write-off in that window. The run is queued and done
    by a scheduled action, so a large ledger never blocks the screen.
    """

    _name = "credit.scorecard.backtest"
    _description = "Scorecard Back-Test"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"

    name = fields.Char(required=True, default=lambda self: _("Back-test"))
    company_id = fields.Many2one(
        "res.company", required=True, index=True,
        default=lambda self: self.env.user.company_id)
    scorecard_id = fields.Many2one(
        "credit.scorecard", required=True, ondelete="cascade",
        default=lambda self: self.env.user.company_id.sudo(
        ).credit_policy_id.scorecard_id)
    date_from = fields.Date("Scored From", required=True)
    date_to = fields.Date("Scored To", required=True)
    outcome_months = fields.Integer(
        "Outcome Window (months)", default=12, required=True,
        help="How long after each month-end the customer's behaviour is "
             "followed.")
    bad_days = fields.Integer(
        "Bad From (days overdue)", default=90, required=True,
        help="A customer is bad when an item is this many days past due at "
             "a month-end of the outcome window.")
    bad_write_off = fields.Boolean(
        "Write-Off Is Bad", default=True,
        help="A bad-debt write-off in the outcome window also makes the "
             "customer bad.")
    state = fields.Selection(
        [("draft", "Draft"), ("queued", "Queued"), ("done", "Done"),
         ("failed", "Failed")],
        default="draft", required=True, readonly=True, copy=False,
        track_visibility="onchange")
    message = fields.Text(readonly=True, copy=False)
    observation_count = fields.Integer("Scored Customer-Months", readonly=True,
                                       copy=False)
    bad_count = fields.Integer("Bad", readonly=True, copy=False)
    bad_rate = fields.Float("Bad Rate (%)", digits=(5, 2), readonly=True,
                            copy=False)
    auc = fields.Float("AUC", digits=(5, 4), readonly=True, copy=False)
    gini = fields.Float(digits=(5, 4), readonly=True, copy=False)
    ks = fields.Float("KS", digits=(5, 4), readonly=True, copy=False)
    psi = fields.Float(
        "PSI (first vs last month)", digits=(5, 4), readonly=True, copy=False,
        help="Population stability of the grade distribution: below 0.1 "
             "stable, above 0.25 changed.")
    inversion_count = fields.Integer("Inversions", readonly=True, copy=False)
    grade_line_ids = fields.One2many(
        "credit.scorecard.backtest.grade", "backtest_id", "Bad Rate by Grade",
        readonly=True, copy=False)
    indicator_line_ids = fields.One2many(
        "credit.scorecard.backtest.indicator", "backtest_id",
        "Information Value", readonly=True, copy=False)
    curve_line_ids = fields.One2many(
        "credit.scorecard.backtest.curve", "backtest_id", "KS Chart",
        readonly=True, copy=False)
    proposal_ids = fields.One2many(
        "credit.scorecard.proposal", "backtest_id", "Fitted Proposals",
        readonly=True, copy=False)

    # written by the run only (the addon's trusted code), never by a client
    _credit_result_fields = (
        "state", "message", "observation_count", "bad_count", "bad_rate",
        "auc", "gini", "ks", "psi", "inversion_count", "grade_line_ids",
        "indicator_line_ids", "curve_line_ids", "proposal_ids")

    def _check_result_write(self, vals):
        if not is_trusted() and \
                set(vals) & set(self._credit_result_fields) - {"state"}:
            raise UserError(_("The results of a back-test are computed by "
                              "its run, not entered."))
        if not is_trusted() and \
                vals.get("state", "draft") not in ("draft", "queued"):
            raise UserError(_("The results of a back-test are computed by "
                              "its run, not entered."))

    @api.model
    def create(self, vals):
        self._check_result_write(vals)
        return super().create(vals)

    @api.multi
    def write(self, vals):
        self._check_result_write(vals)
        return super().write(vals)

    @api.constrains("date_from", "date_to", "outcome_months", "bad_days")
    def _check_params(self):
        for test in self:
            if test.date_from > test.date_to:
                raise ValidationError(_("The period starts after it ends."))
            if test.outcome_months < 1 or test.bad_days < 1:
                raise ValidationError(
                    _("The outcome window and the bad days must be positive."))
            if not month_ends(fields.Date.from_string(test.date_from),
                              fields.Date.from_string(test.date_to)):
                raise ValidationError(
                    _("The period must contain at least one month-end."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _check_controller(self):
        if not self.env.user.has_group(
                "credit_management.group_credit_controller"):
            raise UserError(_("Only the credit team runs back-tests."))

    @api.multi
    def action_queue(self):
        """Queue the run for the scheduled action and wake it up."""
        self._check_controller()
        for test in self:
            if test.state == "queued":
                raise UserError(_("%s is already queued.") % test.name)
        with credit_trusted():
            self.sudo().write({"state": "queued", "message": False})
        cron = self.env.ref(
            "credit_management.ir_cron_credit_scorecard_backtest",
            raise_if_not_found=False)
        if cron:
            cron.sudo().write({"nextcall": fields.Datetime.now()})
        return True

    @api.model
    def _cron_run_queued(self, limit=5):
        """Run the queued back-tests (scheduled action)."""
        for test in self.sudo().search([("state", "=", "queued")],
                                       limit=limit, order="id"):
            try:
                with self.env.cr.savepoint():
                    test._run()
            except (UserError, ValidationError, ValueError) as error:
                with credit_trusted():
                    test.write({"state": "failed", "message": str(error)})
        return True

    @api.multi
    def action_fit(self):
        """Fit a new draft scorecard version on this back-test's history."""
        self.ensure_one()
        proposal = self.env["credit.scorecard.proposal"]._fit_from_backtest(self)
        return {"type": "ir.actions.act_window",
                "res_model": "credit.scorecard.proposal",
                "res_id": proposal.id, "view_mode": "form"}

    # ------------------------------------------------------------------
    # Running
    # ------------------------------------------------------------------
    def _grade_bands(self):
        grades = self.env["credit.grade"].sudo()._grades_for_company(
            self.company_id)
        worst_first = grades.sorted(lambda g: g.min_score)
        return worst_first, [grading.GradeBand(g.id, g.min_score) for g in grades]

    def _run(self):
        self.ensure_one()
        card = self.scorecard_id.sudo()
        indicators = card._get_indicators()
        if not scorecard_domain.weights_valid(indicators):
            raise UserError(_("The weights of scorecard %s do not add up to "
                              "100.") % card.name)
        history, partial = self._gather_history()
        if not history:
            raise UserError(_("No customer had posted receivables in the "
                              "period; nothing to back-test."))
        grades, bands = self._grade_bands()
        scores, keys, outcomes, values = [], [], [], defaultdict(list)
        for _pid, _end, facts, bad in history:
            lines, total = scorecard_domain.evaluate(indicators, facts)
            scores.append(total)
            keys.append(grading.grade_for_score(total, bands) or grades[:1].id)
            outcomes.append(bad)
            for line in lines:
                values[line.code].append(line.value)
        per_grade = scorecard_stats.bad_rate_by_grade(keys, outcomes, grades.ids)
        bad_count = sum(outcomes)
        vals = {
            "state": "done", "observation_count": len(history),
            "bad_count": bad_count,
            "bad_rate": 100.0 * bad_count / len(history),
            "inversion_count": sum(1 for g in per_grade if g.inversion),
            "auc": 0.0, "gini": 0.0, "ks": 0.0, "psi": 0.0,
            "grade_line_ids": [(5, 0, 0)] + [(0, 0, {
                "grade_id": g.key, "customers": g.customers, "bad_count": g.bad,
                "bad_rate": 100.0 * g.bad_rate, "inversion": g.inversion,
            }) for g in per_grade],
            "indicator_line_ids": [(5, 0, 0)],
            "curve_line_ids": [(5, 0, 0)],
        }
        notes = []
        if 0 < bad_count < len(history):
            sep = scorecard_stats.separation(scores, outcomes)
            vals.update(auc=sep.auc, gini=sep.gini, ks=sep.ks)
            for population, bad_share, good_share in \
                    scorecard_stats.gains_curve(scores, outcomes):
                for curve, share in (("bad", bad_share), ("good", good_share)):
                    vals["curve_line_ids"].append((0, 0, {
                        "population": int(round(population)), "curve": curve,
                        "share": share}))
            for ind in card.indicator_ids:
                column = values.get(ind.code, [])
                if any(v is not None for v in column):
                    iv = scorecard_fit.bin_numeric(ind.code, column, outcomes).iv
                else:
                    iv = 0.0
                vals["indicator_line_ids"].append((0, 0, {
                    "indicator_id": ind.id, "iv": iv}))
        else:
            notes.append(_("Every customer had the same outcome: AUC, KS and "
                           "information values need both good and bad ones."))
        first = [k for (_p, end, _f, _b), k in zip(history, keys)
                 if end == history[0][1]]
        last = [k for (_p, end, _f, _b), k in zip(history, keys)
                if end == history[-1][1]]
        vals["psi"] = scorecard_stats.psi_from_counts(
            [first.count(g) for g in grades.ids], [last.count(g) for g in grades.ids])
        if partial:
            notes.append(_("The outcome window of %d month-end(s) is not over "
                           "yet; their customers were followed until today.")
                         % partial)
        vals["message"] = "\n".join(notes) or False
        with credit_trusted():
            self.write(vals)
        return True

    def _history_table(self):
        """The history as a table for the fitting core:
        ({indicator code: values}, outcomes, facts per row)."""
        history, _partial = self._gather_history()
        columns = defaultdict(list)
        for _pid, _end, facts, _bad in history:
            for code, value in scorecard_domain.indicator_values(facts).items():
                columns[code].append(value)
        return dict(columns), [bad for _p, _e, _f, bad in history]


class CreditScorecardBacktestGrade(models.Model):
    _name = "credit.scorecard.backtest.grade"
    _description = "Scorecard Back-Test: Bad Rate by Grade"
    _order = "backtest_id, min_score, id"

    backtest_id = fields.Many2one(
        "credit.scorecard.backtest", "Back-Test", required=True, index=True,
        ondelete="cascade")
    grade_id = fields.Many2one("credit.grade", required=True,
                               ondelete="cascade")
    min_score = fields.Float(related="grade_id.min_score", store=True,
                             readonly=True)
    customers = fields.Integer("Customer-Months")
    bad_count = fields.Integer("Bad")
    bad_rate = fields.Float("Bad Rate (%)", digits=(5, 2),
                            group_operator="avg")
    inversion = fields.Boolean(
        help="This grade's bad rate is higher than a worse grade's.")


class CreditScorecardBacktestCurve(models.Model):
    """The KS chart: among the lowest-scoring ``population`` % of the
    scored customer-months, the share of all bad (or all good) ones."""

    _name = "credit.scorecard.backtest.curve"
    _description = "Scorecard Back-Test: KS Chart Point"
    _order = "backtest_id, curve, population"

    backtest_id = fields.Many2one(
        "credit.scorecard.backtest", "Back-Test", required=True, index=True,
        ondelete="cascade")
    population = fields.Integer("Lowest Scores (% of Population)")
    curve = fields.Selection(
        [("bad", "Bad Customers Caught"), ("good", "Good Customers Caught")],
        required=True)
    share = fields.Float("Share (%)", digits=(5, 2), group_operator="avg")


class CreditScorecardBacktestIndicator(models.Model):
    _name = "credit.scorecard.backtest.indicator"
    _description = "Scorecard Back-Test: Information Value"
    _order = "backtest_id, iv desc, id"

    backtest_id = fields.Many2one(
        "credit.scorecard.backtest", "Back-Test", required=True, index=True,
        ondelete="cascade")
    indicator_id = fields.Many2one("credit.scorecard.indicator",
                                   required=True, ondelete="cascade")
    name = fields.Char(related="indicator_id.name", readonly=True)
    iv = fields.Float("Information Value", digits=(6, 4))
    strength = fields.Selection(
        [("none", "Not predictive"), ("weak", "Weak"), ("medium", "Medium"),
         ("strong", "Strong")], compute="_compute_strength")

    @api.depends("iv")
    def _compute_strength(self):
        for line in self:
            line.strength = ("none" if line.iv < 0.02 else "weak"
                             if line.iv < 0.1 else "medium"
                             if line.iv < 0.3 else "strong")
