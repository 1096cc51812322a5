# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from datetime import timedelta

from odoo import api, fields, models


class CreditDemoLoader(models.AbstractModel):
    _inherit = "credit.demo.loader"

    @api.model
    def _demo_create_securities(self, collaterals, agreements):
        """Collateral and credit agreements through the real workflow
        (controller submits, manager approves). ``collaterals``: list of
        (partner xml id, type, issuer name, reference, amount, coverage %,
        days valid); ``agreements``: list of (partner xml id, limit, days
        valid, penalty interest % a year)."""
        controller = self._demo_user("user_credit_controller_demo")
        manager = self._demo_user("user_credit_manager_demo")
        today = fields.Date.from_string(fields.Date.context_today(self))
        Collateral = self.env["credit.collateral"]
        for ref, kind, issuer, reference, amount, coverage, days in collaterals:
            partner = self.env.ref("credit_management." + ref)
            if Collateral.search([("partner_id", "=", partner.id)]):
                continue
            issuer = self.env["res.partner"].search(
                [("name", "=", issuer)], limit=1) or self.env[
                    "res.partner"].create({"name": issuer, "is_company": True})
            collateral = Collateral.sudo(controller).create({
                "partner_id": partner.id, "collateral_type": kind,
                "issuer_id": issuer.id, "reference": reference,
                "amount": amount, "coverage_percent": coverage,
                "valid_from": fields.Date.to_string(today - timedelta(days=30)),
                "valid_to": fields.Date.to_string(today + timedelta(days=days))})
            collateral.action_submit()
            collateral.sudo(manager).action_approve()
        Agreement = self.env["credit.agreement"]
        for ref, limit, days, penalty in agreements:
            partner = self.env.ref("credit_management." + ref)
            if Agreement.search([("partner_id", "=", partner.id)]):
                continue
            agreement = Agreement.sudo(controller).create({
                "partner_id": partner.id, "approved_limit": limit,
                "term_template_id": partner.credit_grade_id
                .term_template_id.id,
                "penalty_interest_rate": penalty,
                "valid_from": fields.Date.to_string(today - timedelta(days=60)),
                "valid_to": fields.Date.to_string(today + timedelta(days=days))})
            agreement.action_submit()
            agreement.sudo(manager).action_approve()
            agreement.write({
                "date_signed": fields.Date.to_string(
                    today - timedelta(days=55)),
                "signed_copy": base64.b64encode(b"Signed credit agreement"),
                "signed_copy_name": "%s.pdf" % agreement.name.replace("/", "-")})
            agreement.action_activate()
        return True

    @api.model
    def _demo_create_discount_invoice(self, xml_id, partner_ref, template_ref,
                                      days_ago, amount):
        """An open invoice on cash-discount terms (e.g. 2/10 net 30) still
        within its discount days."""
        if self.env.ref("credit_management." + xml_id,
                        raise_if_not_found=False):
            return True
        company = self.env.user.company_id
        revenue, journal = self._demo_accounts(company)
        if not revenue or not journal:
            return False
        partner = self.env.ref("credit_management." + partner_ref)
        template = self.env.ref("credit_management." + template_ref)
        product = self.env.ref("credit_management.product_credit_demo")
        today = fields.Date.from_string(fields.Date.context_today(self))
        invoice = self.env["account.invoice"].create({
            "partner_id": partner.id, "type": "out_invoice",
            "journal_id": journal.id, "user_id": partner.user_id.id,
            "payment_term_id": template.payment_term_id.id,
            "date_invoice": fields.Date.to_string(
                today - timedelta(days=days_ago)),
            "invoice_line_ids": [(0, 0, {
                "product_id": product.id, "name": product.name,
                "quantity": 1, "price_unit": amount,
                "account_id": revenue.id})],
        })
        invoice.action_invoice_open()
        self.env["ir.model.data"].create({
            "module": "credit_management", "name": xml_id,
            "model": "account.invoice", "res_id": invoice.id,
            "noupdate": True})
        return True
