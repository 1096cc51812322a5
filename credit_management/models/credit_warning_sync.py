# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""credit.warning: keeping each customer's warnings in line with its
signals (close, follow, open), in bulk for a batch; who is responsible;
the digests of the day.
"""
from psycopg2.extras import execute_values

from odoo import _, api, models

from ..domain import risk_warnings as warning_domain
from ..queries import warning as warning_queries


class CreditWarning(models.Model):
    _inherit = "credit.warning"

    # ------------------------------------------------------------------
    # Keeping warnings in line with the signals
    # ------------------------------------------------------------------
    @api.model
    def _sync_partner(self, company, policy, partner, signals, current,
                      facts, date, run=None):
        """Close the warnings whose cause cleared, follow the others, open
        the new ones. In a batch (``run['pending']`` set) the new ones are
        only prepared, and inserted with the batch's (_create_pending)."""
        run = run or self._prepare_run(company, policy, partner, date)
        batch = run["pending"] is not None
        by_type = {signal.warning_type: signal for signal in signals}
        still_open = self.browse()
        for warning in current:
            signal = by_type.pop(warning.warning_type, None)
            if signal is None:
                if batch:
                    run["close"].setdefault(partner.id, []).append(warning.id)
                else:
                    warning._close(_("Condition cleared"))
                continue
            still_open |= warning
            message = self._get_message(signal, partner, company,
                                        secured=facts.secured)
            vals = {"severity": signal.severity, "message": message,
                    "value": signal.value, "threshold": signal.threshold}
            if signal.severity != warning.severity:
                # a tracked change: through the ORM, in the chatter
                if batch:
                    run["track"].setdefault(partner.id, []).append(
                        (warning.id, vals))
                else:
                    warning.write(vals)
            elif message != warning.message:
                if batch:  # the day's numbers: refreshed with the batch's
                    run["refresh"].append((warning.id, vals))
                else:
                    warning.write(vals)
        # no chatter, followers or tracking at creation: the record says
        # what, when and why; later changes are tracked as usual
        new_vals = [self._prepare_warning_vals(company, policy, partner, signal,
                                               date, run["responsible"][partner.id],
                                               secured=facts.secured)
                    for signal in by_type.values()]
        if batch:
            run["still_open"][partner.id] = still_open
            if new_vals:
                run["pending"][partner.id] = new_vals
            return
        created = self.browse()
        for vals in self._attach_digests(company, date, new_vals, run):
            created |= self.with_context(tracking_disable=True).create(vals)
        self._after_sync(company, policy, partner, created,
                         still_open)

    @api.model
    def _refresh_bulk(self, refresh):
        """Write the day's message, value and threshold of many warnings
        (none of them tracked) in one statement."""
        if not refresh:
            return
        query = """
            UPDATE credit_warning w
               SET message = v.message, value = v.value,
                   threshold = v.threshold, write_uid = %s,
                   write_date = now() at time zone 'UTC'
              FROM (VALUES %%s) AS v(id, message, value, threshold)
             WHERE w.id = v.id""" % int(self.env.uid)
        rows = [(wid, vals["message"], vals["value"], vals["threshold"])
                for wid, vals in refresh]
        execute_values(self.env.cr._obj, query, rows, page_size=1000)
        self.env.cr.sql_log_count += 1
        self.invalidate_cache(["message", "value", "threshold"],
                              [wid for wid, _vals in refresh])

    @api.model
    def _create_pending(self, company, date, run):
        """Insert the new warnings prepared for a batch in one statement;
        returns {partner id: the new warnings}."""
        partner_ids = list(run["pending"])
        vals_list = [vals for pid in partner_ids for vals in run["pending"][pid]]
        if not vals_list:
            return {}
        records = self._credit_insert(
            self._attach_digests(company, date, vals_list, run))
        created, index = {}, 0
        for pid in partner_ids:
            count = len(run["pending"][pid])
            created[pid] = records[index:index + count].with_prefetch(
                records._prefetch)
            index += count
        return created

    @api.model
    def _credit_insert_extra_vals(self, vals):
        """The stored computed columns of an inserted warning."""
        return {"severity_rank": warning_domain.severity_rank(vals["severity"])}

    @api.model
    def _needs_follow_up(self, policy, partner, new_vals):
        """Whether rewards or penalties may act on this customer, given the
        values of its new warnings."""
        return policy.penalty_action != "none" or any(
            vals["warning_type"] == "good_payer" for vals in new_vals)

    @api.model
    def _after_sync(self, company, policy, partner, created, still_open):
        """Rewards for new on-time-payer warnings, then the penalties."""
        for warning in created.filtered(
                lambda w: w.warning_type == "good_payer"):
            self._propose_reward(company, policy, partner, warning)
        self._apply_controls(company, policy, partner, still_open | created)

    @api.model
    def _get_responsible_map(self, company, policy, partners):
        """{partner id: the controller in charge} for ``partners``: the
        dossier's, else the policy's, else the salesperson when a
        controller, else nobody (no to-do). One query for a batch, and one
        per distinct user for its groups."""
        controllers = {}

        def is_controller(user):
            if user.id not in controllers:
                controllers[user.id] = user.has_group(
                    "credit_management.group_credit_controller")
            return controllers[user.id]
        # two columns of each customer in one query: reading the partners
        # through the ORM loads all their fields (0.7 s for 500 customers)
        users = warning_queries.responsible_users(
            self.env.cr, company.id, partners.ids)
        Users = self.env["res.users"]
        result = {}
        for partner in partners:
            dossier_user_id, salesperson_id = users.get(partner.id,
                                                        (None, None))
            dossier_user = Users.browse(dossier_user_id)
            salesperson = Users.browse(salesperson_id)
            if dossier_user and is_controller(dossier_user):
                result[partner.id] = dossier_user
            elif policy.warning_user_id:
                result[partner.id] = policy.warning_user_id
            elif salesperson and is_controller(salesperson):
                result[partner.id] = salesperson
            else:
                result[partner.id] = Users
        return result

    @api.model
    def _get_responsible(self, company, policy, partner):
        """The controller in charge of one customer (see
        _get_responsible_map)."""
        return self._get_responsible_map(company, policy, partner)[partner.id]

    @api.model
    def _prepare_warning_vals(self, company, policy, partner, signal, date,
                              responsible=None, secured=None):
        if responsible is None:
            responsible = self._get_responsible(company, policy, partner)
        return {
            "partner_id": partner.id, "company_id": company.id,
            "warning_type": signal.warning_type,
            "severity": signal.severity,
            "message": self._get_message(signal, partner, company,
                                         secured=secured),
            "value": signal.value, "threshold": signal.threshold,
            "user_id": responsible.id,
            "date": date, "policy_id": policy.id,
            "policy_version": policy.version,
        }

    @api.model
    def _attach_digests(self, company, date, vals_list, run):
        """Put each new warning on its responsible's digest of the day: one
        to-do for all the warnings raised for them, not one each."""
        for vals in vals_list:
            user_id = vals.get("user_id")
            if not user_id:
                continue
            if user_id not in run["digests"]:
                run["digests"][user_id] = self.env[
                    "credit.warning.digest"]._get_for(
                        company, self.env["res.users"].browse(user_id), date)
            vals["digest_id"] = run["digests"][user_id].id
        return vals_list
