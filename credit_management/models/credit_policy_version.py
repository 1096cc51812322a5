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
"""
from dateutil.relativedelta import relativedelta

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

    # ------------------------------------------------------------------
    # publishing
    # ------------------------------------------------------------------
    def _credit_diff(self, before):
        """[(label, old, new)] of the parameters that change."""
        rows = []
        for name in self._parameter_names():
            field = self._fields[name]
            old, new = before.get(name), self[name]
            old_value = field.convert_to_write(old, self) \
                if old is not None else None
            if old_value == field.convert_to_write(new, self):
                continue
            rows.append((field.get_description(self.env)["string"],
                         self._credit_display(field, old),
                         self._credit_display(field, new)))
        return rows

    def _credit_display(self, field, value):
        if field.type == "many2one":
            return value.display_name or ""
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(
                value, value or "")
        if field.type == "boolean":
            return _("Yes") if value else _("No")
        if value is False or value is None:
            return ""
        return "%s" % value

    def _credit_diff_html(self, rows):
        if not rows:
            return "<p>%s</p>" % _("No parameter changed.")
        lines = "".join(
            "<tr><td>%s</td><td>%s</td><td>%s</td></tr>" % row for row in rows)
        return ("<table class='table table-condensed'><thead><tr><th>%s</th>"
                "<th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody></table>"
                % (_("Parameter"), _("Before"), _("After"), lines))

    def _credit_teams(self):
        """Partners of the credit and sales teams of the company."""
        groups = self.env.ref("credit_management.group_credit_user") | \
            self.env.ref("sales_team.group_sale_salesman")
        users = groups.sudo().mapped("users").filtered(
            lambda u: u.active and not u.share
            and self.company_id in u.company_ids)
        return users.mapped("partner_id")

    def _credit_publish(self):
        """Apply this approved version to the policy and tell the teams."""
        self.ensure_one()
        policy = self.policy_id.sudo()
        before = {name: policy[name] for name in self._parameter_names()}
        rows = self._credit_diff(before)
        version = policy.version + 1
        values = self._parameter_values(self)
        values["version"] = version
        if self.document:
            values["credit_document"] = self.document
        with credit_trusted_write(policy):
            policy.write(values)
        published = self.search([("policy_id", "=", policy.id),
                                 ("state", "=", "published"),
                                 ("id", "!=", self.id)])
        if published:
            published._credit_workflow_write({"state": "superseded"})
        summary = self._credit_diff_html(rows)
        self._credit_workflow_write({
            "state": "published", "version": version,
            "published_date": fields.Datetime.now(),
            "published_by": self.env.uid, "change_summary": summary})
        body = "<p>%s</p>%s" % (
            _("Credit policy version %d is published, effective %s "
              "(approved by %s).") % (version, self.effective_date,
                                      self.approved_by.name or ""),
            summary)
        policy.message_post(
            body=body, subject=_("Credit policy version %d") % version,
            partner_ids=self._credit_teams().ids,
            subtype="mail.mt_comment")
        self.message_post(body=body)
        return True

    @api.model
    def _cron_publish_due(self, date=None):
        """Publish the approved versions whose effective date has come."""
        date = date or fields.Date.context_today(self)
        due = self.sudo().search([("state", "=", "approved"),
                                  ("effective_date", "<=", date)],
                                 order="effective_date, id")
        for rec in due:
            with credit_trusted_write(rec):
                rec._credit_publish()
        return due

    # ------------------------------------------------------------------
    @api.model
    def _credit_record_published(self, policy, direct_edit=False):
        """A published version holding the policy as it is now (install,
        new policy, a manager's direct edit)."""
        previous = self.sudo().search([("policy_id", "=", policy.id),
                                       ("state", "=", "published")])
        vals = self._parameter_values(policy)
        vals.update({
            "policy_id": policy.id, "effective_date":
                fields.Date.context_today(self),
            "document": policy.credit_document,
            "change_reason": _("Direct edit of the policy")
            if direct_edit else _("Policy in force"),
        })
        version = self.sudo().create(vals)
        rows = version._credit_diff(
            {name: previous[name] for name in self._parameter_names()}
        ) if previous else []
        now = fields.Datetime.now()
        if previous:
            previous._credit_workflow_write({"state": "superseded"})
        version._credit_workflow_write({
            "state": "published", "version": policy.version,
            "published_date": now, "published_by": self.env.uid,
            "approved_by": self.env.uid, "approval_date": now,
            "direct_edit": direct_edit,
            "change_summary": version._credit_diff_html(rows)
            if direct_edit else False})
        return version

    @api.model
    def _credit_demo_pending_change(self, user_xmlid):
        """Demo data: a change of the main company's policy proposed by
        ``user_xmlid`` and waiting for its review (effective next month)."""
        user = self.env.ref(user_xmlid)
        policy = self.env.user.company_id.sudo().credit_policy_id
        if not policy or self.search_count([("policy_id", "=", policy.id),
                                            ("state", "=", "to_approve")]):
            return False
        action = policy.sudo(user).action_propose_change()
        version = self.sudo(user).browse(action["res_id"])
        version.write({
            "limit_tolerance_percent": 5.0, "overdue_grace_days": 10,
            "effective_date": fields.Date.to_string(
                fields.Date.from_string(fields.Date.context_today(self))
                + relativedelta(months=1, day=1)),
            "change_reason": _("Accept small excesses and short delays of "
                               "long-standing customers.")})
        version.action_submit()
        return version.id

    @api.model
    def _credit_lookup(self, policy_id, version):
        """The version record of (policy, version number)."""
        if not policy_id or not version:
            return self.browse()
        return self.sudo().search([("policy_id", "=", policy_id),
                                   ("version", "=", version),
                                   ("state", "in", ("published",
                                                    "superseded"))],
                                  limit=1)


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
        res["policy_version_id"] = self.env[
            "credit.policy.version"]._credit_lookup(
                vals.get("policy_id"), vals.get("policy_version")).id or None
        return res
