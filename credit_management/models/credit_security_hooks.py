# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Collateral and credit agreements in the existing models: policy and
grade options, the customer's secured credit (Credit tab, dossier), the
warnings before expiry, the guarantee called on a bad-debt write-off."""
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..domain import collateral as collateral_domain
from ..domain import risk_warnings as warning_domain

SECURITY_WARNING_TYPES = [
    ("collateral_expiring", "Collateral expiring"),
    ("agreement_expiring", "Credit agreement expiring"),
]


class CreditPolicy(models.Model):
    _inherit = "credit.policy"

    collateral_coverage_cap = fields.Float(
        "Insurance Coverage Counted (max %)", digits=(5, 2), default=90.0,
        track_visibility="onchange",
        help="Credit insurance secures the insured limit times its coverage, "
             "the coverage counted up to this share.")
    collateral_notice_days = fields.Integer(
        "Collateral Expiry Notice (days)", default=30,
        track_visibility="onchange",
        help="A warning is raised this many days before active collateral "
             "expires.")
    agreement_notice_days = fields.Integer(
        "Agreement Renewal Notice (days)", default=60,
        track_visibility="onchange",
        help="A warning (renewal reminder) is raised this many days before "
             "an active credit agreement ends.")

    @api.constrains("collateral_coverage_cap", "collateral_notice_days",
                    "agreement_notice_days")
    def _check_security_options(self):
        for policy in self:
            if not 0 <= policy.collateral_coverage_cap <= 100:
                raise ValidationError(
                    _("The insurance coverage counted must be between 0 and "
                      "100 %."))
            if policy.collateral_notice_days < 0 \
                    or policy.agreement_notice_days < 0:
                raise ValidationError(
                    _("Notice periods cannot be negative."))


class CreditGrade(models.Model):
    _inherit = "credit.grade"

    agreement_required = fields.Boolean(
        "Requires Credit Agreement", track_visibility="onchange",
        help="Orders of customers of this grade are held while they have no "
             "active credit agreement.")


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_secured_amount = fields.Monetary(
        "Secured by Collateral", currency_field="credit_currency_id",
        compute="_compute_credit_secured_amount",
        help="Credit secured by active collateral and credit insurance, on "
             "top of the credit limit.")
    credit_total_available = fields.Monetary(
        "Available incl. Collateral", currency_field="credit_currency_id",
        compute="_compute_credit_secured_amount")
    credit_collateral_count = fields.Integer(
        compute="_compute_credit_secured_amount")
    credit_agreement_id = fields.Many2one(
        "credit.agreement", "Credit Agreement",
        compute="_compute_credit_secured_amount",
        help="The active credit agreement of the customer.")

    def _compute_credit_secured_amount(self):
        company = self._credit_company()
        commercial = self.mapped("commercial_partner_id")
        secured = self.env["credit.collateral"]._credit_secured_amounts(
            commercial, company)
        Collateral = self.env["credit.collateral"].sudo()
        counts = {row["partner_id"][0]: row["partner_id_count"]
                  for row in Collateral.read_group(
                      [("partner_id", "in", commercial.ids),
                       ("company_id", "=", company.id)],
                      ["partner_id"], ["partner_id"])}
        today = fields.Date.context_today(self)
        Agreement = self.env["credit.agreement"].sudo()
        agreements = {}
        for agreement in Agreement.search(Agreement._credit_active_domain(
                commercial, company, today), order="valid_to"):
            agreements[agreement.partner_id.id] = agreement.id
        for partner in self:
            pid = partner.commercial_partner_id.id
            partner.credit_secured_amount = secured.get(pid, 0.0)
            partner.credit_total_available = (
                partner.credit_available + secured.get(pid, 0.0))
            partner.credit_collateral_count = counts.get(pid, 0)
            partner.credit_agreement_id = agreements.get(pid, False)

    @api.multi
    def action_credit_open_collateral(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        return {
            "type": "ir.actions.act_window", "name": _("Collateral"),
            "res_model": "credit.collateral", "view_mode": "tree,form",
            "domain": [("partner_id", "=", partner.id)],
            "context": {"default_partner_id": partner.id},
        }


class CreditDossier(models.Model):
    _inherit = "credit.dossier"

    credit_secured_amount = fields.Monetary(
        "Secured by Collateral", currency_field="currency_id",
        compute="_compute_credit_secured_amount")
    credit_agreement_id = fields.Many2one(
        "credit.agreement", "Credit Agreement",
        compute="_compute_credit_secured_amount")

    def _compute_credit_secured_amount(self):
        for dossier in self:
            partner = dossier.partner_id.commercial_partner_id.with_context(
                force_company=dossier.company_id.id)
            if not partner:
                dossier.credit_secured_amount = 0.0
                dossier.credit_agreement_id = False
                continue
            dossier.credit_secured_amount = self.env[
                "credit.collateral"]._credit_secured_amounts(
                    partner, dossier.company_id)[partner.id]
            dossier.credit_agreement_id = partner.credit_agreement_id


class CreditWarning(models.Model):
    """Warnings before collateral expires and before an agreement ends."""

    _inherit = "credit.warning"

    warning_type = fields.Selection(selection_add=SECURITY_WARNING_TYPES)

    @api.multi
    def name_get(self):
        labels = dict(self._fields["warning_type"]._description_selection(
            self.env))
        return [(w.id, "%s: %s" % (w.partner_id.display_name,
                                   labels.get(w.warning_type)))
                for w in self]

    @api.model
    def _prepare_run(self, company, policy, partners, date):
        run = super()._prepare_run(company, policy, partners, date)
        run["security_signals"] = self._get_security_signals(
            company, policy, partners, date)
        return run

    @api.model
    def _sync_partner(self, company, policy, partner, signals, current,
                      facts, date, run=None):
        run = run or self._prepare_run(company, policy, partner, date)
        signals = list(signals) + run.get("security_signals", {}).get(
            partner.id, [])
        return super()._sync_partner(company, policy, partner, signals,
                                     current, facts, date, run)

    @api.model
    def _get_security_signals(self, company, policy, partners, date):
        """{partner id: [Signal]} for active collateral and agreements of
        ``partners`` ending within the policy's notice (two searches); the
        value is the days left, the threshold the notice."""
        day = fields.Date.from_string(date)
        result = {}
        searches = (
            ("credit.collateral", "approved", "collateral_expiring",
             policy.collateral_notice_days),
            ("credit.agreement", "active", "agreement_expiring",
             policy.agreement_notice_days))
        for model, state, wtype, notice in searches:
            records = self.env[model].sudo().search([
                ("partner_id", "in", partners.ids),
                ("company_id", "=", company.id), ("state", "=", state),
                ("valid_to", "!=", False), ("valid_to", ">=", date)],
                order="valid_to")
            seen = set()
            for rec in records:
                end = fields.Date.from_string(rec.valid_to)
                pid = rec.partner_id.id
                if pid in seen or not collateral_domain.expiring(
                        end, day, notice):
                    continue
                seen.add(pid)
                result.setdefault(pid, []).append(warning_domain.Signal(
                    wtype, "medium", (end - day).days, notice))
        return result

    @api.model
    def _get_message(self, signal, partner, company, **kwargs):
        if signal.warning_type == "collateral_expiring":
            return _("Collateral securing credit expires in %d days "
                     "(notice %d days); renew it or review the limit.") % (
                signal.value, signal.threshold)
        if signal.warning_type == "agreement_expiring":
            return _("The credit agreement ends in %d days (notice %d "
                     "days); renew it.") % (signal.value, signal.threshold)
        return super()._get_message(signal, partner, company, **kwargs)

    @api.model
    def _get_candidate_partner_ids(self, company, date):
        ids = set(super()._get_candidate_partner_ids(company, date))
        for model, state in (("credit.collateral", "approved"),
                             ("credit.agreement", "active")):
            self.env.cr.execute(
                "SELECT DISTINCT partner_id FROM %s WHERE company_id = %%s "
                "AND state = %%s" % self.env[model]._table,
                (company.id, state))
            ids.update(row[0] for row in self.env.cr.fetchall())
        return sorted(ids)


class CreditBadDebt(models.Model):
    _inherit = "credit.bad.debt"

    collateral_ids = fields.One2many(
        "credit.collateral", "bad_debt_id", "Collateral Called",
        readonly=True)
    claim_amount = fields.Monetary(
        "Claimed from Guarantors", compute="_compute_claim_amount",
        help="Guarantees called and insurance claims made on this "
             "write-off.")

    @api.depends("collateral_ids.claim_amount")
    def _compute_claim_amount(self):
        for record in self:
            record.claim_amount = sum(
                record.collateral_ids.mapped("claim_amount"))
