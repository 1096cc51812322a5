# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Warnings on a credit group as a whole: limit usage and overdue.

The warning cron evaluates each active group after the customers with the
same indicators (domain ``risk_warnings.evaluate``) on the group's numbers:
group limit, the members' exposure and overdue added up. A group warning is
a ``credit.warning`` with the group and no customer; one open warning per
group and type, updated while it holds and closed when it clears.
"""
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..domain import exposure as exposure_domain
from ..domain import risk_warnings as warning_domain

GROUP_WARNING_TYPES = ("limit_usage", "limit_exceeded", "overdue_amount",
                       "overdue_days")


class CreditWarning(models.Model):
    _inherit = "credit.warning"

    partner_id = fields.Many2one(required=False)
    group_id = fields.Many2one(
        "credit.group", "Credit Group", index=True, ondelete="cascade",
        readonly=True,
        help="A warning on the group as a whole (no single customer).")

    @api.constrains("partner_id", "group_id", "warning_type")
    def _check_partner_or_group(self):
        for warning in self:
            if bool(warning.partner_id) == bool(warning.group_id):
                raise ValidationError(_(
                    "A warning is on one customer or on one credit group."))

    @api.multi
    def name_get(self):
        result = dict(super().name_get())
        labels = dict(self._fields["warning_type"]._description_selection(
            self.env))
        for warning in self.filtered("group_id"):
            result[warning.id] = "%s: %s" % (
                warning.group_id.display_name,
                labels.get(warning.warning_type))
        return list(result.items())

    # ------------------------------------------------------------------
    @api.model
    def _cron_evaluate_portfolio(self, date, company_ids):
        super()._cron_evaluate_portfolio(date, company_ids)
        domain = [("member_ids", "!=", False)]
        if company_ids:
            domain.append(("company_id", "in", company_ids))
        for group in self.env["credit.group"].sudo().search(domain):
            self.sudo()._evaluate_group(group, date)

    @api.model
    def _gather_group_facts(self, group, policy, date):
        data = group._credit_member_data(today=date)
        oldest = [item.oldest_due_date for item in data.values()
                  if item.oldest_due_date]
        today = fields.Date.from_string(date)
        return warning_domain.make_facts(
            today=today, limit=group.credit_limit,
            exposure=group._credit_total_exposure(data, policy),
            overdue_amount=sum(item.overdue_amount for item in data.values()),
            overdue_days=exposure_domain.overdue_days(
                min(oldest) if oldest else None, today))

    @api.model
    def _evaluate_group(self, group, date):
        """Bring the group's open warnings in line with its signals."""
        company = group.company_id
        policy = company.sudo().credit_policy_id
        if not policy:
            return
        facts = self._gather_group_facts(group, policy, date)
        signals = {
            signal.warning_type: signal
            for signal in warning_domain.evaluate(
                facts, self._get_thresholds(policy))
            if signal.warning_type in GROUP_WARNING_TYPES}
        for warning in self.search([("group_id", "=", group.id),
                                    ("state", "=", "open")]):
            signal = signals.pop(warning.warning_type, None)
            if signal is None:
                warning._close(_("Condition cleared"))
                continue
            warning.write({
                "severity": signal.severity,
                "message": self._get_group_message(signal, group),
                "value": signal.value, "threshold": signal.threshold})
        responsible = group.user_id or policy.warning_user_id
        for signal in signals.values():
            warning = self.create({
                "group_id": group.id, "company_id": company.id,
                "warning_type": signal.warning_type,
                "severity": signal.severity,
                "message": self._get_group_message(signal, group),
                "value": signal.value, "threshold": signal.threshold,
                "user_id": responsible.id, "date": date,
                "policy_id": policy.id, "policy_version": policy.version})
            if responsible:
                warning._credit_group_todo(responsible)

    def _credit_group_todo(self, user):
        self.ensure_one()
        activity_type = self.env.ref("mail.mail_activity_data_todo",
                                     raise_if_not_found=False)
        self.env["mail.activity"].sudo().create({
            "res_model_id": self.env["ir.model"].sudo()._get(self._name).id,
            "res_id": self.id, "user_id": user.id,
            "activity_type_id": activity_type.id if activity_type else False,
            "summary": _("Credit group warning: %s") % self.group_id.name,
            "note": self.message,
            "date_deadline": self.date,
        })

    @api.model
    def _get_group_message(self, signal, group):
        currency = group.company_id.currency_id

        def money(amount):
            return self._credit_money(amount, currency)
        wtype = signal.warning_type
        if wtype == "limit_usage":
            return _("Group exposure %s is %.1f %% of the group credit limit "
                     "%s (warning at %.0f %%).") % (
                money(group.credit_limit * signal.value / 100.0),
                signal.value, money(group.credit_limit), signal.threshold)
        if wtype == "limit_exceeded":
            return _("Group exposure %s exceeds the group credit limit %s "
                     "(%.1f %%).") % (
                money(group.credit_limit * signal.value / 100.0),
                money(group.credit_limit), signal.value)
        if wtype == "overdue_amount":
            return _("Overdue amount of the group's members %s is above "
                     "%s.") % (money(signal.value), money(signal.threshold))
        return _("The oldest unpaid invoice of the group's members is %d "
                 "days past due (level %d days).") % (
            signal.value, signal.threshold)
