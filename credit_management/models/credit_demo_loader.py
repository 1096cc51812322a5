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

    Every method is private (a leading underscore): they act as the demo
    users (controller, manager) and must never be reached over RPC, which
    refuses private names; the demo files call them with ``<function>``.
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
    def _demo_create_invoices(self, specs):
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
    def _demo_pay(self, invoice, amount, date, journal=None):
        """A customer payment of ``amount`` against ``invoice``, posted
        (in ``journal``, else the company's first bank or cash journal)."""
        journal = journal or self.env["account.journal"].search([
            ("company_id", "=", invoice.company_id.id),
            ("type", "in", ("bank", "cash"))], limit=1)
        if not journal:
            return None
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
        return payment

    # ------------------------------------------------------------------
    # Credit files: dossiers, statements, evaluations, limit requests.
    # Made through the real workflow (controller submits, manager
    # approves) so states, history and partner values agree.
    # ------------------------------------------------------------------
    @api.model
    def _demo_user(self, xml_id):
        return self.env.ref("credit_management." + xml_id)

    @api.model
    def _demo_create_credit_files(self, specs):
        """``specs``: list of dicts with ``partner`` (xml id), ``dossier``
        (values), ``statements`` (list of values), and optionally
        ``evaluation`` with ``days_ago`` and ``state`` ('approved',
        'to_approve' or 'draft'). An approved evaluation keeps the
        customer's demo grade and limit (an override is justified when the
        scorecard proposes otherwise)."""
        controller = self._demo_user("user_credit_controller_demo")
        manager = self._demo_user("user_credit_manager_demo")
        Dossier = self.env["credit.dossier"]
        today = fields.Date.from_string(fields.Date.context_today(self))
        for spec in specs:
            partner = self.env.ref("credit_management." + spec["partner"])
            if Dossier.search([("partner_id", "=", partner.id)]):
                continue
            dossier = Dossier.create(dict(spec.get("dossier", {}),
                                          partner_id=partner.id,
                                          user_id=controller.id))
            for statement in spec.get("statements", []):
                self.env["credit.financial.statement"].create(
                    dict(statement, dossier_id=dossier.id))
            ev_spec = spec.get("evaluation")
            if not ev_spec:
                continue
            date = today - timedelta(days=ev_spec.get("days_ago", 0))
            evaluation = self.env["credit.evaluation"].sudo(controller).create({
                "dossier_id": dossier.id, "date": fields.Date.to_string(date)})
            state = ev_spec.get("state", "approved")
            if state == "draft":
                continue
            if state == "approved" and partner.credit_grade_id:
                evaluation.write({"final_grade_id": partner.credit_grade_id.id,
                                  "final_limit": partner.credit_limit})
                if evaluation._credit_override_reasons():
                    evaluation.write({"override_reason": ev_spec.get(
                        "reason", "Long-standing customer whose payment "
                                  "record predates this system; grade and limit "
                                  "confirmed by the credit committee.")})
            evaluation.action_submit()
            if state == "approved":
                evaluation.sudo(manager).action_approve()
        return True

    @api.model
    def _demo_create_limit_requests(self, specs):
        """``specs``: list of (partner xml id, type, amount, days to expiry,
        reason, final state 'approved' or 'to_approve')."""
        sales = self._demo_user("user_credit_sales_demo")
        controller = self._demo_user("user_credit_controller_demo")
        manager = self._demo_user("user_credit_manager_demo")
        Request = self.env["credit.limit.request"]
        today = fields.Date.from_string(fields.Date.context_today(self))
        for partner_ref, kind, amount, days, reason, state in specs:
            partner = self.env.ref("credit_management." + partner_ref)
            if Request.search([("partner_id", "=", partner.id)]):
                continue
            request = Request.sudo(sales).create({
                "partner_id": partner.id, "request_type": kind,
                "requested_limit": amount, "reason": reason,
                "expiry_date": fields.Date.to_string(
                    today + timedelta(days=days)) if days else False})
            request.action_submit()
            if state == "approved":
                approver = manager if request.needs_manager else controller
                request.sudo(approver).action_approve()
        return True
