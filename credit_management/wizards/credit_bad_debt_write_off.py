# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class CreditBadDebtWriteOff(models.TransientModel):
    """Write off a customer's open invoices as bad debt (managers only)."""

    _name = "credit.bad.debt.write.off"
    _description = "Write Off Bad Debt"

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True,
        domain=[("parent_id", "=", False), ("customer", "=", True)])
    company_id = fields.Many2one(
        "res.company", required=True,
        default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=True)
    invoice_ids = fields.Many2many(
        "account.invoice", string="Invoices",
        domain="[('commercial_partner_id', '=', partner_id), "
               "('company_id', '=', company_id), ('state', '=', 'open'), "
               "('type', '=', 'out_invoice')]")
    account_id = fields.Many2one(
        "account.account", "Bad-Debt Expense Account", required=True,
        domain="[('company_id', '=', company_id), "
               "('internal_type', 'not in', ('receivable', 'payable'))]")
    journal_id = fields.Many2one(
        "account.journal", required=True,
        domain="[('company_id', '=', company_id), "
               "('type', 'in', ('general', 'sale'))]")
    date = fields.Date(required=True, default=fields.Date.context_today)
    reason = fields.Text(required=True)
    amount = fields.Monetary(compute="_compute_amount")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner" \
                and self.env.context.get("active_id"):
            partner = self.env["res.partner"].browse(
                self.env.context["active_id"]).commercial_partner_id
            values["partner_id"] = partner.id
        return values

    @api.depends("invoice_ids")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = sum(wizard.invoice_ids.mapped(
                "residual_company_signed"))

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        self.invoice_ids = self.env["account.invoice"].search([
            ("commercial_partner_id", "=", self.partner_id.id),
            ("company_id", "=", self.company_id.id),
            ("state", "=", "open"), ("type", "=", "out_invoice")]) \
            if self.partner_id else False

    # ------------------------------------------------------------------
    def _check_input(self):
        if not self.env.user.has_group(
                "credit_management.group_credit_manager"):
            raise AccessError(_("Only a credit manager may write off bad "
                                "debt."))
        if not self.invoice_ids:
            raise UserError(_("Select the invoices to write off."))
        if not (self.reason or "").strip():
            raise UserError(_("Give the reason of the write-off."))
        wrong = self.invoice_ids.filtered(
            lambda inv: inv.state != "open" or inv.type != "out_invoice"
            or inv.commercial_partner_id != self.partner_id
            .commercial_partner_id or inv.company_id != self.company_id)
        if wrong:
            raise UserError(_("Only open customer invoices of %s in %s can "
                              "be written off: %s.") % (
                self.partner_id.display_name, self.company_id.name,
                ", ".join(wrong.mapped(lambda i: i.number or str(i.id)))))
        if self.journal_id.company_id != self.company_id \
                or self.account_id.company_id != self.company_id:
            raise UserError(_("Account and journal must belong to %s.")
                            % self.company_id.name)

    def _open_receivable_lines(self, invoice):
        return invoice.move_id.line_ids.filtered(
            lambda line: line.account_id == invoice.account_id
            and not line.reconciled)

    def _prepare_move_vals(self):
        company_currency = self.company_id.currency_id
        lines = []
        total = 0.0
        for invoice in self.invoice_ids:
            open_lines = self._open_receivable_lines(invoice)
            residual = sum(open_lines.mapped("amount_residual"))
            total += residual
            vals = {
                "name": _("Bad debt: %s") % invoice.number,
                "account_id": invoice.account_id.id,
                "partner_id": invoice.commercial_partner_id.id,
                "debit": residual < 0 and -residual or 0.0,
                "credit": residual > 0 and residual or 0.0,
            }
            if invoice.currency_id != company_currency:
                vals.update({
                    "currency_id": invoice.currency_id.id,
                    "amount_currency": -sum(open_lines.mapped(
                        "amount_residual_currency")),
                })
            lines.append((0, 0, vals))
        lines.append((0, 0, {
            "name": _("Bad debt written off: %s") % self.reason[:60],
            "account_id": self.account_id.id,
            "partner_id": self.partner_id.commercial_partner_id.id,
            "debit": total > 0 and total or 0.0,
            "credit": total < 0 and -total or 0.0,
        }))
        return {
            "journal_id": self.journal_id.id, "date": self.date,
            "ref": _("Bad-debt write-off %s") % self.partner_id.display_name,
            "company_id": self.company_id.id, "line_ids": lines,
        }, total

    @api.multi
    def action_apply(self):
        """Post the write-off entry, reconcile the invoices, record it and
        trigger the customer's grade review."""
        self.ensure_one()
        self._check_input()
        wizard = self.sudo()
        move_vals, total = wizard._prepare_move_vals()
        move = self.env["account.move"].sudo().create(move_vals)
        move.post()
        for invoice in wizard.invoice_ids:
            write_off_line = move.line_ids.filtered(
                lambda line: line.account_id == invoice.account_id
                and line.name == _("Bad debt: %s") % invoice.number)
            (wizard._open_receivable_lines(invoice) | write_off_line).reconcile()
        partner = wizard.partner_id.commercial_partner_id
        policy = wizard.company_id.credit_policy_id
        record = self.env["credit.bad.debt"].sudo().create({
            "name": move.name, "partner_id": partner.id,
            "company_id": wizard.company_id.id, "date": wizard.date,
            "user_id": self.env.user.id, "reason": wizard.reason,
            "invoice_ids": [(6, 0, wizard.invoice_ids.ids)],
            "amount": total, "account_id": wizard.account_id.id,
            "journal_id": wizard.journal_id.id, "move_id": move.id,
            "policy_id": policy.id, "policy_version": policy.version,
            "dossier_id": self.env["credit.dossier"].sudo()._find(
                partner, wizard.company_id).id,
        })
        wizard._trigger_grade_review(partner, record)
        return {
            "type": "ir.actions.act_window", "res_model": "credit.bad.debt",
            "res_id": record.id, "view_mode": "form",
        }

    def _trigger_grade_review(self, partner, record):
        """The customer's grade is due for review today."""
        partner.sudo().with_context(
            force_company=record.company_id.id)._credit_write_profile(
                {"credit_review_date": record.date})
        policy = record.company_id.credit_policy_id
        responsible = self.env["credit.warning"]._get_responsible(
            record.company_id, policy, partner) or self.env.user
        self.env["mail.activity"].sudo().create({
            "res_model_id": self.env["ir.model"]._get("res.partner").id,
            "res_id": partner.id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            "summary": _("Review the credit grade after a bad-debt "
                         "write-off"),
            "note": _("%s written off on %s: %s") % (
                record.amount, record.date, record.reason),
            "user_id": responsible.id,
            "date_deadline": record.date,
        })
        partner.sudo().message_post(body=_(
            "Bad debt of %.2f %s written off (%s); credit review due.") % (
                record.amount, record.currency_id.name, record.name))
