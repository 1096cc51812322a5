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
