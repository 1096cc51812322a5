# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.exceptions import UserError

from .trusted import credit_released, credit_trusted, is_released, is_trusted


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    # ------------------------------------------------------------------
    # the same credit rules when a customer invoice is validated
    # ------------------------------------------------------------------
    @api.multi
    def action_invoice_open(self):
        to_check = self.filtered(
            lambda inv: inv.type == "out_invoice" and inv.state == "draft"
            and not is_released(inv))
        held = warned = self.env["credit.check"]
        for invoice in to_check.sorted(
                lambda i: (i.commercial_partner_id.id, i.id)):
            check = invoice._credit_run_check()
            if not check:
                continue
            if check.check_mode == "block":
                invoice._credit_hold(check)
                held |= check
            else:
                warned |= check
        with credit_trusted():
            to_open = self - held.mapped("invoice_id")
            result = super(AccountInvoice, to_open).action_invoice_open() \
                if to_open else True
        for check in warned:
            check.invoice_id._credit_post_warning(check)
        if held or warned:
            return (held | warned)._credit_hold_action()
        return result

    @api.multi
    def invoice_validate(self):
        if not is_trusted() and any(
                inv.type == "out_invoice" for inv in self):
            raise UserError(_("Validate customer invoices with the Validate "
                              "button: it runs the credit check."))
        return super().invoice_validate()

    def _credit_run_check(self):
        """Check this invoice; store a credit.check only when it fails."""
        self.ensure_one()
        company = self.company_id
        policy = company.sudo().credit_policy_id
        if not policy or policy.invoice_check_mode == "none":
            return self.env["credit.check"]
        partner = self.commercial_partner_id.sudo().with_context(
            force_company=company.id)
        partner._credit_lock()
        check = self.env["credit.check"]._credit_evaluate(
            partner, company, policy, abs(self.amount_total_company_signed),
            self.payment_term_id or partner.property_payment_term_id,
            self._prepare_credit_check_vals(),
            exclude_invoice_ids=self.ids, record_passed=False)
        if check and policy.invoice_check_mode != "block":
            with credit_trusted():
                check.sudo().write({"check_mode": "monitor"})
        return check

    def _prepare_credit_check_vals(self):
        self.ensure_one()
        return {"invoice_id": self.id, "user_id": self.user_id.id,
                "name": self.number or self.display_name,
                "document_currency_id": self.currency_id.id,
                "document_amount": self.amount_total}

    def _credit_hold(self, check):
        self.ensure_one()
        self.sudo().message_post(
            body="<p>%s</p><p>%s</p>" % (
                _("Credit hold: the invoice was not validated."),
                (check.reasons or "").replace("\n", "<br/>")),
            subtype="mail.mt_note")
        activity_type = self.env.ref("mail.mail_activity_data_todo",
                                     raise_if_not_found=False)
        model = self.env["ir.model"].sudo()._get(self._name)
        for user in check._credit_deciders():
            self.env["mail.activity"].sudo().create({
                "res_model_id": model.id, "res_id": self.id,
                "user_id": user.id,
                "activity_type_id": activity_type.id if activity_type else False,
                "summary": _("Credit hold: review %s") % self.display_name,
                "note": (check.reasons or "").replace("\n", "<br/>"),
            })

    def _credit_post_warning(self, check):
        self.sudo().message_post(
            body="<p>%s</p><p>%s</p>" % (
                _("Credit warning: validated although the credit check "
                  "failed."),
                (check.reasons or "").replace("\n", "<br/>")),
            subtype="mail.mt_note")

    def _credit_confirm_released(self, check):
        self.ensure_one()
        with credit_released(self):
            self.action_invoice_open()

    def _credit_reject(self, check):
        """The invoice stays draft."""
        return True
