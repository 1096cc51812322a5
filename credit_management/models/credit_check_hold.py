# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""credit.check: a hold and its decision. Who may decide, the to-dos of the
credit team (kept on the check, closed by the decision), the hold shown to
the salesperson, and the holds of refused changes of confirmed orders,
stored in a transaction of their own."""
import logging
from contextlib import contextmanager

from odoo import _, api, fields, models

from ..domain import decision as decision_domain
from .trusted import credit_trusted

_logger = logging.getLogger(__name__)


@contextmanager
def separate_env(env):
    """An environment on a new cursor of the same database, committed when
    the block ends without error (rolled back otherwise)."""
    with env.registry.cursor() as cr:
        # never wait long on a row the calling transaction may hold
        cr.execute("SET LOCAL lock_timeout = '5s'")
        yield api.Environment(cr, env.uid, env.context)


class CreditCheck(models.Model):
    _inherit = "credit.check"

    def _schedule_review(self, document, summary):
        """A to-do on ``document`` for each credit controller who may decide
        this hold, kept on the check (the decision closes them by record,
        whatever language they were written in)."""
        self.ensure_one()
        activity_type = self.env.ref("mail.mail_activity_data_todo",
                                     raise_if_not_found=False)
        model = self.env["ir.model"].sudo()._get(document._name)
        activities = self.env["mail.activity"].sudo()
        for user in self._credit_deciders():
            activities |= activities.create({
                "res_model_id": model.id, "res_id": document.id,
                "user_id": user.id,
                "activity_type_id": activity_type.id if activity_type else False,
                "summary": summary,
                "note": (self.reasons or "").replace("\n", "<br/>"),
                "date_deadline": fields.Date.context_today(self),
            })
        if activities:
            with credit_trusted():
                self.sudo().write({"review_activity_ids": [
                    (4, activity.id) for activity in activities]})
        return activities

    def _close_reviews(self, feedback):
        """Close the open review to-dos of the holds of this check's
        document."""
        self.ensure_one()
        field = "order_id" if self.order_id else "invoice_id"
        checks = self.sudo().search([(field, "=", self[field].id)])
        checks.mapped("review_activity_ids").action_feedback(feedback=feedback)

    # ------------------------------------------------------------------
    # holds of refused changes: kept in their own transaction
    # ------------------------------------------------------------------
    def _credit_separate_env(self):
        """Context manager: an environment whose work is committed apart
        from the current transaction (which the refusal rolls back)."""
        return separate_env(self.env)

    @api.model
    def _credit_store_apart(self, values_list):
        """Store the held checks of refused changes in their own
        transaction and tell the credit team; a pending identical hold is
        not stored twice. Return the checks' ids (empty when they could not
        be stored: the change is refused all the same)."""
        try:
            with self._credit_separate_env() as env:
                Check = env[self._name]
                ids = []
                for values in values_list:
                    check = Check._credit_pending_change(values)
                    if not check:
                        check = Check._create_check(values)
                        check._document()._credit_hold_change(check)
                    ids.append(check.id)
                return ids
        except Exception:  # the refusal itself must reach the user
            _logger.exception("credit gate: the hold of a refused change "
                              "could not be stored")
            return []

    @api.model
    def _credit_pending_change(self, values):
        """An undecided hold of the same change (same order, same amount)."""
        candidates = self.sudo().search([
            ("order_id", "=", values.get("order_id")),
            ("trigger", "=", "change"), ("result", "=", "blocked"),
            ("check_mode", "=", "block"), ("decision", "=", False)])
        return candidates.filtered(
            lambda c: abs(c.order_amount - values["order_amount"])
            < decision_domain.EPSILON)[:1]

    def _credit_covers(self, values):
        """Whether this released hold of a change covers the change
        checked in ``values``: not more amount, not more excess, no reason
        the decision did not see."""
        self.ensure_one()
        eps = decision_domain.EPSILON
        return (self.decision == "released" and not self.release_used
                and values["order_amount"] - self.order_amount <= eps
                and values["excess_amount"] - self.excess_amount <= eps
                and (values.get("group_excess_amount") or 0.0)
                - self.group_excess_amount <= eps
                and set(decision_domain.decode_codes(values["reason_codes"]))
                <= set(self.reason_code_list()))

    def _credit_deciders(self):
        """Users who may decide this hold (not the salesperson)."""
        self.ensure_one()
        group = self.env.ref(
            "credit_management.group_credit_manager"
            if self.required_authority == decision_domain.MANAGER
            else "credit_management.group_credit_controller")
        return group.sudo().users.filtered(
            lambda u: u.active and not u.share and u != self.user_id
            and self.company_id in u.company_ids)

    def _credit_hold_action(self):
        """What the salesperson sees when confirming held orders."""
        action = {
            "type": "ir.actions.act_window",
            "name": _("Credit Hold"),
            "res_model": "credit.check",
            "target": "new",
            "context": {"create": False, "edit": False},
        }
        view = self.env.ref("credit_management.credit_check_view_form_hold")
        if len(self) == 1:
            action.update(view_mode="form", res_id=self.id,
                          views=[(view.id, "form")])
        else:
            action.update(view_mode="tree,form",
                          domain=[("id", "in", self.ids)])
        return action
