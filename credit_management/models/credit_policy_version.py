# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Credit policy versions: a change is approved and published before it
applies (制度审批发布).

A change of the policy is prepared as a draft version holding every
parameter, submitted, reviewed by a controller and approved by a manager
(tier validation, nobody approves what they submitted, nobody approves two
tiers) and published on its effective date (daily job). Until then the
published version applies. Published versions are read-only; checks,
evaluations and warnings cite the version record they were taken under.
A direct edit of the policy by a manager is kept as a version too.

The version model and its approval are here; publishing (the diff, the
daily job, the version of a policy in force) in
credit_policy_version_publish.py; the policy's document and versions and the
records citing a version in credit_policy_version_policy.py.
"""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from . import credit_policy
from .trusted import credit_trusted_write, trusted_write

# policy fields that are not parameters of a version
NON_PARAMETERS = {"name", "company_id", "currency_id", "version",
                  "followup_level_ids"}


def _parameter_fields():
    """Field definitions of the policy's parameters, copied for versions."""
    result = {}
    for name, field in vars(credit_policy.CreditPolicy).items():
        if not isinstance(field, fields.Field) or name in NON_PARAMETERS \
                or field.type in ("one2many", "many2many"):
            continue
        args = dict(field.args)
        for key in ("track_visibility", "compute", "inverse", "related",
                    "copy", "default"):
            args.pop(key, None)
        if "_digits" in args:  # Float stores its digits argument so
            args["digits"] = args.pop("_digits")
        result[name] = type(field)(**args)
    return result


class CreditPolicyVersion(models.Model):
    _name = "credit.policy.version"
    _description = "Credit Policy Version"
    _inherit = ["credit.approval.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "policy_id, version desc, id desc"

    locals().update(_parameter_fields())

    name = fields.Char(compute="_compute_name", store=True)
    policy_id = fields.Many2one("credit.policy", "Policy", required=True,
                                index=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id",
                                  readonly=True)
    version = fields.Integer(
        readonly=True, copy=False, index=True,
        help="The policy's version number, given when it is published.")
    state = fields.Selection(
        [("draft", "Draft"), ("to_approve", "In Review"),
         ("approved", "Approved"), ("published", "Published"),
         ("superseded", "Superseded"), ("rejected", "Rejected"),
         ("cancelled", "Cancelled")],
        default="draft", required=True, index=True, readonly=True,
        copy=False, track_visibility="onchange")
    effective_date = fields.Date(
        required=True, default=fields.Date.context_today,
        track_visibility="onchange",
        help="The approved version is published and applies from this "
             "date on.")
    change_reason = fields.Text("Reason for the Change")
    document = fields.Html("Policy Document", sanitize=True)
    published_date = fields.Datetime(readonly=True, copy=False)
    published_by = fields.Many2one("res.users", readonly=True, copy=False)
    direct_edit = fields.Boolean(
        readonly=True, copy=False,
        help="Published by a manager's direct edit of the policy, without "
             "the review and approval.")
    change_summary = fields.Html(readonly=True, copy=False,
                                 help="The parameters this version changed.")

    @api.depends("policy_id.name", "version", "state")
    def _compute_name(self):
        for rec in self:
            if rec.version:
                rec.name = _("%s, version %d") % (rec.policy_id.name,
                                                  rec.version)
            else:
                rec.name = _("%s, proposed change") % rec.policy_id.name

    # ------------------------------------------------------------------
    @api.model
    def _parameter_names(self):
        return [name for name in _parameter_fields() if name in self._fields]

    def _parameter_values(self, record):
        """The parameters of ``record`` (a policy or a version) as write
        values."""
        values = {}
        for name in self._parameter_names():
            field = record._fields[name]
            values[name] = field.convert_to_write(record[name], record)
        return values

    @api.model
    def create(self, vals):
        policy = self.env["credit.policy"].browse(vals.get("policy_id"))
        vals = dict(vals, company_id=policy.company_id.id)
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if "policy_id" in vals and not trusted_write(self):
            raise UserError(_("A version stays with its policy."))
        return super().write(vals)

    @api.multi
    def unlink(self):
        if any(rec.state not in ("draft", "cancelled") for rec in self):
            raise UserError(_("Only draft or cancelled policy changes can be "
                              "deleted; versions are kept."))
        return super().unlink()

    # ------------------------------------------------------------------
    # approval (credit.approval.mixin)
    # ------------------------------------------------------------------
    def _credit_approver_group(self):
        return "credit_management.group_credit_controller"

    def _credit_check_submit(self):
        if not self.env.user.has_group(
                "credit_management.group_credit_controller"):
            raise UserError(_("Only the credit team proposes policy "
                              "changes."))
        if not (self.change_reason or "").strip():
            raise UserError(_("Give the reason for the policy change."))
        self._credit_dry_run()

    def _credit_dry_run(self):
        """Refuse values the policy itself would refuse (its constraints),
        without changing it."""
        policy = self.policy_id.sudo()

        class _Undo(Exception):
            pass
        try:
            with self.env.cr.savepoint():
                with credit_trusted_write(policy):
                    policy.write(self._parameter_values(self))
                raise _Undo()
        except _Undo:
            pass
        finally:
            self.invalidate_cache()

    def _credit_apply_approval(self):
        """Approved: published now when effective, else by the daily job."""
        self.message_post(body=_("Approved by %s; effective on %s.") % (
            self.approved_by.name, self.effective_date))
        if self.effective_date <= fields.Date.context_today(self):
            self._credit_publish()

    @api.multi
    def action_submit(self):
        res = super().action_submit()
        for rec in self:
            if not rec.review_ids:
                raise UserError(_("No approval tier is defined for policy "
                                  "changes."))
        return res
