# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo history's ledger: the first settled invoice and its payment
posted through the ORM, every other invoice and payment a copy of their
rows (queries/demo.py)."""
from datetime import timedelta

from odoo import api, fields, models

from ..domain import demo_ledger
from ..queries import demo as demo_queries
from .trusted import credit_released


class CreditDemoHistoryLedger(models.AbstractModel):
    _inherit = "credit.demo.loader"

    # ------------------------------------------------------------------
    # The ledger. The first settled invoice and its payment go through the
    # ORM (validation, payment, reconciliation); every other invoice and
    # payment is a copy of those rows with its own partner, dates, amounts
    # and sequence numbers, written by SQL in one pass: the same columns
    # with the values the ORM computes for them (residuals, reconciliation,
    # matched percentage, cash basis, states). Through the ORM the 1,800
    # invoices and payments take half an hour on two cores; copied, seconds.
    # The receivable balance triggers are statement-level: they see these
    # rows as they see the ORM's. tests/test_install_demo.py checks the
    # copies against the ORM's invariants on the demo database.
    # ------------------------------------------------------------------
    @api.model
    def _demo_history_dates(self, item):
        """(invoice date, due date, payment date or None) of a ledger item."""
        today = fields.Date.from_string(fields.Date.context_today(self))
        start = self._demo_history_start(today, demo_ledger.PARAMS)
        date = start + timedelta(days=item.day)
        due = date + timedelta(days=demo_ledger.PARAMS.due_days)
        paid = None
        if item.days_late is not None:
            paid = due + timedelta(days=item.days_late)
            if paid > today:
                paid = None
        return date, due, paid

    @api.model
    def _demo_history_post_prototype(self, item, partner, revenue, journal,
                                     bank):
        """The first settled invoice and its payment, through the ORM."""
        product = self.env.ref("credit_management.product_credit_demo")
        date, due, paid = self._demo_history_dates(item)
        invoice = self.env["account.invoice"].create({
            "partner_id": partner.id,
            "type": "out_invoice",
            "journal_id": journal.id,
            "user_id": partner.user_id.id,
            "date_invoice": fields.Date.to_string(date),
            "payment_term_id": False,
            "date_due": fields.Date.to_string(due),
            "invoice_line_ids": [(0, 0, {
                "product_id": product.id,
                "name": product.name,
                "quantity": 1,
                "price_unit": item.amount,
                "account_id": revenue.id,
                "invoice_line_tax_ids": [(6, 0, [])],
            })],
        })
        # the history predates the credit gate: validated as released
        with credit_released(invoice):
            invoice.action_invoice_open()
        payment = self._demo_pay(invoice, invoice.amount_total, paid,
                                 journal=bank)
        return invoice, payment

    @api.model
    def _demo_columns(self, table):
        return demo_queries.table_columns(self.env.cr, table)

    @api.model
    def _demo_clone(self, table, proto_id, values, columns):
        """INSERT a copy of row ``proto_id`` of ``table`` with ``values``
        (column: value) replaced; returns the new id."""
        return demo_queries.clone_row(self.env.cr, table, proto_id, values,
                                      columns)

    @api.model
    def _demo_history_ledger(self, ledger, partners, revenue, journal, bank):
        """Post the whole ledger; returns the number of invoices."""
        first = next(i for i, item in enumerate(ledger)
                     if self._demo_history_dates(item)[2])
        proto_inv, proto_pay = self._demo_history_post_prototype(
            ledger[first], partners[ledger[first].customer], revenue,
            journal, bank)
        self.recompute()
        cr = self.env.cr
        cols = {t: self._demo_columns(t) for t in (
            "account_invoice", "account_invoice_line", "account_move",
            "account_move_line", "account_payment",
            "account_partial_reconcile", "account_full_reconcile")}
        inv_move = proto_inv.move_id
        inv_recv = inv_move.line_ids.filtered(
            lambda l: l.account_id.internal_type == "receivable")
        inv_rev = inv_move.line_ids - inv_recv
        pay_move = proto_pay.move_line_ids.mapped("move_id")
        pay_recv = proto_pay.move_line_ids.filtered(
            lambda l: l.account_id.internal_type == "receivable")
        pay_bank = proto_pay.move_line_ids - pay_recv
        partial = inv_recv.matched_credit_ids
        full = inv_recv.full_reconcile_id
        assert len(partial) == 1 and full and len(pay_recv) == 1
        inv_line = proto_inv.invoice_line_ids
        Sequence = self.env["ir.sequence"]
        pay_code = "account.payment.customer.invoice"
        count = 1
        for index, item in enumerate(ledger):
            if index == first:
                continue
            count += 1
            partner = partners[item.customer]
            date, due, paid = self._demo_history_dates(item)
            day, due_day = fields.Date.to_string(date), \
                fields.Date.to_string(due)
            amount = item.amount
            number = journal.sequence_id.with_context(
                ir_sequence_date=day).next_by_id()
            settled = paid is not None
            move_id = self._demo_clone("account_move", inv_move.id, {
                "name": number, "ref": False, "date": day,
                "partner_id": partner.id, "amount": amount,
                "matched_percentage": 1.0 if settled else 0.0},
                cols["account_move"])
            inv_id = self._demo_clone("account_invoice", proto_inv.id, {
                "partner_id": partner.id,
                "commercial_partner_id": partner.id,
                "user_id": partner.user_id.id,
                "date_invoice": day, "date": day, "date_due": due_day,
                "number": number, "move_name": number,
                "move_id": move_id, "reference": False, "name": False,
                "origin": False,
                "comment": "Disputed" if item.disputed else False,
                "amount_untaxed": amount, "amount_untaxed_signed": amount,
                "amount_total": amount, "amount_total_signed": amount,
                "amount_total_company_signed": amount,
                "residual": 0.0 if settled else amount,
                "residual_signed": 0.0 if settled else amount,
                "residual_company_signed": 0.0 if settled else amount,
                "reconciled": settled,
                "state": "paid" if settled else "open"},
                cols["account_invoice"])
            self._demo_clone("account_invoice_line", inv_line.id, {
                "invoice_id": inv_id, "partner_id": partner.id,
                "price_unit": amount, "price_subtotal": amount,
                "price_total": amount, "price_subtotal_signed": amount},
                cols["account_invoice_line"])
            full_id = self._demo_clone("account_full_reconcile", full.id, {
                "name": Sequence.next_by_code("account.reconcile")},
                cols["account_full_reconcile"]) if settled else None
            recv_id = self._demo_clone("account_move_line", inv_recv.id, {
                "move_id": move_id, "invoice_id": inv_id,
                "partner_id": partner.id, "date": day,
                "date_maturity": due_day, "ref": number,
                "debit": amount, "credit": 0.0, "balance": amount,
                "debit_cash_basis": amount if settled else 0.0,
                "credit_cash_basis": 0.0,
                "balance_cash_basis": amount if settled else 0.0,
                "amount_residual": 0.0 if settled else amount,
                "reconciled": settled, "full_reconcile_id": full_id},
                cols["account_move_line"])
            self._demo_clone("account_move_line", inv_rev.id, {
                "move_id": move_id, "invoice_id": inv_id,
                "partner_id": partner.id, "date": day,
                "date_maturity": due_day, "ref": number,
                "debit": 0.0, "credit": amount, "balance": -amount,
                "debit_cash_basis": 0.0,
                "credit_cash_basis": amount if settled else 0.0,
                "balance_cash_basis": -amount if settled else 0.0},
                cols["account_move_line"])
            if not settled:
                continue
            pay_day = fields.Date.to_string(paid)
            pay_name = Sequence.with_context(
                ir_sequence_date=pay_day).next_by_code(pay_code)
            pay_move_name = bank.sequence_id.with_context(
                ir_sequence_date=pay_day).next_by_id()
            pay_id = self._demo_clone("account_payment", proto_pay.id, {
                "name": pay_name, "move_name": pay_move_name,
                "partner_id": partner.id, "amount": amount,
                "payment_date": pay_day, "communication": number},
                cols["account_payment"])
            demo_queries.link_invoice_payment(cr, pay_id, inv_id)
            pmove_id = self._demo_clone("account_move", pay_move.id, {
                "name": pay_move_name, "ref": number, "date": pay_day,
                "partner_id": partner.id, "amount": amount,
                "matched_percentage": 1.0}, cols["account_move"])
            precv_id = self._demo_clone("account_move_line", pay_recv.id, {
                "move_id": pmove_id, "payment_id": pay_id,
                "partner_id": partner.id, "date": pay_day,
                "date_maturity": pay_day, "ref": number, "name": pay_name,
                "debit": 0.0, "credit": amount, "balance": -amount,
                "debit_cash_basis": 0.0, "credit_cash_basis": amount,
                "balance_cash_basis": -amount, "amount_residual": 0.0,
                "reconciled": True, "full_reconcile_id": full_id},
                cols["account_move_line"])
            self._demo_clone("account_move_line", pay_bank.id, {
                "move_id": pmove_id, "payment_id": pay_id,
                "partner_id": partner.id, "date": pay_day,
                "date_maturity": pay_day, "ref": number, "name": pay_name,
                "debit": amount, "credit": 0.0, "balance": amount,
                "debit_cash_basis": amount, "credit_cash_basis": 0.0,
                "balance_cash_basis": amount}, cols["account_move_line"])
            self._demo_clone("account_partial_reconcile", partial.id, {
                "debit_move_id": recv_id, "credit_move_id": precv_id,
                "amount": amount, "full_reconcile_id": full_id,
                "max_date": max(day, pay_day)},
                cols["account_partial_reconcile"])
        self.invalidate_cache()
        return count
