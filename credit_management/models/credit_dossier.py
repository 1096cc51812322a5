# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class CreditDossier(models.Model):
    """Credit dossier (信用档案) of a commercial partner in one company.

    Registration facts, the investigation form, financial statements, the
    state of the credit relationship, the next review date and the history
    of grades, limits and terms. The periodic review is in
    credit_dossier_review.py; payment behaviour, receivable KPIs,
    collections and the legal case in credit_dossier_monitoring.py.
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
        for dossier, partner in self._with_company_partners():
            dossier.credit_grade_id = partner.credit_grade_id
            dossier.credit_limit = partner.credit_limit

    def _with_company_partners(self):
        """(dossier, its customer reading the figures of the dossier's
        company) for each dossier with a company, customers read together
        company by company."""
        for company in self.mapped("company_id"):
            dossiers = self.filtered(lambda d: d.company_id == company)
            partners = dossiers.mapped("partner_id").with_context(
                force_company=company.id)
            by_id = {partner.id: partner for partner in partners}
            for dossier in dossiers:
                yield dossier, by_id[dossier.partner_id.id]

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

    def _get_latest_statement(self):
        """The most recent financial statement (by fiscal year)."""
        self.ensure_one()
        return self.env["credit.financial.statement"].sudo().search(
            [("dossier_id", "=", self.id)],
            order="fiscal_year desc, id desc", limit=1)

    # ------------------------------------------------------------------
    @api.model
    def _find(self, partners, company):
        """The dossiers of ``partners``' commercial partners in ``company``:
        the one lookup of "the dossier of this customer in this company"
        (one dossier per customer and company; rights are the caller's)."""
        return self.search(
            [("partner_id", "in", partners.mapped("commercial_partner_id").ids),
             ("company_id", "=", company.id)])

    @api.model
    def _get_or_create(self, partner, company=None):
        """The dossier of ``partner``'s commercial partner in ``company``,
        created (draft) if there is none yet. Runs as superuser: callers
        check rights first."""
        company = company or self.env.user.company_id
        commercial = partner.commercial_partner_id
        Dossier = self.sudo().with_context(tracking_disable=True)
        dossier = Dossier._find(commercial, company)
        if not dossier:
            dossier = Dossier.create(
                self._prepare_dossier_vals(commercial, company))
        return self.browse(dossier.id)

    @api.model
    def _prepare_dossier_vals(self, partner, company):
        return {"partner_id": partner.id, "company_id": company.id,
                "user_id": False if self.env.user._is_superuser()
                else self.env.user.id}

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
