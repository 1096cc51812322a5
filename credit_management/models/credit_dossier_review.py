# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""credit.dossier: the periodic review (next review date by grade, overdue
reviews, the cron starting a draft evaluation with a to-do)."""
import logging
import threading

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)


class CreditDossier(models.Model):
    _inherit = "credit.dossier"

    review_overdue = fields.Boolean(
        compute="_compute_review_overdue", search="_search_review_overdue")

    def _compute_review_overdue(self):
        today = fields.Date.context_today(self)
        for dossier in self:
            dossier.review_overdue = bool(
                dossier.review_date and dossier.review_date < today
                and dossier.state in ("draft", "active"))

    @api.model
    def _search_review_overdue(self, operator, value):
        today = fields.Date.context_today(self)
        overdue = ["&", ("review_date", "<", today),
                   ("state", "in", ("draft", "active"))]
        if (operator == "=") == bool(value):
            return overdue
        return ["|", "|", ("review_date", "=", False),
                ("review_date", ">=", today),
                ("state", "not in", ("draft", "active"))]

    def _get_review_interval_months(self, grade=None):
        self.ensure_one()
        grade = grade or self.credit_grade_id
        if grade and grade.review_interval_months:
            return grade.review_interval_months
        return self.company_id.sudo().credit_policy_id.review_interval_months or 12

    def _next_review_date(self, grade=None, start=None):
        """Start date (default today) plus the grade's review interval."""
        start = start or fields.Date.from_string(fields.Date.context_today(self))
        return fields.Date.to_string(
            start + relativedelta(months=self._get_review_interval_months(grade)))

    # ------------------------------------------------------------------
    # Periodic review
    # ------------------------------------------------------------------
    @api.model
    def _get_review_due_domain(self):
        return [("state", "in", ("draft", "active")),
                ("review_date", "!=", False),
                ("review_date", "<=", fields.Date.context_today(self))]

    def _get_review_responsible(self):
        self.ensure_one()
        if self.user_id:
            return self.user_id
        group = self.env.ref("credit_management.group_credit_controller")
        return group.users.filtered(
            lambda u: self.company_id in u.company_ids)[:1] or self.env.user

    def _start_review(self):
        """Draft evaluation plus an activity for the responsible controller."""
        self.ensure_one()
        evaluation = self.env["credit.evaluation"].sudo().create({
            "dossier_id": self.id,
            "user_id": self._get_review_responsible().id})
        self.env["mail.activity"].sudo().create({
            "res_model_id": self.env.ref(
                "credit_management.model_credit_evaluation").id,
            "res_id": evaluation.id,
            "activity_type_id": self.env.ref(
                "credit_management.mail_activity_type_credit_review").id,
            "user_id": self._get_review_responsible().id,
            "date_deadline": fields.Date.context_today(self),
            "summary": _("Credit review of %s is due (since %s).")
            % (self.partner_id.display_name, self.review_date),
        })
        return evaluation

    @api.model
    def _cron_review_due(self, batch_size=100):
        """Start the review of every dossier whose review date has come and
        that has no evaluation in progress."""
        dossiers = self.search(self._get_review_due_domain())
        busy = self.env["credit.evaluation"].search([
            ("dossier_id", "in", dossiers.ids),
            ("state", "in", ("draft", "to_approve"))]).mapped("dossier_id")
        todo = dossiers - busy
        testing = getattr(threading.currentThread(), "testing", False)
        for start in range(0, len(todo), batch_size):
            for dossier in todo[start:start + batch_size]:
                try:
                    with self.env.cr.savepoint():
                        dossier._start_review()
                except (UserError, ValidationError) as error:
                    _logger.warning("credit review of %s not started: %s",
                                    dossier.display_name, error)
            if not testing:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        _logger.info("credit review: %d evaluations started", len(todo))
        return todo
