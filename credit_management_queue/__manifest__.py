# Copyright 2026 credit_management contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Customer Credit Management - Job Queue",
    "summary": "The credit jobs (aging, warnings, collection follow-up) run "
               "as queue jobs per company and batch on the channel "
               "root.credit, shared by every job runner",
    "version": "11.0.1.0.0",
    "category": "Accounting",
    "website": "https://github.com/credit-management/credit_management",
    "author": "credit_management contributors",
    "license": "AGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["credit_management", "queue_job"],
    "data": [
        "data/queue_job_channel_data.xml",
    ],
}
