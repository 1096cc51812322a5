# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the credit check reads of the newer features, without a query when
the feature is not used.

Collateral, credit groups and policy versions each add a query or two to
every check (tests/test_gate_query_budget.py). The companies that have
collateral or credit group members at all, and the version record of a
(policy, version number), change rarely: they are cached by the registry
(one query when the cache is cold) and the cache is cleared when such a
record is created, moved or deleted, again after its transaction commits
(a check that read the cache meanwhile in another transaction cannot keep
a stale answer), and on every other worker through the registry's cache
signalling. A company without collateral or groups is then checked without
any query for them; one with them pays the usual queries.
"""
from odoo import api, models, tools


def _clear_gate_caches(env):
    """Clear the registry's caches now and after the commit."""
    registry = env.registry
    registry.clear_caches()
    env.cr.after("commit", registry.clear_caches)


class CreditGateCached(models.AbstractModel):
    """Records the check's cached presence lookups depend on: creating or
    deleting one, or writing one of ``_credit_gate_cache_fields``, clears
    the caches."""

    _name = "credit.gate.cached"
    _description = "Records cached by the credit check"

    _credit_gate_cache_fields = frozenset()

    @api.model
    def create(self, vals):
        record = super().create(vals)
        _clear_gate_caches(self.env)
        return record

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        if self._credit_gate_cache_fields & set(vals):
            _clear_gate_caches(self.env)
        return result

    @api.multi
    def unlink(self):
        result = super().unlink()
        _clear_gate_caches(self.env)
        return result


class CreditGroupMember(models.Model):
    _name = "credit.group.member"
    _inherit = ["credit.group.member", "credit.gate.cached"]

    _credit_gate_cache_fields = frozenset(
        ("group_id", "company_id", "partner_id"))

    @api.model
    @tools.ormcache()
    def _credit_member_company_ids(self):
        """Ids of the companies that have credit group members."""
        self.env.cr.execute(
            "SELECT DISTINCT company_id FROM credit_group_member")
        return frozenset(row[0] for row in self.env.cr.fetchall())


class CreditGroup(models.Model):
    _inherit = "credit.group"

    @api.multi
    def unlink(self):
        # members go with their group (ondelete cascade, no unlink of theirs)
        result = super().unlink()
        _clear_gate_caches(self.env)
        return result


class CreditCollateral(models.Model):
    _name = "credit.collateral"
    _inherit = ["credit.collateral", "credit.gate.cached"]

    _credit_gate_cache_fields = frozenset(("company_id",))

    @api.model
    @tools.ormcache()
    def _credit_collateral_company_ids(self):
        """Ids of the companies that have collateral (in any state)."""
        self.env.cr.execute(
            "SELECT DISTINCT company_id FROM credit_collateral")
        return frozenset(row[0] for row in self.env.cr.fetchall())


class CreditPolicyVersion(models.Model):
    _name = "credit.policy.version"
    _inherit = ["credit.policy.version", "credit.gate.cached"]

    _credit_gate_cache_fields = frozenset(("state", "version", "policy_id"))

    @api.model
    @tools.ormcache("policy_id", "version")
    def _credit_lookup_id(self, policy_id, version):
        """Id of the version record of (policy, version number), or
        False (``_credit_lookup``, cached)."""
        return self._credit_lookup(policy_id, version).id or False


class CreditCheck(models.Model):
    _inherit = "credit.check"

    @api.model
    def _create_check(self, vals):
        # the version the check is taken under, stored with the check
        # (spares the recomputation's search, read and update)
        if "policy_version_id" not in vals:
            vals = dict(vals, policy_version_id=self.env[
                "credit.policy.version"]._credit_lookup_id(
                    vals.get("policy_id"), vals.get("policy_version")))
        return super()._create_check(vals)
