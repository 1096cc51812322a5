# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import threading

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..domain import payment as payment_domain

_logger = logging.getLogger(__name__)


class CreditDossier(models.Model):
    """Credit dossier (信用档案) of a commercial partner in one company.

    Registration facts, the investigation form, financial statements,
    payment behaviour computed from the company's own invoices, the state
    of the credit relationship, the next review date and the history of
    grades, limits and terms.
    """

    _name = "credit.dossier"
    _description = "Credit Dossier"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "review_date, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True,
        ondelete="restrict", track_visibility="onchange",
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]")
    company_id = fields.Many2one(
        "res.company", required=True, index=True,
        default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active"),
         ("suspended", "Suspended"), ("closed", "Closed")],
        default="draft", required=True, index=True,
        track_visibility="onchange", copy=False)
    user_id = fields.Many2one(
        "res.users", "Responsible Controller", index=True,
        default=lambda self: self.env.user, track_visibility="onchange",
        help="Controller who keeps this dossier and receives its review "
             "activities.")
    review_date = fields.Date(
        "Next Review", index=True, track_visibility="onchange", copy=False)
    review_overdue = fields.Boolean(
        compute="_compute_review_overdue", search="_search_review_overdue")

    # registration facts
    registered_capital = fields.Monetary(currency_field="currency_id")
    legal_representative = fields.Char()
    founding_date = fields.Date()
    industry_id = fields.Many2one("res.partner.industry", "Industry")
    license_number = fields.Char("Business Licence Number")
    tax_status = fields.Selection(
        [("compliant", "Compliant"), ("irregular", "Irregularities"),
         ("unknown", "Unknown")],
        "Tax Compliance", default="unknown", required=True)
    litigation_count = fields.Integer(
        "Open Litigations", help="Lawsuits or enforcement cases on record.")
    litigation_record = fields.Text()
    rating_agency = fields.Char("External Rating Agency")
    rating = fields.Char("External Rating")
    rating_date = fields.Date("External Rating Date")
    expected_annual_sales = fields.Monetary(
        currency_field="currency_id",
        help="Sales expected to this customer over the next twelve months; "
             "grades may derive the proposed limit from it.")

    # investigation form (客户信用调查表)
    investigation_date = fields.Date()
    investigator_id = fields.Many2one("res.users", "Investigator")
    investigation_sources = fields.Text(
        "Sources Consulted",
        help="Bureau report, bank reference, site visit, trade references...")
    investigation_findings = fields.Text("Findings")
    investigation_verified = fields.Boolean("Verified")

    statement_ids = fields.One2many(
        "credit.financial.statement", "dossier_id", "Financial Statements",
        groups="credit_management.group_credit_controller")
    statement_count = fields.Integer(
        compute="_compute_statement_count",
        groups="credit_management.group_credit_controller")
    evaluation_ids = fields.One2many(
        "credit.evaluation", "dossier_id", "Evaluations",
        groups="credit_management.group_credit_controller")
    evaluation_count = fields.Integer(
        compute="_compute_evaluation_count",
        groups="credit_management.group_credit_controller")
    history_ids = fields.One2many(
        "credit.dossier.history", "dossier_id", "History", readonly=True)

    # what is granted now (kept on the partner, per company)
    credit_grade_id = fields.Many2one(
        "credit.grade", "Credit Grade", compute="_compute_credit_profile",
        search="_search_credit_grade_id")
    credit_limit = fields.Float(compute="_compute_credit_profile")
    payment_term_id = fields.Many2one(
        "account.payment.term", "Payment Terms",
        compute="_compute_payment_term_id")

    # payment behaviour, from the company's own invoices
    pay_invoice_count = fields.Integer(
        "Invoices Paid", compute="_compute_payment_behaviour")
    pay_on_time_percent = fields.Float(
        "Paid On Time (%)", compute="_compute_payment_behaviour", digits=(5, 1))
    pay_avg_days_late = fields.Float(
        "Average Days Late", compute="_compute_payment_behaviour", digits=(7, 1))
    pay_weighted_days_late = fields.Float(
        "Weighted Days Late", compute="_compute_payment_behaviour",
        digits=(7, 1), help="Days late weighted by the amount paid late.")
    pay_max_days_late = fields.Integer(
        "Longest Delay (days)", compute="_compute_payment_behaviour")
    pay_first_invoice_date = fields.Date(
        "First Invoice", compute="_compute_payment_behaviour")
    pay_relationship_months = fields.Integer(
        "Relationship (months)", compute="_compute_payment_behaviour")
    pay_overdue_amount = fields.Monetary(
        "Current Overdue", compute="_compute_payment_behaviour",
        currency_field="currency_id")
    pay_overdue_days = fields.Integer(
        "Current Overdue Days", compute="_compute_payment_behaviour")

    _sql_constraints = [
        ("partner_company_uniq", "unique(partner_id, company_id)",
         "A customer has one credit dossier per company."),
    ]

    @api.constrains("partner_id")
    def _check_commercial_partner(self):
        for dossier in self:
            if dossier.partner_id.commercial_partner_id != dossier.partner_id:
                raise ValidationError(
                    _("A credit dossier belongs to the company (commercial "
                      "partner) %s, not to its contact.")
                    % dossier.partner_id.commercial_partner_id.display_name)

    @api.constrains("registered_capital", "litigation_count",
                    "expected_annual_sales")
    def _check_amounts(self):
        for dossier in self:
            for field in ("registered_capital", "litigation_count",
                          "expected_annual_sales"):
                if dossier[field] < 0:
                    raise ValidationError(
                        _("%s cannot be negative.")
                        % self._fields[field].get_description(
                            self.env)["string"])

    @api.multi
    def write(self, vals):
        res = super().write(vals)
        if "review_date" in vals:
            for dossier in self:
                partner = dossier._credit_partner().sudo()
                if partner.credit_review_date != dossier.review_date:
                    # the partner carries the date the order check reads,
                    # for the dossier's company
                    partner._credit_write_profile(
                        {"credit_review_date": dossier.review_date})
        return res

    def _credit_partner(self):
        """The customer, reading its credit profile of the dossier's
        company."""
        self.ensure_one()
        return self.partner_id.with_context(force_company=self.company_id.id)

    def _compute_credit_profile(self):
        for dossier in self.filtered(lambda d: not d.company_id):
            dossier.credit_grade_id = False
            dossier.credit_limit = 0.0
        for company in self.mapped("company_id"):
            dossiers = self.filtered(lambda d: d.company_id == company)
            partners = dossiers.mapped("partner_id").with_context(
                force_company=company.id)
            by_id = {partner.id: partner for partner in partners}
            for dossier in dossiers:
                partner = by_id[dossier.partner_id.id]
                dossier.credit_grade_id = partner.credit_grade_id
                dossier.credit_limit = partner.credit_limit

    @api.model
    def _search_credit_grade_id(self, operator, value):
        """Dossiers whose customer has (or has not) the grade in the
        dossier's company."""
        domain = []
        companies = self.env["res.company"].sudo().search([])
        for company in companies:
            partners = self.env["res.partner"].sudo().with_context(
                force_company=company.id, active_test=False).search(
                    [("credit_grade_id", operator, value)])
            domain = (["|"] if domain else []) + domain + [
                "&", ("company_id", "=", company.id),
                ("partner_id", "in", partners.ids)]
        return domain or [("id", "=", 0)]

    # ------------------------------------------------------------------
    def _compute_statement_count(self):
        data = self.env["credit.financial.statement"].read_group(
            [("dossier_id", "in", self.ids)], ["dossier_id"], ["dossier_id"])
        counts = {d["dossier_id"][0]: d["dossier_id_count"] for d in data}
        for dossier in self:
            dossier.statement_count = counts.get(dossier.id, 0)

    def _compute_evaluation_count(self):
        data = self.env["credit.evaluation"].read_group(
            [("dossier_id", "in", self.ids)], ["dossier_id"], ["dossier_id"])
        counts = {d["dossier_id"][0]: d["dossier_id_count"] for d in data}
        for dossier in self:
            dossier.evaluation_count = counts.get(dossier.id, 0)

    def _compute_payment_term_id(self):
        for dossier in self:
            dossier.payment_term_id = dossier.partner_id.with_context(
                force_company=dossier.company_id.id).property_payment_term_id

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

    def _compute_payment_behaviour(self):
        today = fields.Date.from_string(fields.Date.context_today(self))
        for company in self.mapped("company_id"):
            dossiers = self.filtered(lambda d: d.company_id == company)
            behaviour = dossiers.mapped("partner_id")._credit_payment_behaviour(
                company)
            partners = dossiers.mapped("partner_id").with_context(
                force_company=company.id)
            overdue = {p.id: (p.credit_overdue_amount, p.credit_overdue_days)
                       for p in partners}
            for dossier in dossiers:
                item = behaviour.get(dossier.partner_id.id,
                                     payment_domain.NO_HISTORY)
                dossier.pay_invoice_count = item.invoices_paid
                dossier.pay_on_time_percent = payment_domain.on_time_share(
                    item) or 0.0
                dossier.pay_avg_days_late = item.avg_days_late or 0.0
                dossier.pay_weighted_days_late = item.weighted_days_late or 0.0
                dossier.pay_max_days_late = item.max_days_late or 0
                dossier.pay_first_invoice_date = item.first_invoice_date
                dossier.pay_relationship_months = (
                    payment_domain.relationship_months(item, today) or 0)
                dossier.pay_overdue_amount, dossier.pay_overdue_days = (
                    overdue.get(dossier.partner_id.id, (0.0, 0)))

    def _get_payment_behaviour(self):
        """PaymentBehaviour of this dossier's customer in its company."""
        self.ensure_one()
        return self.partner_id._credit_payment_behaviour(self.company_id).get(
            self.partner_id.id, payment_domain.NO_HISTORY)

    def _get_latest_statement(self):
        """The most recent financial statement (by fiscal year)."""
        self.ensure_one()
        return self.env["credit.financial.statement"].sudo().search(
            [("dossier_id", "=", self.id)],
            order="fiscal_year desc, id desc", limit=1)

    # ------------------------------------------------------------------
    @api.model
    def _get_or_create(self, partner, company=None):
        """The dossier of ``partner``'s commercial partner in ``company``,
        created (draft) if there is none yet. Runs as superuser: callers
        check rights first."""
        company = company or self.env.user.company_id
        commercial = partner.commercial_partner_id
        Dossier = self.sudo().with_context(tracking_disable=True)
        dossier = Dossier.search([("partner_id", "=", commercial.id),
                                  ("company_id", "=", company.id)], limit=1)
        if not dossier:
            dossier = Dossier.create(
                self._prepare_dossier_vals(commercial, company))
        return self.browse(dossier.id)

    @api.model
    def _prepare_dossier_vals(self, partner, company):
        return {"partner_id": partner.id, "company_id": company.id,
                "user_id": False if self.env.user._is_superuser()
                else self.env.user.id}

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

    def _log_history(self, vals):
        """Record a change of grade, limit or terms (read-only history)."""
        History = self.env["credit.dossier.history"].sudo()
        for dossier in self:
            History.create(dict(vals, dossier_id=dossier.id))
        return True

    # ------------------------------------------------------------------
    def _check_controller(self):
        if not self.env.user.has_group("credit_management.group_credit_controller"):
            raise UserError(_("Only the credit team may change a dossier's state."))

    def _set_state(self, state, allowed_from):
        self._check_controller()
        for dossier in self:
            if dossier.state not in allowed_from:
                raise UserError(
                    _("Dossier %s is %s; this action is not possible.")
                    % (dossier.display_name, dict(
                        self._fields["state"].selection)[dossier.state]))
        return self.write({"state": state})

    @api.multi
    def action_activate(self):
        return self._set_state("active", ("draft", "suspended"))

    @api.multi
    def action_suspend(self):
        return self._set_state("suspended", ("draft", "active"))

    @api.multi
    def action_close(self):
        return self._set_state("closed", ("draft", "active", "suspended"))

    @api.multi
    def action_reopen(self):
        return self._set_state("draft", ("closed",))

    @api.multi
    def action_open_statements(self):
        self.ensure_one()
        action = self.env.ref(
            "credit_management.credit_financial_statement_action").read()[0]
        action["domain"] = [("dossier_id", "=", self.id)]
        action["context"] = {"default_dossier_id": self.id}
        return action

    @api.multi
    def action_open_evaluations(self):
        self.ensure_one()
        action = self.env.ref("credit_management.credit_evaluation_action").read()[0]
        action["domain"] = [("dossier_id", "=", self.id)]
        action["context"] = {"default_dossier_id": self.id}
        return action

    @api.multi
    def action_new_evaluation(self):
        """Create and compute a draft evaluation and open it."""
        self.ensure_one()
        self._check_controller()
        evaluation = self.env["credit.evaluation"].create(
            {"dossier_id": self.id})
        return {
            "type": "ir.actions.act_window", "res_model": "credit.evaluation",
            "res_id": evaluation.id, "view_mode": "form",
        }

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
