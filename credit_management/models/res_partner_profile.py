# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""res.partner: the credit profile's protection (who may change it) and
its change history (logged in the credit dossier)."""
from odoo import _, api, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .trusted import credit_trusted_write, trusted_write


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Protection: the credit profile changes through the addon's own
    # approvals (a trusted write, see trusted.py) or by the credit team,
    # never by anyone else over RPC, whatever the context says.
    # ------------------------------------------------------------------
    @api.model
    def _credit_protected_fields(self):
        return {"credit_limit": "credit_management.group_credit_manager",
                "credit_grade_id": "credit_management.group_credit_manager",
                "credit_hold": "credit_management.group_credit_controller",
                "credit_hold_reason": "credit_management.group_credit_controller",
                "credit_review_date": "credit_management.group_credit_controller",
                "credit_order_cap": "credit_management.group_credit_manager"}

    def _credit_trusted_write(self):
        """The addon's own write of these partners (or of their commercial
        partners, whose profile the contacts follow), else None."""
        return trusted_write(self) or trusted_write(
            self.mapped("commercial_partner_id"))

    @api.model
    def _credit_check_values(self, vals):
        """Refuse impossible profile values before anything is written."""
        for field in ("credit_limit", "credit_order_cap"):
            if (vals.get(field) or 0.0) < 0:
                raise ValidationError(
                    _("%s cannot be negative.")
                    % self._fields[field].get_description(self.env)["string"])

    def _credit_check_protected_write(self, vals, parent=None):
        """Refuse a change of the credit profile by someone outside the
        credit team. A contact follows its commercial partner: giving it the
        commercial partner's values (Odoo's sync) changes nothing."""
        if self._credit_trusted_write():
            return
        for field, group in self._credit_protected_fields().items():
            if field not in vals or self.env.user.has_group(group):
                continue
            new = self._fields[field].convert_to_record(
                self._fields[field].convert_to_cache(vals[field], self), self)
            if parent is not None:  # creation: the default, or the parent's
                current = [parent[field] if parent
                           else self._fields[field].convert_to_record(
                               self._fields[field].convert_to_cache(
                                   self.default_get([field]).get(field, False),
                                   self), self)]
            else:
                current = [partner[field]
                           if partner.commercial_partner_id == partner
                           else partner.commercial_partner_id[field]
                           for partner in self]
            if any(value != new for value in current):
                raise AccessError(
                    _("Only the credit team may change %s; ask for it through "
                      "a credit limit request or an evaluation.")
                    % self._fields[field].get_description(self.env)["string"])

    @api.model
    def create(self, vals):
        self._credit_check_values(vals)
        # a new customer starts from the defaults (a new contact from its
        # company's profile): any other value is the credit team's change
        parent = self.browse(vals.get("parent_id")).commercial_partner_id \
            if vals.get("parent_id") and not vals.get("is_company") \
            else self.browse()
        self.browse()._credit_check_protected_write(vals, parent=parent)
        return super().create(vals)

    @api.multi
    def write(self, vals):
        self._credit_check_values(vals)
        self._credit_check_protected_write(vals)
        before = None
        if set(vals) & set(self._credit_history_fields()):
            before = self._credit_history_snapshot()
        res = super().write(vals)
        if before:
            self._credit_log_history(before)
        if "credit_review_date" in vals:
            self._credit_sync_review_date()
        return res

    def _credit_sync_review_date(self):
        """The dossiers of the company follow the partner's next review
        date of that company."""
        company = self._credit_company()
        dossiers = self.env["credit.dossier"].sudo()._find(
            self.filtered(lambda p: p.commercial_partner_id == p), company)
        for dossier in dossiers:
            date = dossier.partner_id.with_context(
                force_company=company.id).credit_review_date
            if dossier.review_date != date:
                dossier.write({"review_date": date})

    def _credit_write_profile(self, vals, change_type="other", reason=None,
                              origin=None, user_id=None):
        """Write credit profile ``vals`` as the addon (an approval, a
        penalty, a sync): trusted for these partners only, the history
        labelled with ``change_type``, ``reason``, ``origin`` and the
        deciding ``user_id``. The company is the context's."""
        with credit_trusted_write(self, change_type=change_type,
                                  reason=reason, origin=origin,
                                  user_id=user_id):
            return self.write(vals)

    @api.multi
    def action_credit_open_dossier(self):
        """Open (creating it for the credit team) the customer's dossier."""
        self.ensure_one()
        partner = self.commercial_partner_id
        company = self._credit_company()
        Dossier = self.env["credit.dossier"]
        dossier = Dossier._find(partner, company)
        if not dossier:
            if not self.env.user.has_group(
                    "credit_management.group_credit_controller"):
                raise UserError(_("%s has no credit dossier yet; the credit "
                                  "team opens it.") % partner.display_name)
            dossier = Dossier._get_or_create(partner, company)
        return {"type": "ir.actions.act_window", "res_model": "credit.dossier",
                "res_id": dossier.id, "view_mode": "form",
                "name": _("Credit Dossier")}

    # ------------------------------------------------------------------
    # History: every change of grade, limit or terms of a commercial
    # partner is logged in its credit dossier of the company (who, when,
    # from, to, why). Approvals pass the reason and origin through
    # ``_credit_write_profile``.
    # ------------------------------------------------------------------
    @api.model
    def _credit_history_fields(self):
        return ("credit_grade_id", "credit_limit", "property_payment_term_id")

    def _credit_history_snapshot(self):
        return {p.id: (p.credit_grade_id, p.credit_limit,
                       p.property_payment_term_id)
                for p in self if p.commercial_partner_id == p}

    def _credit_log_history(self, before):
        company = self._credit_company()
        # type, reason and origin come from the addon's own approvals
        # (trusted.py), never from the context: a client cannot label its
        # own change, whoever it is
        frame = self._credit_trusted_write()
        Dossier = self.env["credit.dossier"]
        for partner in self.filtered(lambda p: p.id in before):
            grade, limit, term = before[partner.id]
            after = (partner.credit_grade_id, partner.credit_limit,
                     partner.property_payment_term_id)
            if after == (grade, limit, term):
                continue
            dossier = Dossier.sudo()._find(partner, company)
            if not dossier:
                if (grade, limit) == after[:2]:
                    continue  # terms only, customer not under credit control
                dossier = Dossier._get_or_create(partner, company)
            dossier._log_history({
                "change_type": frame.change_type if frame else "manual",
                "reason": frame.reason if frame else False,
                "origin": frame.origin if frame else False,
                "user_id": (frame.user_id if frame else False)
                or self.env.uid,
                "old_grade_id": grade.id, "new_grade_id": after[0].id,
                "old_limit": limit, "new_limit": after[1],
                "old_payment_term_id": term.id,
                "new_payment_term_id": after[2].id,
            })

    def _credit_apply_grade_terms(self):
        """Give each partner the payment term of its grade's credit terms."""
        for partner in self:
            term = partner.credit_grade_id.term_template_id.payment_term_id
            if term:
                partner.sudo().property_payment_term_id = term
        return True
