# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The policy's side of its versions: the written policy document, the
versions and the one in force, a change proposed; and the checks,
evaluations and warnings citing the version they were taken under."""
from odoo import api, fields, models

from .trusted import trusted_write

POLICY_DOCUMENT = """
<h2>Customer Credit Management Policy</h2>
<h3>1. Goals</h3><p>Sell on credit to customers who pay, keep bad debt and
overdue receivables low, and decide on credit the same way for everyone.</p>
<h3>2. Principles</h3><p>Every customer buying on credit has a dossier, a
grade, a credit limit and credit terms approved by the credit team.</p>
<h3>3. Procedures</h3><p>Orders beyond the limit, overdue beyond the grace
days or of customers on hold wait for the credit team's decision.</p>
<h3>4. Responsibilities</h3><p>Sales collect customer information and
payments; the credit controllers evaluate, monitor and decide within their
authority; the credit manager approves above it and approves this policy.</p>
<h3>5. Rewards and Penalties</h3><p>Customers paying on time get better
limits and terms; overdue customers are warned, held and their limits
reduced.</p>
"""


class CreditPolicy(models.Model):
    _inherit = "credit.policy"

    credit_document = fields.Html(
        "Policy Document", sanitize=True, default=POLICY_DOCUMENT,
        help="The written policy: goals, principles, procedures, "
             "responsibilities, rewards and penalties. Changed through a "
             "policy change like the parameters.")
    version_ids = fields.One2many("credit.policy.version", "policy_id",
                                  "Versions")
    version_id = fields.Many2one(
        "credit.policy.version", "Published Version",
        compute="_compute_version_id")
    pending_version_count = fields.Integer(compute="_compute_version_id")

    def _compute_version_id(self):
        Version = self.env["credit.policy.version"].sudo()
        for policy in self:
            policy.version_id = Version._credit_lookup(policy.id,
                                                       policy.version)
            policy.pending_version_count = Version.search_count([
                ("policy_id", "=", policy.id),
                ("state", "in", ("draft", "to_approve", "approved"))])

    @api.model
    def create(self, vals):
        policy = super().create(vals)
        self.env["credit.policy.version"]._credit_record_published(policy)
        return policy

    @api.multi
    def write(self, vals):
        published = trusted_write(self)
        before = {policy.id: policy.version for policy in self}
        res = super().write(vals)
        if not published:
            Version = self.env["credit.policy.version"]
            for policy in self:
                if policy.version != before[policy.id]:
                    Version._credit_record_published(policy, direct_edit=True)
        return res

    @api.model
    def _credit_ensure_versions(self):
        """Every policy has a version record for its current version (an
        existing database, the addon updated)."""
        Version = self.env["credit.policy.version"]
        for policy in self.sudo().search([]):
            if not Version._credit_lookup(policy.id, policy.version):
                Version._credit_record_published(policy)
        return True

    @api.multi
    def action_propose_change(self):
        """A draft version with the policy's parameters, to change."""
        self.ensure_one()
        Version = self.env["credit.policy.version"]
        vals = Version._parameter_values(self)
        vals.update({"policy_id": self.id, "document": self.credit_document,
                     "effective_date": fields.Date.context_today(self)})
        version = Version.create(vals)
        return {"type": "ir.actions.act_window",
                "res_model": "credit.policy.version", "res_id": version.id,
                "view_mode": "form", "target": "current"}

    @api.multi
    def action_versions(self):
        self.ensure_one()
        action = self.env.ref(
            "credit_management.credit_policy_version_action").read()[0]
        action["domain"] = [("policy_id", "=", self.id)]
        action["context"] = {"create": False}
        return action


def _version_of(records):
    Version = records.env["credit.policy.version"]
    for rec in records:
        rec.policy_version_id = Version._credit_lookup(
            rec.policy_id.id, rec.policy_version)


class CreditCheck(models.Model):
    _inherit = "credit.check"

    policy_version_id = fields.Many2one(
        "credit.policy.version", "Policy Version",
        compute="_compute_policy_version_id", store=True, index=True,
        inverse="_inverse_policy_version_id", readonly=True,
        help="The published policy version the check was taken under.")

    @api.depends("policy_id", "policy_version")
    def _compute_policy_version_id(self):
        _version_of(self)

    def _inverse_policy_version_id(self):
        """Written only at creation, with the value the computation gives
        (credit_gate_presence.py: spares its search and update)."""


class CreditEvaluation(models.Model):
    _inherit = "credit.evaluation"

    policy_version_id = fields.Many2one(
        "credit.policy.version", "Policy Version",
        compute="_compute_policy_version_id", store=True,
        help="The published policy version the evaluation was made under.")

    @api.depends("policy_id", "policy_version")
    def _compute_policy_version_id(self):
        _version_of(self)


class CreditWarning(models.Model):
    _inherit = "credit.warning"

    policy_version_id = fields.Many2one(
        "credit.policy.version", "Policy Version",
        compute="_compute_policy_version_id", store=True,
        help="The published policy version the warning was raised under.")

    @api.depends("policy_id", "policy_version")
    def _compute_policy_version_id(self):
        _version_of(self)

    @api.model
    def _credit_insert_extra_vals(self, vals):
        res = super()._credit_insert_extra_vals(vals)
        # cached (one search per policy version, not one per warning)
        res["policy_version_id"] = self.env[
            "credit.policy.version"]._credit_lookup_id(
                vals.get("policy_id"), vals.get("policy_version")) or None
        return res
