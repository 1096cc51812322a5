# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""credit.check: the check itself. Gather the customer's numbers (exposure
from queries/, the credit profile of the document's company), compare the
document's payment terms with the approved ones, decide (domain/decision.py)
and explain each reason in a translated sentence."""
from odoo import _, api, fields, models

from ..domain import decision as decision_domain
from ..domain import exposure as exposure_domain
from ..domain import gate as gate_domain


class CreditCheck(models.Model):
    _inherit = "credit.check"

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
            terms_exceeded=terms_exceeded,
            secured=self._get_secured_amount(partner, company, today),
            agreement_missing=self._get_agreement_missing(
                partner, company, today))

    @api.model
    def _get_secured_amount(self, partner, company, today):
        """Credit secured by active collateral (see credit_collateral.py)."""
        return self.env["credit.collateral"]._credit_secured_amounts(
            partner, company, today)[partner.id]

    @api.model
    def _get_agreement_missing(self, partner, company, today):
        """The grade requires an active credit agreement and there is none
        (see credit_agreement.py)."""
        return self.env["credit.agreement"]._credit_agreement_missing(
            partner, company, today)

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
            decision_domain.release_excess(result), snap.overdue_days,
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
            "secured_amount": snap.secured,
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
        values.update(self._prepare_group_check_values(
            partner, company, snap, result))
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
                    money(result.excess)) if snap.secured < 0.005 else _(
                "Credit limit exceeded: exposure %s + this order %s = %s, "
                "limit %s (tolerance %s%%) + secured by collateral %s, "
                "excess %s.") % (
                    money(snap.exposure), money(snap.order_amount),
                    money(result.exposure_after), money(snap.limit),
                    "{:g}".format(policy.limit_tolerance_percent),
                    money(snap.secured), money(result.excess)),
            decision_domain.GROUP_LIMIT: lambda self=self: _(
                "Group credit limit exceeded: group exposure %s + this "
                "order %s = %s, group limit %s, excess %s.") % (
                    money(snap.group_exposure), money(snap.order_amount),
                    money(result.group_exposure_after),
                    money(snap.group_limit), money(result.group_excess)),
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
            decision_domain.AGREEMENT: lambda self=self: _(
                "Grade %s requires an active credit agreement; the customer "
                "has none.") % partner.credit_grade_id.code,
        }
        return [sentences[code]() for code in result.reason_codes]
