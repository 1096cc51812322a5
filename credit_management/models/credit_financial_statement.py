# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..domain import financial

FIGURE_FIELDS = financial.StatementFigures._fields
# figures that may be negative (losses, negative equity, cash burn)
SIGNED_FIELDS = ("gross_profit", "net_profit", "equity", "operating_cash_flow")


class CreditFinancialStatement(models.Model):
    """A customer's financial statement for one fiscal year, with ratios."""

    _name = "credit.financial.statement"
    _description = "Customer Financial Statement"
    _order = "dossier_id, fiscal_year desc, id desc"
    _rec_name = "fiscal_year"

    dossier_id = fields.Many2one(
        "credit.dossier", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(
        related="dossier_id.partner_id", store=True, readonly=True)
    company_id = fields.Many2one(
        related="dossier_id.company_id", store=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    fiscal_year = fields.Integer(required=True)
    date = fields.Date("Balance Sheet Date")
    audited = fields.Boolean()
    source = fields.Char(help="Where the figures come from (annual report, "
                              "tax filing, bureau...).")

    revenue = fields.Monetary(currency_field="currency_id")
    gross_profit = fields.Monetary(currency_field="currency_id")
    net_profit = fields.Monetary(currency_field="currency_id")
    total_assets = fields.Monetary(currency_field="currency_id")
    current_assets = fields.Monetary(currency_field="currency_id")
    inventory = fields.Monetary(currency_field="currency_id")
    receivables = fields.Monetary(currency_field="currency_id")
    cash = fields.Monetary(currency_field="currency_id")
    current_liabilities = fields.Monetary(currency_field="currency_id")
    total_liabilities = fields.Monetary(currency_field="currency_id")
    equity = fields.Monetary(currency_field="currency_id")
    operating_cash_flow = fields.Monetary(currency_field="currency_id")

    net_margin = fields.Float("Net Margin (%)", compute="_compute_ratios",
                              store=True, digits=(16, 2))
    roa = fields.Float("ROA (%)", compute="_compute_ratios", store=True,
                       digits=(16, 2), help="Net profit / total assets.")
    roe = fields.Float("ROE (%)", compute="_compute_ratios", store=True,
                       digits=(16, 2), help="Net profit / equity.")
    current_ratio = fields.Float(compute="_compute_ratios", store=True,
                                 digits=(16, 2))
    quick_ratio = fields.Float(
        compute="_compute_ratios", store=True, digits=(16, 2),
        help="(Current assets - inventory) / current liabilities.")
    debt_ratio = fields.Float("Debt Ratio (%)", compute="_compute_ratios",
                              store=True, digits=(16, 2),
                              help="Total liabilities / total assets.")
    receivable_turnover = fields.Float(
        compute="_compute_ratios", store=True, digits=(16, 2),
        help="Revenue / receivables.")
    inventory_turnover = fields.Float(
        compute="_compute_ratios", store=True, digits=(16, 2),
        help="Cost of sales (revenue - gross profit) / inventory.")

    _sql_constraints = [
        ("dossier_year_uniq", "unique(dossier_id, fiscal_year)",
         "There is already a statement for this fiscal year."),
    ]

    def _get_figures(self):
        """The statement as plain figures for domain/."""
        self.ensure_one()
        return financial.StatementFigures(
            *[self[name] for name in FIGURE_FIELDS])

    @api.depends(*FIGURE_FIELDS)
    def _compute_ratios(self):
        for statement in self:
            values = financial.ratios(statement._get_figures())
            for name in financial.RATIOS:
                statement[name] = values[name] or 0.0

    @api.constrains("fiscal_year", *FIGURE_FIELDS)
    def _check_figures(self):
        for statement in self:
            if not 1900 <= statement.fiscal_year <= 2999:
                raise ValidationError(
                    _("The fiscal year %s is not a valid year.")
                    % statement.fiscal_year)
            for name in FIGURE_FIELDS:
                if name not in SIGNED_FIELDS and statement[name] < 0:
                    raise ValidationError(
                        _("%s cannot be negative.")
                        % self._fields[name].get_description(self.env)["string"])
            if statement.current_assets > statement.total_assets:
                raise ValidationError(
                    _("Current assets cannot exceed total assets."))
            if statement.inventory + statement.receivables + statement.cash \
                    > statement.current_assets and statement.current_assets:
                raise ValidationError(
                    _("Inventory, receivables and cash together cannot "
                      "exceed current assets."))
