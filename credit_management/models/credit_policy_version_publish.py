# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Publishing a credit policy version: the parameters it changes, the
policy written and the teams told, the daily job publishing approved
versions on their effective date, the version recorded for a policy in
force (install, a manager's direct edit), the version of a number."""
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models

from .trusted import credit_trusted_write


class CreditPolicyVersion(models.Model):
    _inherit = "credit.policy.version"

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
