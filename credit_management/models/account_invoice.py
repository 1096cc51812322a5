# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .trusted import credit_trusted, is_released, is_trusted

# Amounts computed from the invoice lines: written only by Odoo's
# computation. A client writing them would change what the check counts.
COMPUTED_INVOICE_AMOUNTS = (
    "amount_untaxed", "amount_untaxed_signed", "amount_tax", "amount_total",
    "amount_total_signed", "amount_total_company_signed", "residual",
    "residual_signed", "residual_company_signed")


class AccountInvoice(models.Model):
    """Customer invoices: a credit-checked document (see
    credit_checked_document.py), checked when validated."""

    _name = "account.invoice"
    _inherit = ["account.invoice", "credit.checked.document"]

    # ------------------------------------------------------------------
    # no way around the check: a customer invoice's receivable is posted
    # by the Validate button (action_invoice_open) only
    # ------------------------------------------------------------------
    def _credit_refuse_outside_gate(self):
        if not is_trusted() and any(
                inv.type == "out_invoice" for inv in self):
            raise UserError(_("Validate customer invoices with the Validate "
                              "button: it runs the credit check."))

    @api.model
    def create(self, vals):
        if not is_trusted() and vals.get("type", self.env.context.get(
                "type", "out_invoice")) == "out_invoice" and vals.get(
                    "state", "draft") != "draft":
            raise UserError(_("A customer invoice is created as a draft and "
                              "validated with the Validate button, which runs "
                              "the credit check."))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if not is_trusted():
            if vals.get("state") in ("open", "paid"):
                self.filtered(
                    lambda inv: inv.state in ("draft", "cancel")
                )._credit_refuse_outside_gate()
            written = [name for name in COMPUTED_INVOICE_AMOUNTS
                       if name in vals]
            if written:
                raise UserError(_(
                    "%s is computed from the invoice lines and cannot be "
                    "written.") % self._fields[written[0]].get_description(
                        self.env)["string"])
        # a held check waits while its invoice is a draft
        moved = [inv.id for inv in self.sudo()
                 if (inv.state == "draft") != (vals["state"] == "draft")] \
            if "state" in vals else []
        result = super().write(vals)
        if moved:
            self.env["credit.check"]._credit_held_candidates(
                "invoice_id", moved)._credit_recompute_held()
        return result

    @api.multi
    def unlink(self):
        checks = self.env["credit.check"]._credit_held_candidates(
            "invoice_id", self.ids)
        result = super().unlink()
        checks._credit_recompute_held()
        return result

    @api.multi
    def action_move_create(self):
        """Posts the receivable: only inside the validation (gate)."""
        self._credit_refuse_outside_gate()
        return super().action_move_create()

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
        self._credit_refuse_outside_gate()
        return super().invoice_validate()

    # credit-checked document hooks
    def _credit_policy_applies(self, policy):
        return bool(policy) and policy.invoice_check_mode != "none"

    def _credit_record_passed(self):
        return False  # a credit.check only when it fails

    def _credit_check_exclusions(self):
        return {"exclude_invoice_ids": self.ids}

    def _credit_confirm_document(self):
        return self.action_invoice_open()

    def _credit_amount_company_currency(self):
        self.ensure_one()
        return abs(self.amount_total_company_signed)

    def _credit_run_check(self):
        """Check this invoice; a failure is held only when the policy
        blocks invoices (else it is a warning)."""
        check = super()._credit_run_check()
        if check and self.company_id.sudo().credit_policy_id \
                .invoice_check_mode != "block":
            with credit_trusted():
                check.sudo().write({"check_mode": "monitor"})
        return check

    def _credit_document_terms(self):
        """The invoice's payment terms (or its due date) for the terms rule."""
        self.ensure_one()
        date_ref = self.date_invoice or fields.Date.context_today(self)
        term = self.payment_term_id
        if term:
            label = term.display_name
        elif self.date_due and self.date_due != date_ref:
            label = _("due on %s") % self.date_due
        else:
            label = _("Immediate Payment")
        return {
            "date": date_ref,
            "amount": self.amount_total,
            "currency": self.currency_id,
            "term": term,
            "due_date": self.date_due,
            "label": label,
        }

    def _credit_current_amount(self, check):
        """The amount ``check`` decided on, as it is now."""
        return self._credit_amount_company_currency()

    def _prepare_credit_check_vals(self):
        self.ensure_one()
        return {"invoice_id": self.id, "user_id": self.user_id.id,
                "trigger": "validation",
                "name": self.number or self.display_name,
                "document_currency_id": self.currency_id.id,
                "document_amount": self.amount_total}

    def _credit_hold(self, check):
        """The invoice stays draft; the credit team gets to-dos."""
        self.ensure_one()
        self._credit_post_reasons(
            _("Credit hold: the invoice was not validated."), check)
        self._credit_schedule_review(check)

    def _credit_post_warning(self, check):
        self._credit_post_reasons(
            _("Credit warning: validated although the credit check "
              "failed."), check)
