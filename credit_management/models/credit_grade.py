# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..domain import grading
from ..domain import limits as limits_domain


class CreditGrade(models.Model):
    """A credit grade (AAA ... D) and what it grants."""

    _name = "credit.grade"
    _description = "Credit Grade"
    _inherit = ["mail.thread"]
    _order = "min_score desc, id"

    code = fields.Char(required=True, index=True, track_visibility="onchange")
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True,
        help="Leave empty to share the grade between companies.")
    min_score = fields.Float(
        "Minimum Score", required=True, track_visibility="onchange",
        help="An evaluation scoring at least this (out of 100) gets this "
             "grade, unless a higher grade also applies.")
    term_template_id = fields.Many2one(
        "credit.term.template", "Credit Terms", track_visibility="onchange")
    limit_cap = fields.Monetary(
        currency_field="currency_id", track_visibility="onchange",
        help="Highest credit limit this grade may receive without an "
             "override. 0 means no cap.")
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.user.company_id.currency_id)
    allow_credit = fields.Boolean(
        "Credit Allowed", default=True, track_visibility="onchange",
        help="When unchecked, customers of this grade buy on prepayment only.")
    review_interval_months = fields.Integer(
        "Review Every (months)", default=12, track_visibility="onchange")
    limit_rule = fields.Selection(
        list(limits_domain.LIMIT_RULES), "Proposed Limit", default="lower",
        required=True, track_visibility="onchange",
        help="How an evaluation proposes the limit for this grade; the "
             "result never exceeds the cap.")
    limit_equity_percent = fields.Float(
        "Share of Equity (%)", digits=(5, 2), track_visibility="onchange")
    limit_sales_percent = fields.Float(
        "Share of Annual Sales (%)", digits=(5, 2), track_visibility="onchange",
        help="Share of the expected annual sales to the customer (from its "
             "dossier).")
    segment = fields.Selection(
        [("prime", "Prime"), ("standard", "Standard"), ("risk", "Risk")],
        default="standard", required=True,
        help="Customer segment for reporting (优质 / 一般 / 风险).")
    color = fields.Integer()
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)",
         "The grade code must be unique per company."),
    ]

    @api.multi
    def name_get(self):
        return [(g.id, "%s - %s" % (g.code, g.name) if g.name != g.code
                 else g.code) for g in self]

    @api.constrains("min_score", "limit_cap", "review_interval_months",
                    "limit_equity_percent", "limit_sales_percent")
    def _check_values(self):
        for grade in self:
            if grade.limit_equity_percent < 0 or grade.limit_sales_percent < 0:
                raise ValidationError(
                    _("Grade %s: limit shares cannot be negative.") % grade.code)
            if not 0 <= grade.min_score <= 100:
                raise ValidationError(
                    _("Grade %s: the minimum score must be between 0 and "
                      "100.") % grade.code)
            if grade.limit_cap < 0:
                raise ValidationError(
                    _("Grade %s: the limit cap cannot be negative.") % grade.code)
            if grade.review_interval_months < 0:
                raise ValidationError(
                    _("Grade %s: the review interval cannot be negative.")
                    % grade.code)

    @api.model
    def _grades_for_company(self, company):
        return self.search(["|", ("company_id", "=", False),
                            ("company_id", "=", company.id)])

    @api.model
    def _grade_for_score(self, score, company=None):
        """The grade an evaluation scoring ``score`` proposes."""
        grades = self._grades_for_company(company or self.env.user.company_id)
        key = grading.grade_for_score(
            score, [grading.GradeBand(g.id, g.min_score) for g in grades])
        return self.browse(key) if key else self.browse()

    def _proposed_limit(self, equity=None, annual_sales=None):
        """(amount, basis) this grade proposes, see domain.limits."""
        self.ensure_one()
        return limits_domain.proposed_limit(
            self.limit_rule, self.limit_cap,
            equity_percent=self.limit_equity_percent,
            sales_percent=self.limit_sales_percent,
            equity=equity, annual_sales=annual_sales,
            allow_credit=self.allow_credit)
