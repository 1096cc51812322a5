# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from contextlib import contextmanager

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..domain import decision as decision_domain
from ..domain import exposure as exposure_domain
from ..domain import gate as gate_domain
from .trusted import credit_trusted, is_trusted

_logger = logging.getLogger(__name__)


@contextmanager
def separate_env(env):
    """An environment on a new cursor of the same database, committed when
    the block ends without error (rolled back otherwise)."""
    with env.registry.cursor() as cr:
        # never wait long on a row the calling transaction may hold
        cr.execute("SET LOCAL lock_timeout = '5s'")
        yield api.Environment(cr, env.uid, env.context)


class CreditCheck(models.Model):
    """One credit check of a sales order (or a customer invoice).

    A read-only snapshot: the numbers the decision was taken on, the policy
    and its version, the reason codes and sentences. Only the decision on a
    held check (``credit.check.decision``) writes to it afterwards.
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
    # the check: gather numbers, decide (domain), store, explain
    # ------------------------------------------------------------------
    @api.model
    def _prepare_rules(self, policy):
        return decision_domain.Rules(
            tolerance_percent=policy.limit_tolerance_percent,
            grace_days=policy.overdue_grace_days,
            no_limit_action=policy.no_limit_action,
            review_overdue_blocks=policy.review_overdue_blocks)

    @api.model
    def _prepare_snapshot(self, partner, company, policy, amount, term,
                          exclude_order_ids=(), exclude_invoice_ids=(),
                          terms_exceeded=False):
        """The plain numbers of one check, for ``partner`` (commercial)."""
        partner = partner.with_context(force_company=company.id)
        today = fields.Date.context_today(self)
        today_date = fields.Date.from_string(today)
        data = partner._credit_exposure_data(
            company, today=today, exclude_order_ids=exclude_order_ids,
            exclude_invoice_ids=exclude_invoice_ids)[partner.id]
        exposure = exposure_domain.total_exposure(
            data, include_draft_invoices=policy.include_draft_invoices,
            include_uninvoiced_orders=policy.include_uninvoiced_orders)
        grade = partner.credit_grade_id
        # the payment term matters only for a grade that allows no credit
        needs_term = bool(grade) and not grade.allow_credit
        return decision_domain.snapshot(
            limit=partner.credit_limit,
            exposure=exposure,
            order_amount=amount,
            overdue_amount=data.overdue_amount,
            overdue_days=exposure_domain.overdue_days(
                data.oldest_due_date, today_date),
            on_hold=partner.credit_hold,
            has_grade=bool(grade),
            grade_allows_credit=grade.allow_credit if grade else True,
            credit_term=partner._credit_has_credit_term(term, today)
            if needs_term else True,
            review_overdue=partner._credit_review_overdue(today),
            order_cap=self._get_order_cap(partner),
            terms_exceeded=terms_exceeded)

    @api.model
    def _get_order_cap(self, partner):
        """Single-order cap: the customer's own, else none (0)."""
        return partner.credit_order_cap or 0.0

    # ------------------------------------------------------------------
    # terms: the document's payment terms against the approved ones
    # ------------------------------------------------------------------
    @api.model
    def _get_approved_term(self, partner, company):
        """The customer's approved payment term in ``company``: its own
        payment term there, else the payment term of its grade's credit
        terms (none: the terms rule does not apply)."""
        partner = partner.with_context(force_company=company.id)
        return (partner.property_payment_term_id
                or partner.credit_grade_id.term_template_id.payment_term_id)

    @api.model
    def _term_installments(self, term, date_ref, amount, currency,
                           due_date=False):
        """[(due date, amount)] of ``amount`` under ``term`` for a document
        dated ``date_ref``; without a term, all of it on ``due_date`` (or
        the document date)."""
        if not term:
            return [(fields.Date.from_string(due_date or date_ref), amount)]
        lines = term.with_context(currency_id=currency.id).compute(
            amount, date_ref=date_ref)
        if lines and isinstance(lines[0], list):  # @api.one: [lines]
            lines = lines[0]
        return [(fields.Date.from_string(due), value) for due, value in lines]

    @api.model
    def _prepare_terms(self, partner, company, document_terms):
        """Compare the document's terms with the approved ones.

        ``document_terms``: {date, amount, currency, term, due_date,
        label} from the document. Return None when no terms are approved,
        else a dict with ``exceeded``, the two labels and TermProfiles.
        """
        if not document_terms:
            return None
        approved = self._get_approved_term(partner, company)
        if not approved:
            return None
        date_ref = document_terms["date"]
        currency = document_terms["currency"]
        # fixed-amount lines make the shape depend on the amount: compare
        # the two terms on the document's own amount
        amount = document_terms["amount"]
        if amount < 1.0:
            amount = 100.0
        start = fields.Date.from_string(date_ref)
        document_profile = gate_domain.term_profile(
            start, self._term_installments(
                document_terms.get("term"), date_ref, amount, currency,
                due_date=document_terms.get("due_date")))
        approved_profile = gate_domain.term_profile(
            start, self._term_installments(approved, date_ref, amount,
                                           currency))
        return {
            "exceeded": gate_domain.terms_exceed(document_profile,
                                                 approved_profile),
            "document_label": document_terms.get("label") or "",
            "approved_label": approved.display_name,
            "document": document_profile,
            "approved": approved_profile,
        }

    # ------------------------------------------------------------------
    @api.model
    def _prepare_check_values(self, partner, company, policy, amount, term,
                              vals, exclude_order_ids=(),
                              exclude_invoice_ids=(), document_terms=None):
        """Decide; return (Decision, values of the credit.check to store)."""
        # the customer's credit profile of the document's company
        partner = partner.with_context(force_company=company.id)
        partner._credit_prefetch_profile(company)
        terms = self._prepare_terms(partner, company, document_terms)
        snap = self._prepare_snapshot(
            partner, company, policy, amount, term,
            exclude_order_ids=exclude_order_ids,
            exclude_invoice_ids=exclude_invoice_ids,
            terms_exceeded=bool(terms and terms["exceeded"]))
        result = decision_domain.decide(snap, self._prepare_rules(policy))
        authority = decision_domain.required_authority(
            result.excess, snap.overdue_days,
            policy.controller_release_excess,
            policy.controller_release_overdue_days)
        values = {
            "partner_id": partner.id,
            "company_id": company.id,
            "currency_id": company.currency_id.id,
            "policy_id": policy.id,
            "policy_version": policy.version,
            "check_mode": policy.check_mode,
            "result": "passed" if result.passed else "blocked",
            "limit_amount": snap.limit,
            "exposure_amount": snap.exposure,
            "order_amount": snap.order_amount,
            "exposure_after": result.exposure_after,
            "excess_amount": result.excess,
            "overdue_amount": snap.overdue_amount,
            "overdue_days": snap.overdue_days,
            "reason_codes": decision_domain.encode_codes(result.reason_codes),
            "reasons": "\n".join(self._reason_sentences(
                snap, result, policy, company.currency_id, partner,
                terms=terms)),
            "required_authority": authority if not result.passed else False,
        }
        values.update(vals)
        return result, values

    @api.model
    def _credit_evaluate(self, partner, company, policy, amount, term,
                         vals, exclude_order_ids=(), exclude_invoice_ids=(),
                         record_passed=True, document_terms=None):
        """Run the check and store it; return the credit.check (or an empty
        recordset when it passed and ``record_passed`` is false)."""
        result, values = self._prepare_check_values(
            partner, company, policy, amount, term, vals,
            exclude_order_ids=exclude_order_ids,
            exclude_invoice_ids=exclude_invoice_ids,
            document_terms=document_terms)
        if result.passed and not record_passed:
            return self.browse()
        return self._create_check(values)

    # ------------------------------------------------------------------
    # holds of refused changes: kept in their own transaction
    # ------------------------------------------------------------------
    def _credit_separate_env(self):
        """Context manager: an environment whose work is committed apart
        from the current transaction (which the refusal rolls back)."""
        return separate_env(self.env)

    @api.model
    def _credit_store_apart(self, values_list):
        """Store the held checks of refused changes in their own
        transaction and tell the credit team; a pending identical hold is
        not stored twice. Return the checks' ids (empty when they could not
        be stored: the change is refused all the same)."""
        try:
            with self._credit_separate_env() as env:
                Check = env[self._name]
                ids = []
                for values in values_list:
                    check = Check._credit_pending_change(values)
                    if not check:
                        check = Check._create_check(values)
                        check._document()._credit_hold_change(check)
                    ids.append(check.id)
                return ids
        except Exception:  # the refusal itself must reach the user
            _logger.exception("credit gate: the hold of a refused change "
                              "could not be stored")
            return []

    @api.model
    def _credit_pending_change(self, values):
        """An undecided hold of the same change (same order, same amount)."""
        candidates = self.sudo().search([
            ("order_id", "=", values.get("order_id")),
            ("trigger", "=", "change"), ("result", "=", "blocked"),
            ("check_mode", "=", "block"), ("decision", "=", False)])
        return candidates.filtered(
            lambda c: abs(c.order_amount - values["order_amount"])
            < decision_domain.EPSILON)[:1]

    def _credit_covers(self, values):
        """Whether this released hold of a change covers the change
        checked in ``values``: not more amount, not more excess, no reason
        the decision did not see."""
        self.ensure_one()
        eps = decision_domain.EPSILON
        return (self.decision == "released" and not self.release_used
                and values["order_amount"] - self.order_amount <= eps
                and values["excess_amount"] - self.excess_amount <= eps
                and set(decision_domain.decode_codes(values["reason_codes"]))
                <= set(self.reason_code_list()))

    @api.model
    def _reason_sentences(self, snap, result, policy, currency, partner,
                          terms=None):
        """One translated sentence with the numbers per reason code."""
        def money(amount):
            return "%s %s" % (currency.symbol or currency.name,
                              "{:,.2f}".format(amount))

        # `self` is a local of each lambda so that _() finds the user's
        # language in the calling frame (Odoo 11 looks there, nowhere else)
        sentences = {
            decision_domain.ON_HOLD: lambda self=self: _(
                "The customer is on credit hold%s.") % (
                    (": %s" % partner.credit_hold_reason)
                    if partner.credit_hold_reason else ""),
            decision_domain.LIMIT_EXCEEDED: lambda self=self: _(
                "Credit limit exceeded: exposure %s + this order %s = %s, "
                "limit %s (tolerance %s%%), excess %s.") % (
                    money(snap.exposure), money(snap.order_amount),
                    money(result.exposure_after), money(snap.limit),
                    "{:g}".format(policy.limit_tolerance_percent),
                    money(result.excess)),
            decision_domain.OVERDUE: lambda self=self: _(
                "Overdue invoices: %s overdue for %s days (grace %s days).") % (
                    money(snap.overdue_amount), snap.overdue_days,
                    policy.overdue_grace_days),
            decision_domain.GRADE_NO_CREDIT: lambda self=self: _(
                "Grade %s allows no credit (prepayment only) but the payment "
                "term gives time to pay.") % partner.credit_grade_id.code,
            decision_domain.TERMS: lambda self=self: _(
                "Payment terms %s are longer than the customer's approved "
                "terms %s: last due date after %s days (approved %s), "
                "on average after %s days (approved %s).") % (
                    terms["document_label"], terms["approved_label"],
                    terms["document"].last_days, terms["approved"].last_days,
                    "{:.1f}".format(terms["document"].average_days),
                    "{:.1f}".format(terms["approved"].average_days)),
            decision_domain.NO_LIMIT: lambda self=self: _(
                "The customer has no approved credit limit or grade yet."),
            decision_domain.ORDER_CAP: lambda self=self: _(
                "Order amount %s is above the single-order cap %s.") % (
                    money(snap.order_amount), money(snap.order_cap)),
            decision_domain.REVIEW_OVERDUE: lambda self=self: _(
                "The credit review was due on %s.") % partner.credit_review_date,
        }
        return [sentences[code]() for code in result.reason_codes]

    def _credit_deciders(self):
        """Users who may decide this hold (not the salesperson)."""
        self.ensure_one()
        group = self.env.ref(
            "credit_management.group_credit_manager"
            if self.required_authority == decision_domain.MANAGER
            else "credit_management.group_credit_controller")
        return group.sudo().users.filtered(
            lambda u: u.active and not u.share and u != self.user_id
            and self.company_id in u.company_ids)

    def _credit_hold_action(self):
        """What the salesperson sees when confirming held orders."""
        action = {
            "type": "ir.actions.act_window",
            "name": _("Credit Hold"),
            "res_model": "credit.check",
            "target": "new",
            "context": {"create": False, "edit": False},
        }
        view = self.env.ref("credit_management.credit_check_view_form_hold")
        if len(self) == 1:
            action.update(view_mode="form", res_id=self.id,
                          views=[(view.id, "form")])
        else:
            action.update(view_mode="tree,form",
                          domain=[("id", "in", self.ids)])
        return action

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
