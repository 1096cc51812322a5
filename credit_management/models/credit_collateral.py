# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..domain import collateral as collateral_domain

_logger = logging.getLogger(__name__)

COLLATERAL_TYPES = [
    ("insurance", "Credit insurance"),
    ("bank_guarantee", "Bank guarantee"),
    ("standby_lc", "Standby letter of credit"),
    ("cash_deposit", "Cash deposit"),
    ("parent_guarantee", "Parent-company guarantee"),
    ("mortgage", "Mortgage / pledge"),
]


class CreditCollateral(models.Model):
    """A security that raises the credit a customer can use (担保 / 信用保险).

    A controller registers it, a manager approves it (tier approval, never
    the one who submitted it). Active, it adds its secured amount to the
    credit limit in the credit check. It expires by itself after its last
    valid day (daily job) and asks for a review of the limit; it can be
    called (claim on a bad debt) or released.
    """

    _name = "credit.collateral"
    _description = "Credit Collateral"
    _inherit = ["credit.approval.mixin", "mail.thread", "mail.activity.mixin"]
    _credit_numbered = True
    _order = "valid_to desc, id desc"

    # fields the workflow writes after approval (a trusted write)
    _credit_workflow_fields = (
        "state", "submitted_by", "submit_date", "approved_by",
        "approval_date", "rejected_by", "reject_date", "reject_reason",
        "called_date", "released_date", "bad_debt_id", "claim_amount")

    name = fields.Char(required=True, readonly=True, copy=False, default="/",
                       index=True)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True,
        readonly=True, states={"draft": [("readonly", False)]},
        domain="[('customer', '=', True), '|', ('is_company', '=', True), "
               "('parent_id', '=', False)]")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True,
        states={"draft": [("readonly", False)]},
        default=lambda self: self.env.user.company_id)
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=True)
    collateral_type = fields.Selection(
        COLLATERAL_TYPES, "Type", required=True, default="bank_guarantee",
        readonly=True, states={"draft": [("readonly", False)]},
        track_visibility="onchange")
    issuer_id = fields.Many2one(
        "res.partner", "Issuer", readonly=True,
        states={"draft": [("readonly", False)]},
        help="The insurer, bank or guarantor.")
    reference = fields.Char(
        readonly=True, states={"draft": [("readonly", False)]},
        help="Policy, guarantee or contract number of the issuer.")
    amount = fields.Monetary(
        currency_field="currency_id", required=True, readonly=True,
        states={"draft": [("readonly", False)]}, track_visibility="onchange",
        help="Guaranteed amount; for credit insurance the insured limit on "
             "this customer.")
    currency_id = fields.Many2one(
        "res.currency", required=True, readonly=True,
        states={"draft": [("readonly", False)]},
        default=lambda self: self.env.user.company_id.currency_id)
    coverage_percent = fields.Float(
        "Coverage (%)", digits=(5, 2), default=90.0, readonly=True,
        states={"draft": [("readonly", False)]},
        help="Credit insurance: the insurer's share of a loss.")
    valid_from = fields.Date(
        required=True, readonly=True, default=fields.Date.context_today,
        states={"draft": [("readonly", False)]})
    valid_to = fields.Date(
        readonly=True, states={"draft": [("readonly", False)]},
        track_visibility="onchange",
        help="Last day the security is in force; empty: until released.")
    state = fields.Selection(
        [("draft", "Draft"), ("to_approve", "Waiting Approval"),
         ("approved", "Active"), ("rejected", "Rejected"),
         ("expired", "Expired"), ("called", "Called"),
         ("released", "Released"), ("cancelled", "Cancelled")],
        default="draft", required=True, index=True, readonly=True,
        copy=False, track_visibility="onchange")
    secured_amount = fields.Monetary(
        "Secured Credit", currency_field="company_currency_id",
        compute="_compute_secured_amount",
        help="What the security adds to the credit limit, company currency "
             "(insurance: insured limit x coverage, capped by the policy).")
    note = fields.Text()
    called_date = fields.Date(readonly=True, copy=False)
    released_date = fields.Date(readonly=True, copy=False)
    bad_debt_id = fields.Many2one(
        "credit.bad.debt", "Write-Off", readonly=True, copy=False,
        help="The bad-debt write-off on which the security was called.")
    claim_amount = fields.Monetary(
        currency_field="company_currency_id", readonly=True, copy=False,
        help="Amount claimed from the issuer, company currency.")

    @api.depends("amount", "currency_id", "coverage_percent",
                 "collateral_type", "company_id")
    def _compute_secured_amount(self):
        for rec in self:
            policy = rec.company_id.sudo().credit_policy_id
            rec.secured_amount = collateral_domain.secured_value(
                rec._credit_security(), policy.collateral_coverage_cap)

    def _credit_security(self, date=None):
        """The domain Security of this record, amounts in company currency."""
        self.ensure_one()
        company = self.company_id
        amount = self.amount
        if self.currency_id and self.currency_id != company.currency_id:
            amount = self.currency_id.with_context(
                date=date or fields.Date.context_today(self)).compute(
                    amount, company.currency_id)
        return collateral_domain.Security(
            self.collateral_type, amount, self.coverage_percent,
            fields.Date.from_string(self.valid_from),
            fields.Date.from_string(self.valid_to))

    @api.constrains("amount", "coverage_percent", "valid_from", "valid_to",
                    "partner_id")
    def _check_values(self):
        for rec in self:
            if rec.amount <= 0:
                raise ValidationError(_("The amount of a collateral must be "
                                        "positive."))
            if not 0 <= rec.coverage_percent <= 100:
                raise ValidationError(_("The coverage must be between 0 and "
                                        "100 %."))
            if rec.valid_to and rec.valid_from and rec.valid_to < rec.valid_from:
                raise ValidationError(_("The collateral ends before it "
                                        "starts."))
            if rec.partner_id.commercial_partner_id != rec.partner_id:
                raise ValidationError(
                    _("Register the collateral for the company %s, not for "
                      "its contact.")
                    % rec.partner_id.commercial_partner_id.name)

    # ------------------------------------------------------------------
    # approval
    # ------------------------------------------------------------------
    def _credit_approver_group(self):
        return "credit_management.group_credit_manager"

    def _credit_check_submit(self):
        if not self.env.user.has_group(
                "credit_management.group_credit_controller"):
            raise UserError(_("Only credit controllers register collateral."))
        today = fields.Date.context_today(self)
        if self.valid_to and self.valid_to < today:
            raise UserError(_("The collateral %s has already ended (%s).")
                            % (self.name, self.valid_to))

    def _credit_apply_approval(self):
        self.ensure_one()
        self.message_post(body=_("Collateral active: %s of secured credit.")
                          % self.secured_amount)

    # ------------------------------------------------------------------
    # end of a security: released, called, expired
    # ------------------------------------------------------------------
    def _credit_check_manager(self):
        if not self.env.user.has_group("credit_management.group_credit_manager"):
            raise UserError(_("Only credit managers release or call "
                              "collateral."))

    @api.multi
    def action_release(self):
        """Give the security back: it no longer secures credit."""
        self._credit_check_manager()
        self._credit_check_state(("approved",))
        for rec in self:
            rec._credit_workflow_write({
                "state": "released",
                "released_date": fields.Date.context_today(self)})
            rec.message_post(body=_("Collateral released."))
            rec._credit_request_limit_review(_("Collateral %s released.")
                                             % rec.name)
        return True

    def _credit_call(self, bad_debt, claim_amount):
        """Record the call of the guarantee (insurance claim) on a bad-debt
        write-off (called by the write-off as the addon)."""
        for rec in self:
            if rec.state != "approved":
                raise UserError(
                    _("Only active collateral can be called; %s is %s.")
                    % (rec.name, rec._credit_state_label()))
            rec._credit_workflow_write({
                "state": "called", "bad_debt_id": bad_debt.id,
                "claim_amount": claim_amount,
                "called_date": fields.Date.context_today(self)})
            rec.message_post(body=_("Called on write-off %s: %s claimed.") % (
                bad_debt.name, claim_amount))
        return True

    def _credit_request_limit_review(self, reason):
        """The security lapsed: the limit is to be reviewed now. The
        customer's credit review date comes forward to today and a review
        (draft evaluation with a to-do for the controller) starts in its
        dossier, unless one is already in progress. Returns the evaluation
        (empty when one was already running)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        partner = self.partner_id.with_context(force_company=self.company_id.id)
        if not partner.credit_review_date or partner.credit_review_date > today:
            partner.sudo()._credit_write_profile(
                {"credit_review_date": today}, change_type="other",
                reason=reason, origin="%s,%d" % (self._name, self.id))
        dossier = self.env["credit.dossier"].sudo()._get_or_create(
            self.partner_id, self.company_id).sudo()
        Evaluation = self.env["credit.evaluation"].sudo()
        if Evaluation.search_count([("dossier_id", "=", dossier.id),
                                    ("state", "in", ("draft", "to_approve"))]):
            return Evaluation
        evaluation = dossier._start_review()
        evaluation.message_post(body=reason)
        return evaluation

    @api.model
    def _cron_expire(self, date=None):
        """Expire the active collateral whose last valid day has passed;
        each asks for a review of the customer's limit."""
        today = date or fields.Date.context_today(self)
        expired = self.sudo().search([
            ("state", "=", "approved"), ("valid_to", "!=", False),
            ("valid_to", "<", today)])
        for rec in expired:
            rec._credit_workflow_write({"state": "expired"})
            rec.message_post(body=_("Collateral expired on %s.") % rec.valid_to)
            rec._credit_request_limit_review(
                _("Collateral %s (%s) expired on %s.") % (
                    rec.name, rec.secured_amount, rec.valid_to))
        _logger.info("credit collateral: %d expired", len(expired))
        return expired

    # ------------------------------------------------------------------
    # what the check counts
    # ------------------------------------------------------------------
    @api.model
    def _credit_secured_in_company(self, company, date=None):
        """{commercial partner id: secured credit} of every customer with
        active collateral in ``company`` (none without a query when the
        company has no collateral at all)."""
        if company.id not in self._credit_collateral_company_ids():
            return {}
        partners = self.sudo().search([
            ("company_id", "=", company.id),
            ("state", "=", "approved")]).mapped("partner_id")
        return {pid: amount for pid, amount in self._credit_secured_amounts(
            partners, company, date).items() if amount > 0}

    @api.model
    def _credit_secured_amounts(self, partners, company, date=None):
        """{commercial partner id: secured credit} of the active collateral
        in force on ``date``, company currency (one search)."""
        today = date or fields.Date.context_today(self)
        day = fields.Date.from_string(today)
        policy = company.sudo().credit_policy_id
        result = dict.fromkeys(partners.ids, 0.0)
        # none when the company has no collateral at all (cached, see
        # credit_gate_presence.py)
        if company.id not in self._credit_collateral_company_ids():
            return result
        records = self.sudo().search([
            ("partner_id", "in", partners.ids),
            ("company_id", "=", company.id), ("state", "=", "approved")])
        for rec in records:
            result[rec.partner_id.id] += collateral_domain.secured_amount(
                [rec._credit_security(today)], day,
                policy.collateral_coverage_cap)
        return result
