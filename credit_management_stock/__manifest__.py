# Copyright 2026 credit_management contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Customer Credit Management - Deliveries",
    "summary": "Deliveries to customers on credit hold, beyond their limit or "
               "overdue wait for the credit team's release",
    "version": "11.0.1.0.0",
    "category": "Warehouse",
    "website": "https://github.com/credit-management/credit_management",
    "author": "credit_management contributors",
    "license": "AGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["credit_management", "stock"],
    "data": [
        "views/credit_stock_views.xml",
    ],
}
