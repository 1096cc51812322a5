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


class CreditGroupMember(models.Model):
    _inherit = "credit.group.member"

    @api.model
    @tools.ormcache()
    def _credit_member_company_ids(self):
        """Ids of the companies that have credit group members."""
        self.env.cr.execute(
            "SELECT DISTINCT company_id FROM credit_group_member")
        return frozenset(row[0] for row in self.env.cr.fetchall())

    @api.model
    def create(self, vals):
        member = super().create(vals)
        _clear_gate_caches(self.env)
        return member

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        if {"group_id", "company_id", "partner_id"} & set(vals):
            _clear_gate_caches(self.env)
        return result

    @api.multi
    def unlink(self):
        result = super().unlink()
        _clear_gate_caches(self.env)
        return result


class CreditGroup(models.Model):
    _inherit = "credit.group"

    @api.multi
    def unlink(self):
        # members go with their group (ondelete cascade, no unlink of theirs)
        result = super().unlink()
        _clear_gate_caches(self.env)
        return result


class CreditCollateral(models.Model):
    _inherit = "credit.collateral"

    @api.model
    @tools.ormcache()
    def _credit_collateral_company_ids(self):
        """Ids of the companies that have collateral (in any state)."""
        self.env.cr.execute(
            "SELECT DISTINCT company_id FROM credit_collateral")
        return frozenset(row[0] for row in self.env.cr.fetchall())

    @api.model
    def create(self, vals):
        collateral = super().create(vals)
        _clear_gate_caches(self.env)
        return collateral

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        if "company_id" in vals:
            _clear_gate_caches(self.env)
        return result

    @api.multi
    def unlink(self):
        result = super().unlink()
        _clear_gate_caches(self.env)
        return result


class CreditPolicyVersion(models.Model):
    _inherit = "credit.policy.version"

    @api.model
    @tools.ormcache("policy_id", "version")
    def _credit_lookup_id(self, policy_id, version):
        """Id of the version record of (policy, version number), or
        False (``_credit_lookup``, cached)."""
        return self._credit_lookup(policy_id, version).id or False

    @api.model
    def create(self, vals):
        version = super().create(vals)
        _clear_gate_caches(self.env)
        return version

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        if {"state", "version", "policy_id"} & set(vals):
            _clear_gate_caches(self.env)
        return result

    @api.multi
    def unlink(self):
        result = super().unlink()
        _clear_gate_caches(self.env)
        return result


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
