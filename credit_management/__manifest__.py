# Copyright 2026 credit_management contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Customer Credit Management",
    "summary": "Credit dossiers, scorecard grades, credit terms and limits, "
               "order credit check, receivable aging, warnings and collections",
    "version": "11.0.1.0.0",
    "development_status": "Beta",
    "category": "Accounting",
    "website": "https://github.com/credit-management/credit_management",
    "author": "credit_management contributors",
    "maintainers": ["credit-management"],
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "mail",
        "account_invoicing",
        "sale_management",
        "report_xlsx",
        "base_tier_validation",
    ],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/credit_management_security.xml",
        "security/ir.model.access.csv",
        "data/credit_term_template_data.xml",
        "data/credit_grade_data.xml",
        "data/credit_policy_data.xml",
        "views/credit_menus.xml",
        "views/credit_policy_views.xml",
        "views/credit_grade_views.xml",
        "views/credit_term_template_views.xml",
        "views/res_partner_views.xml",
        "views/credit_check_views.xml",
        "views/sale_order_views.xml",
        "wizards/credit_check_decision_views.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
        "demo/credit_portfolio_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
}
