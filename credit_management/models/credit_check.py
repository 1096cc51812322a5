# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..domain import decision as decision_domain
from .trusted import credit_trusted, is_trusted


class CreditCheck(models.Model):
    """One credit check of a sales order (or a customer invoice).

    A read-only snapshot: the numbers the decision was taken on, the policy
    and its version, the reason codes and sentences. Only the decision on a
    held check (``credit.check.decision``) writes to it afterwards.

    The check itself is in credit_check_engine.py, holds and their to-dos
    in credit_check_hold.py; what documents do is written once in
    credit_checked_document.py.
    """

    _name = "credit.check"
    _description = "Credit Check"
    _order = "check_date desc, id desc"
    _rec_name = "name"

    name = fields.Char(readonly=True)
    order_id = fields.Many2one(
        "sale.order", "Sales Order", index=True, ondelete="set null",
        readonly=True)
    invoice_id = fields.Many2one(
        "account.invoice", "Invoice", index=True, ondelete="set null",
        readonly=True)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, readonly=True,
        help="The commercial partner whose credit was checked.")
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True,
                              index=True)
    company_id = fields.Many2one("res.company", required=True, index=True,
                                 readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True,
                                  help="Company currency of all amounts.")
    policy_id = fields.Many2one("credit.policy", "Policy", readonly=True)
    policy_version = fields.Integer(readonly=True)
    check_mode = fields.Selection(
        [("monitor", "Monitor only"), ("block", "Block orders")],
        readonly=True)
    trigger = fields.Selection(
        [("confirmation", "Order Confirmation"),
         ("change", "Confirmed Order Changed"),
         ("validation", "Invoice Validation")],
        readonly=True, index=True,
        help="What ran the check: an order's confirmation, a change that "
             "raised a confirmed order's amount (or lengthened its payment "
             "terms), or a customer invoice's validation.")
    requested_by = fields.Many2one(
        "res.users", "Change By", readonly=True,
        help="Who tried to save the change that was held (they cannot "
             "release it).")
    release_used = fields.Boolean(
        "Released Change Saved", readonly=True, copy=False,
        help="A released change of a confirmed order was saved; a release "
             "covers that one change.")
    check_date = fields.Datetime(
        default=fields.Datetime.now, readonly=True, index=True)
    result = fields.Selection(
        [("passed", "Passed"), ("blocked", "Blocked")], required=True,
        readonly=True, index=True)
    limit_amount = fields.Monetary(
        "Credit Limit", currency_field="currency_id", readonly=True)
    secured_amount = fields.Monetary(
        "Secured by Collateral", currency_field="currency_id", readonly=True,
        help="Credit secured by the customer's active collateral and credit "
             "insurance, on top of the credit limit.")
    exposure_amount = fields.Monetary(
        "Exposure Before", currency_field="currency_id", readonly=True,
        help="Exposure of the customer before this order.")
    order_amount = fields.Monetary(
        currency_field="currency_id", readonly=True,
        help="This order (or invoice) in the company currency.")
    exposure_after = fields.Monetary(
        currency_field="currency_id", readonly=True)
    excess_amount = fields.Monetary(
        "Excess Over Limit", currency_field="currency_id", readonly=True)
    overdue_amount = fields.Monetary(currency_field="currency_id",
                                     readonly=True)
    overdue_days = fields.Integer(readonly=True)
    document_currency_id = fields.Many2one("res.currency", readonly=True)
    document_amount = fields.Monetary(
        "Amount (document currency)", currency_field="document_currency_id",
        readonly=True)
    reason_codes = fields.Char(readonly=True)
    reasons = fields.Text(readonly=True)
    required_authority = fields.Selection(
        [(decision_domain.CONTROLLER, "Credit controller"),
         (decision_domain.MANAGER, "Credit manager")],
        readonly=True, help="Who may release this hold.")
    decision = fields.Selection(
        [("released", "Released"), ("rejected", "Rejected")],
        readonly=True, index=True)
    decided_by = fields.Many2one("res.users", readonly=True)
    decision_date = fields.Datetime(readonly=True)
    decision_reason = fields.Text(readonly=True)
    is_held = fields.Boolean(
        "Held", compute="_compute_is_held", inverse="_inverse_is_held",
        store=True, index=True, readonly=True,
        help="Blocked and waiting for a decision.")
    hold_age_days = fields.Integer(
        "Held For (days)", compute="_compute_hold_age_days")
    review_activity_ids = fields.Many2many(
        "mail.activity", "credit_check_review_activity_rel", "check_id",
        "activity_id", "Review To-dos", readonly=True, copy=False,
        help="The credit team's to-dos for this hold; the decision closes "
             "them.")

    # The document's state is not a dependency: the ORM would search the
    # checks of every order and invoice whose state is written (each
    # confirmation, validation and payment). The documents refresh their
    # held checks themselves when the state changes in a way that matters
    # (_credit_refresh_held).
    @api.depends("result", "decision", "trigger", "check_mode", "order_id",
                 "invoice_id")
    def _compute_is_held(self):
        for check in self:
            if check.trigger == "change":
                # the change was not saved; the order stays confirmed
                document_open = check.order_id.state in ("sale", "done")
            else:
                document_open = (
                    check.order_id.state in ("draft", "sent")
                    if check.order_id
                    else check.invoice_id.state == "draft"
                    if check.invoice_id else False)
            check.is_held = self._credit_held_rule(
                check.result, check.decision, check.check_mode, document_open)

    @api.model
    def _credit_held_rule(self, result, decision, check_mode, document_open):
        """Blocked in block mode, undecided, its document still open."""
        return bool(result == "blocked" and not decision
                    and check_mode == "block" and document_open)

    def _inverse_is_held(self):
        """Written only at creation (``_create_check``: the document is
        open then), which spares the recomputation's read and update."""

    @api.model
    def _credit_held_candidates(self, field_name, document_ids):
        """The undecided blocked checks of these documents (``field_name``:
        order_id or invoice_id), whose ``is_held`` may follow the document's
        state; one query."""
        if not document_ids:
            return self.browse()
        self.env.cr.execute("""
            SELECT id FROM credit_check
             WHERE (CASE WHEN %s THEN order_id ELSE invoice_id END) IN %s
               AND result = 'blocked' AND decision IS NULL
               AND check_mode = 'block'
        """, (field_name == "order_id", tuple(document_ids)))
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])

    def _credit_recompute_held(self):
        """Recompute ``is_held`` of these checks now (their document's state
        changed, or the document was deleted)."""
        if not self:
            return
        checks = self.sudo()
        checks.invalidate_cache(["order_id", "invoice_id"], checks.ids)
        # as if their result changed: is_held invalidated in every
        # environment and recomputed
        checks.modified(["result"])
        checks.recompute()

    def _compute_hold_age_days(self):
        now = fields.Datetime.from_string(fields.Datetime.now())
        for check in self:
            end = (fields.Datetime.from_string(check.decision_date)
                   if check.decision_date else now)
            start = fields.Datetime.from_string(check.check_date) or end
            check.hold_age_days = (
                (end - start).days if check.result == "blocked" else 0)

    # ------------------------------------------------------------------
    # read-only records
    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):
        if not is_trusted():
            raise UserError(_("Credit checks are recorded by the credit "
                              "check itself; they cannot be created by hand."))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if not is_trusted():
            raise UserError(_("A credit check is a read-only record; decide "
                              "a held order with Release or Reject."))
        return super().write(vals)

    @api.multi
    def unlink(self):
        if self:
            raise UserError(_("Credit checks are kept for the audit trail "
                              "and cannot be deleted."))
        return super().unlink()

    # ------------------------------------------------------------------
    def reason_code_list(self):
        self.ensure_one()
        return decision_domain.decode_codes(self.reason_codes)

    # fields whose created value is the written one (no rounding)
    _CREDIT_CACHED_AT_CREATE = (
        "result", "check_mode", "trigger", "reasons", "reason_codes",
        "required_authority", "is_held", "order_id", "invoice_id", "name")

    @api.model
    def _create_check(self, vals):
        # the checked document is open (a quotation, a confirmed order
        # changed, a draft invoice) when its check is created
        vals = dict(vals, is_held=self._credit_held_rule(
            vals.get("result"), vals.get("decision"), vals.get("check_mode"),
            True))
        with credit_trusted():
            check = self.sudo().create(vals)
        # what the caller reads next, as written (spares reading the row)
        cached = {name: vals[name] for name in self._CREDIT_CACHED_AT_CREATE
                  if name in vals}
        check._cache.update(check._convert_to_cache(cached, validate=False))
        return check

    def _write_decision(self, vals):
        with credit_trusted():
            return self.sudo().write(vals)

    def _document(self):
        self.ensure_one()
        return self.order_id or self.invoice_id

    # ------------------------------------------------------------------
    # buttons
    # ------------------------------------------------------------------
    def _action_decide(self, decision):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Release Held Order") if decision == "release"
            else _("Reject Held Order"),
            "res_model": "credit.check.decision",
            "view_mode": "form",
            "target": "new",
            "context": {"default_check_id": self.id,
                        "default_decision": decision},
        }

    @api.multi
    def action_release(self):
        return self._action_decide("release")

    @api.multi
    def action_reject(self):
        return self._action_decide("reject")

    @api.multi
    def action_open_document(self):
        self.ensure_one()
        document = self._document()
        if not document:
            raise UserError(_("The order of this check was deleted."))
        return {"type": "ir.actions.act_window", "res_model": document._name,
                "res_id": document.id, "view_mode": "form",
                "target": "current"}

    def _action_partner_lines(self, name, domain, model="account.move.line"):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "name": name,
                "res_model": model, "view_mode": "tree,form",
                "domain": domain, "target": "current",
                "context": {"create": False}}

    @api.multi
    def action_open_receivables(self):
        """The open receivable items behind the exposure."""
        return self._action_partner_lines(
            _("Open Receivables"),
            self.partner_id._credit_open_items_domain(self.company_id))

    @api.multi
    def action_open_overdue(self):
        """The overdue receivable items behind the overdue amount."""
        today = fields.Date.context_today(self)
        return self._action_partner_lines(
            _("Overdue Items"),
            self.partner_id._credit_open_items_domain(self.company_id)
            + [("date_maturity", "<", today), ("amount_residual", ">", 0)])

    @api.multi
    def action_open_orders(self):
        """Confirmed orders of the customer not fully invoiced yet."""
        return self._action_partner_lines(
            _("Uninvoiced Orders"),
            [("partner_id", "child_of", self.partner_id.id),
             ("company_id", "=", self.company_id.id),
             ("state", "in", ("sale", "done")),
             ("invoice_status", "!=", "invoiced")], model="sale.order")

    @api.multi
    def action_open_draft_invoices(self):
        return self._action_partner_lines(
            _("Draft Invoices"),
            [("commercial_partner_id", "=", self.partner_id.id),
             ("company_id", "=", self.company_id.id),
             ("state", "=", "draft"),
             ("type", "in", ("out_invoice", "out_refund"))],
            model="account.invoice")
