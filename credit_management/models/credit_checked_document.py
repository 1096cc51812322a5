# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The credit-checked document: what every document the credit check
guards (a sales order, a customer invoice; a delivery in a glue addon) does
the same way, written once: run the check on the document, keep a held
document and tell the credit team, act on the team's decision.

A document mixes it in (``_inherit = [its model, "credit.checked.document"]``)
and says through small hooks what its check counts
(``_credit_amount_company_currency``, ``_credit_check_exclusions``,
``_prepare_credit_check_vals``, ``_credit_document_terms``), whether its
company's policy checks it (``_credit_policy_applies``) and how a release
confirms it (``_credit_confirm_document``).
"""
from odoo import _, models

from .trusted import credit_released


class CreditCheckedDocument(models.AbstractModel):
    _name = "credit.checked.document"
    _description = "Credit-Checked Document"

    # ------------------------------------------------------------------
    # hooks: what the document says about itself
    # ------------------------------------------------------------------
    def _credit_commercial_partner(self):
        """The customer whose credit is checked."""
        return self.partner_id.commercial_partner_id

    def _credit_policy_applies(self, policy):
        """Whether ``policy`` (the company's, maybe none) checks it."""
        return bool(policy)

    def _credit_record_passed(self):
        """Whether a passed check is stored too (else only failures)."""
        return True

    def _credit_check_exclusions(self):
        """Keyword arguments of ``credit.check._credit_evaluate`` that keep
        this document out of the exposure it is checked against."""
        return {}

    def _credit_document_name(self):
        """The document as the credit team's to-do names it."""
        return self.display_name

    def _credit_confirm_document(self):
        """Confirm (validate) the document: what a release runs."""
        raise NotImplementedError()

    def _credit_prefetch_document(self):
        """Read what the check reads of the document beyond its own row
        into the ORM cache ahead, in few queries (credit_gate_prefetch.py);
        nothing by default."""

    # ------------------------------------------------------------------
    # the check, the hold and the decision
    # ------------------------------------------------------------------
    def _credit_run_check(self):
        """Check this document; return the stored credit.check (nothing
        when its company's policy does not check it)."""
        self.ensure_one()
        company = self.company_id
        policy = company.sudo().credit_policy_id
        Check = self.env["credit.check"]
        if not self._credit_policy_applies(policy):
            return Check
        self._credit_prefetch_document()
        partner = self._credit_commercial_partner().sudo().with_context(
            force_company=company.id)
        partner._credit_lock()
        partner._credit_prefetch_profile(company)
        return Check._credit_evaluate(
            partner, company, policy, self._credit_amount_company_currency(),
            self.payment_term_id or partner.property_payment_term_id,
            self._prepare_credit_check_vals(),
            record_passed=self._credit_record_passed(),
            document_terms=self._credit_document_terms(),
            **self._credit_check_exclusions())

    def _credit_post_reasons(self, heading, check, as_list=False):
        """A note in the document's chatter: ``heading`` (translated by the
        caller) and the reasons of ``check``, as a list or as lines."""
        reasons = check.reasons or ""
        if as_list:
            body = "<p>%s</p><ul>%s</ul>" % (heading, "".join(
                "<li>%s</li>" % line for line in reasons.splitlines()))
        else:
            body = "<p>%s</p><p>%s</p>" % (heading,
                                           reasons.replace("\n", "<br/>"))
        self.sudo().message_post(body=body, subtype="mail.mt_note")

    def _credit_schedule_review(self, check, summary=None):
        """A to-do for each credit controller who may decide the hold
        (``summary``: a translated text with one %s, the document)."""
        self.ensure_one()
        return check._schedule_review(
            self, (summary or _("Credit hold: review %s"))
            % self._credit_document_name())

    def _credit_confirm_released(self, check):
        """Confirm a held document after its release, without a new
        check."""
        self.ensure_one()
        with credit_released(self):
            return self._credit_confirm_document()

    def _credit_reject(self, check):
        """A rejected document stays as it is (a quotation, a draft)."""
        return True
