# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Cash discount (现金折扣) in the books.

The credit term template writes its discount on the payment term it keeps;
an invoice on that term knows its discount deadline and amount. When the
payments dated on or before the deadline leave exactly the discount open,
the discount is posted (net to the company's "cash discount granted"
account, each tax corrected in proportion) and the invoice is paid.

Choices: partial payments before the deadline add up (the discount is
granted when they reach the discounted total); the discount base is the
invoice total less the credit notes applied to it; in a foreign currency
the discount is computed in the invoice currency and booked at the rate of
the open receivable (the invoice is closed in both currencies, no exchange
difference); payments matched to the invoice by hand later are not
discounted automatically.
"""
from odoo import _, api, fields, models

from ..domain import terms as terms_domain


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_cash_discount_account_id = fields.Many2one(
        "account.account", "Cash Discount Granted Account",
        domain="[('deprecated', '=', False)]",
        help="Expense account debited with the cash discounts customers "
             "take (net of tax).")


class CreditPolicy(models.Model):
    _inherit = "credit.policy"

    cash_discount_account_id = fields.Many2one(
        related="company_id.credit_cash_discount_account_id",
        string="Cash Discount Granted Account")


class AccountPaymentTerm(models.Model):
    _inherit = "account.payment.term"

    credit_discount_percent = fields.Float(
        "Cash Discount (%)", digits=(5, 2),
        help="Discount the customer may deduct when paying within the "
             "discount days (kept by the credit term template).")
    credit_discount_days = fields.Integer("Cash Discount Days")


class CreditTermTemplate(models.Model):
    _inherit = "credit.term.template"

    def _prepare_payment_term_vals(self):
        vals = super()._prepare_payment_term_vals()
        vals.update(credit_discount_percent=self.discount_percent,
                    credit_discount_days=self.discount_days)
        return vals

    @api.model
    def _credit_resync_payment_terms(self):
        """Write every template's discount on its payment term (on install
        and upgrade, for templates made before the discount was booked)."""
        self.with_context(active_test=False).search([])._sync_payment_term()
        return True


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    credit_discount_date = fields.Date(
        "Discount Deadline", compute="_compute_credit_discount", store=True,
        help="Paid on or before this date, the discounted amount settles "
             "the invoice.")
    credit_discount_amount = fields.Monetary(
        "Cash Discount", compute="_compute_credit_discount", store=True)
    credit_discount_total = fields.Monetary(
        "Amount with Discount", compute="_compute_credit_discount",
        store=True)
    credit_discount_move_id = fields.Many2one(
        "account.move", "Cash Discount Entry", readonly=True, copy=False)

    @api.depends("payment_term_id", "date_invoice", "amount_total", "type")
    def _compute_credit_discount(self):
        for invoice in self:
            term = invoice.payment_term_id
            if invoice.type != "out_invoice" or not invoice.date_invoice \
                    or not term.credit_discount_percent:
                invoice.credit_discount_date = False
                invoice.credit_discount_amount = 0.0
                invoice.credit_discount_total = 0.0
                continue
            deadline = terms_domain.discount_deadline(
                fields.Date.from_string(invoice.date_invoice),
                term.credit_discount_days)
            amount = terms_domain.discount_amount(
                invoice.amount_total, term.credit_discount_percent,
                invoice.currency_id.rounding)
            invoice.credit_discount_date = fields.Date.to_string(deadline)
            invoice.credit_discount_amount = amount
            invoice.credit_discount_total = invoice.amount_total - amount

    def _credit_open_receivable_lines(self):
        self.ensure_one()
        return self.move_id.line_ids.filtered(
            lambda line: line.account_id == self.account_id
            and not line.reconciled)

    def _credit_refunded_amount(self):
        """Credit notes applied to this invoice, invoice currency."""
        self.ensure_one()
        total = 0.0
        foreign = self.currency_id != self.company_id.currency_id
        for line in self.move_id.line_ids.filtered(
                lambda l: l.account_id == self.account_id):
            for partial in line.matched_credit_ids:
                if partial.credit_move_id.invoice_id.type == "out_refund":
                    total += partial.amount_currency if foreign \
                        else partial.amount
        return total

    def _credit_discount_due(self, payment_date):
        """The discount (invoice currency) earned by the payments up to
        ``payment_date``, else 0."""
        self.ensure_one()
        term = self.payment_term_id
        if self.type != "out_invoice" or self.state != "open" \
                or not term.credit_discount_percent \
                or self.credit_discount_move_id:
            return 0.0
        rounding = self.currency_id.rounding
        base = self.amount_total - self._credit_refunded_amount()
        discount = terms_domain.discount_amount(
            base, term.credit_discount_percent, rounding)
        deadline = fields.Date.from_string(self.credit_discount_date)
        if not terms_domain.discount_earned(
                fields.Date.from_string(payment_date), deadline,
                self.residual, discount, rounding):
            return 0.0
        return discount

    def _credit_prepare_discount_move(self, journal, date):
        """Values of the cash discount entry: the open receivable credited,
        the discount account and the taxes debited in proportion."""
        self.ensure_one()
        company = self.company_id
        account = company.credit_cash_discount_account_id
        open_lines = self._credit_open_receivable_lines()
        company_amount = sum(open_lines.mapped("amount_residual"))
        foreign = self.currency_id != company.currency_id
        currency_amount = sum(open_lines.mapped("amount_residual_currency")) \
            if foreign else 0.0
        taxes = self.tax_line_ids.filtered(lambda t: t.amount_total)
        ratios = [t.amount_total / self.amount_total if self.amount_total
                  else 0.0 for t in taxes]
        net, tax_parts = terms_domain.split_discount(
            company_amount, 1.0, ratios, company.currency_id.rounding)
        net_cur, tax_parts_cur = terms_domain.split_discount(
            currency_amount, 1.0, ratios, self.currency_id.rounding)
        partner = self.commercial_partner_id
        label = _("Cash discount %s") % self.number

        def line(name, account_id, amount, amount_cur, **extra):
            vals = {"name": name, "account_id": account_id,
                    "partner_id": partner.id,
                    "debit": amount > 0 and amount or 0.0,
                    "credit": amount < 0 and -amount or 0.0}
            if foreign:
                vals.update(currency_id=self.currency_id.id,
                            amount_currency=amount_cur)
            vals.update(extra)
            return (0, 0, vals)

        lines = [line(label, self.account_id.id, -company_amount,
                      -currency_amount),
                 line(label, account.id, net, net_cur)]
        for tax, part, part_cur in zip(taxes, tax_parts, tax_parts_cur):
            if part or part_cur:
                lines.append(line(
                    _("%s: %s") % (label, tax.name), tax.account_id.id,
                    part, part_cur, tax_line_id=tax.tax_id.id))
        return {"journal_id": journal.id, "date": date, "ref": label,
                "company_id": company.id, "line_ids": lines}

    def _credit_grant_cash_discount(self, payment_date, journal):
        """Post the cash discount earned by a payment of ``payment_date``
        and close the invoice; return the entry (or an empty recordset)."""
        self.ensure_one()
        Move = self.env["account.move"]
        if not self._credit_discount_due(payment_date):
            return Move
        if not self.company_id.credit_cash_discount_account_id:
            self.message_post(body=_(
                "The cash discount was earned but not posted: set the cash "
                "discount granted account of %s.") % self.company_id.name)
            return Move
        move = Move.sudo().create(
            self._credit_prepare_discount_move(journal, payment_date))
        move.post()
        receivable = move.line_ids.filtered(
            lambda l: l.account_id == self.account_id)
        (self._credit_open_receivable_lines() | receivable).sudo().reconcile()
        self.sudo().write({"credit_discount_move_id": move.id})
        self.message_post(body=_("Cash discount of %s granted (paid on %s, "
                                 "deadline %s).") % (
            self.credit_discount_amount, payment_date,
            self.credit_discount_date))
        return move


class AccountPayment(models.Model):
    _inherit = "account.payment"

    @api.multi
    def post(self):
        res = super().post()
        for payment in self.filtered(
                lambda p: p.payment_type == "inbound"
                and p.partner_type == "customer"):
            for invoice in payment.invoice_ids:
                invoice._credit_grant_cash_discount(payment.payment_date,
                                                    payment.journal_id)
        return res
