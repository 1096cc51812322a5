# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class CreditDemoLoader(models.AbstractModel):
    """Builds the demo portfolio's invoices (demo data only).

    Invoices need a chart of accounts. On a new database Odoo loads its
    chart after this module's demo data, so without a chart the invoices
    are left out with a warning instead of failing the install.
    """

    _name = "credit.demo.loader"
    _description = "Credit demo data loader"

    @api.model
    def _demo_accounts(self, company):
        Account = self.env["account.account"]
        revenue = Account.search([
            ("company_id", "=", company.id),
            ("user_type_id", "=", self.env.ref("account.data_account_type_revenue").id),
        ], limit=1)
        journal = self.env["account.journal"].search([
            ("company_id", "=", company.id), ("type", "=", "sale")], limit=1)
        return revenue, journal

    @api.model
    def create_invoices(self, specs):
        """Create and validate customer invoices.

        ``specs``: list of (xml id, partner xml id, days ago, quantity, unit
        price, paid share); the invoice date is today minus ``days ago`` and
        the due date follows the partner's payment term.
        """
        company = self.env.user.company_id
        revenue, journal = self._demo_accounts(company)
        if not revenue or not journal:
            _logger.warning("credit_management demo: no chart of accounts yet; "
                            "demo invoices skipped (install the addon on a "
                            "database with accounting set up to get them).")
            return False
        product = self.env.ref("credit_management.product_credit_demo")
        today = fields.Date.from_string(fields.Date.context_today(self))
        for xml_id, partner_ref, days_ago, qty, price, paid in specs:
            if self.env.ref("credit_management." + xml_id, raise_if_not_found=False):
                continue
            partner = self.env.ref("credit_management." + partner_ref)
            invoice = self.env["account.invoice"].create({
                "partner_id": partner.id,
                "type": "out_invoice",
                "journal_id": journal.id,
                "user_id": partner.user_id.id,
                "date_invoice": fields.Date.to_string(today - timedelta(days=days_ago)),
                "invoice_line_ids": [(0, 0, {
                    "product_id": product.id,
                    "name": product.name,
                    "quantity": qty,
                    "price_unit": price,
                    "account_id": revenue.id,
                })],
            })
            invoice.action_invoice_open()
            if paid:
                self._demo_pay(invoice, invoice.amount_total * paid,
                               today - timedelta(days=max(days_ago - 20, 0)))
            self.env["ir.model.data"].create({
                "module": "credit_management", "name": xml_id,
                "model": "account.invoice", "res_id": invoice.id,
                "noupdate": True,
            })
        return True

    @api.model
    def _demo_pay(self, invoice, amount, date):
        journal = self.env["account.journal"].search([
            ("company_id", "=", invoice.company_id.id),
            ("type", "in", ("bank", "cash"))], limit=1)
        if not journal:
            return
        payment = self.env["account.payment"].create({
            "payment_type": "inbound",
            "partner_type": "customer",
            "partner_id": invoice.commercial_partner_id.id,
            "amount": amount,
            "journal_id": journal.id,
            "payment_date": fields.Date.to_string(date),
            "payment_method_id": self.env.ref(
                "account.account_payment_method_manual_in").id,
            "invoice_ids": [(6, 0, invoice.ids)],
        })
        payment.post()
