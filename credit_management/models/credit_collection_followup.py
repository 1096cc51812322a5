# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""credit.collection.log: one batch of the follow-up cron, in sets.

A batch is read in a few queries (levels, promises, contacts with an
e-mail, dossiers and responsibles), each customer's action planned in
Python (``_execute_level`` / ``_log_action`` with a ``plan``), then written
in sets: promise states in one UPDATE, the statements rendered per
template and language for the whole batch and queued as mail.mail (Odoo's
mail queue sends them), holds and legal hand-overs through the ORM for the
customers that change (each in its savepoint: the hold is tracked on the
partner), the log lines in one INSERT, and one to-do per controller and
day on a ``credit.collection.digest`` instead of one activity a customer.
"""
import logging

from psycopg2.extras import execute_values

from odoo import _, api, fields, models

_logger = logging.getLogger(__name__)


class CreditCollectionLog(models.Model):
    _inherit = "credit.collection.log"

    digest_id = fields.Many2one(
        "credit.collection.digest", "Collection Digest", readonly=True,
        index=True,
        ondelete="set null",
        help="The list of the day's customers that reached a level with an "
             "activity, for the responsible's one to-do.")

    @api.model
    def _followup_batch(self, company, policy, partner_ids, aging, current,
                        date, stats):
        """Plan every customer of the batch, then write in sets. ``aging``
        may hold the company's rows or only the batch's."""
        levels = policy.followup_level_ids.sorted(lambda lv: (lv.days, lv.id))
        promises = self._get_promise_status(company, partner_ids, date)
        self._write_promise_states(promises)
        Level = self.env["credit.followup.level"]
        days_of = {level.id: level.days for level in Level.browse(
            set(current.get(pid) for pid in partner_ids) - {None})}

        def decide(pid):
            """(days, amount, level reached or None) when the customer has
            something to do today, else None (no record read)."""
            row = aging.get(pid) or {}
            days = int(row.get("max_days_overdue") or 0)
            amount = float(row.get("amount_overdue") or 0.0)
            level_id = current.get(pid)
            if days <= 0 or amount <= 0:
                return (0, 0.0, None) if level_id else None
            target = levels.filtered(lambda lv: lv.days <= days)[-1:]
            if target and (not level_id or target.days > days_of[level_id]):
                return (days, amount, target)
            return None

        todo = {}
        for pid in partner_ids:
            decision = decide(pid)
            if decision:
                todo[pid] = decision
        # the few fields the batch reads, not every column of res.partner
        partners = self.env["res.partner"].browse(list(todo)).with_context(
            force_company=company.id, prefetch_fields=False)
        plan = self._prepare_followup_plan(company, policy, partners, date)

        def follow(partner):
            days, amount, target = todo[partner.id]
            if target is None:
                self._log_action(company, partner, False, "system",
                                 _("Nothing overdue any more."), 0.0, 0,
                                 date, plan=plan)
                return
            # the plan positionally: overrides written as (..., *args) pass it on
            self._execute_level(company, policy, partner, target, amount,
                                days, date, plan)

        # pass 1 reads and plans only: nothing to roll back on a failure
        for partner in partners:
            self._credit_cron_run_one(follow, partner, stats["failed"],
                                      savepoint=False)
        stats["actions"] += len(self._apply_followup_plan(
            company, policy, plan, date, stats))
        self.invalidate_cache()  # memory stays one batch's

    @api.model
    def _write_promise_states(self, promises):
        """The promise states that changed, in one UPDATE."""
        if not promises:
            return
        self.env.cr.execute(
            "SELECT id, promise_state FROM credit_collection_log "
            "WHERE id IN %s", (tuple(promises),))
        changed = [(log_id, promises[log_id][1])
                   for log_id, state in self.env.cr.fetchall()
                   if state != promises[log_id][1]]
        if not changed:
            return
        query = """
            UPDATE credit_collection_log l
               SET promise_state = v.state, write_uid = %s,
                   write_date = now() at time zone 'UTC'
              FROM (VALUES %%s) AS v(id, state)
             WHERE l.id = v.id""" % int(self.env.uid)
        execute_values(self.env.cr._obj, query, changed, page_size=1000)
        self.env.cr.sql_log_count += 1
        self.invalidate_cache(["promise_state"], [lid for lid, _s in changed])

    @api.model
    def _prepare_followup_plan(self, company, policy, partners, date):
        """What a batch looks up once instead of once per customer: the
        invoicing contact with an e-mail, the dossier and the responsible
        of each customer; the planned actions go in ``entries``."""
        contacts = {}
        for contact in self.env["res.partner"].search([
                ("parent_id", "in", partners.ids), ("type", "=", "invoice"),
                ("email", "!=", False)]):
            contacts.setdefault(contact.parent_id.id, contact)
        dossiers = {dossier.partner_id.id: dossier.id for dossier in
                    self.env["credit.dossier"].sudo()._find(partners, company)}
        return {
            "contacts": contacts, "dossiers": dossiers,
            "responsible": self.env["credit.warning"]._get_responsible_map(
                company, policy, partners),
            "entries": [], "digests": {},
        }

    @api.model
    def _log_action(self, company, partner, level, channel, result, amount,
                    days, date, plan=None, **extra):
        """One automatic log line: created now, or (``plan``) prepared for
        the batch's insert; returns the line, or its plan entry."""
        commercial = partner.commercial_partner_id
        vals = {"partner_id": commercial.id, "company_id": company.id,
                "date": date, "level_id": level.id if level else False,
                "channel": channel, "result": result, "automatic": True,
                "overdue_amount": amount, "overdue_days": days,
                "user_id": self.env.user.id}
        vals.update(extra)
        if plan is None:
            return self.create(vals)
        vals["dossier_id"] = plan["dossiers"].get(commercial.id, False)
        entry = {"partner": commercial, "level": level, "vals": vals,
                 "notes": [result] if result else [], "mail": None,
                 "hold": None, "legal": False, "activity_user": None}
        plan["entries"].append(entry)
        return entry

    @api.model
    def _get_responsible(self, company, policy, partner):
        return self.env["credit.warning"]._get_responsible(
            company, policy, partner)

    @api.model
    def _execute_level(self, company, policy, partner, level, amount, days,
                       date, plan=None):
        """Plan the level's statement, to-do, hold and hand-over for the
        batch (``plan``); without a plan, do them now and return the log."""
        if plan is None:
            plan = self._prepare_followup_plan(company, policy, partner, date)
            self._execute_level(company, policy, partner, level, amount, days,
                                date, plan=plan)
            return self._apply_followup_plan(company, policy, plan, date, None,
                                             raise_errors=True)
        notes = []
        contact = plan["contacts"].get(partner.id) or partner
        mail = None
        if level.mail_template_id:
            if not contact.email:
                notes.append(_("No e-mail address: statement not sent."))
            else:
                mail = (level.mail_template_id, contact)
                notes.append(_("Statement of overdue invoices e-mailed to "
                               "%s.") % contact.email)
        user = None
        if level.activity_type_id:
            user = plan["responsible"].get(partner.id) or self.env.user
            notes.append(_("%s planned for %s.") % (
                level.activity_type_id.name, user.name))
        hold = None
        if level.set_hold and not partner.credit_hold:
            hold = {"credit_hold": True,
                    "credit_hold_reason": _(
                        "Collection level %s: %d days overdue") % (
                        level.name, days)}
        entry = self._log_action(company, partner, level, level.channel,
                                 False, amount, days, date, plan=plan,
                                 contact_id=contact.id)
        entry.update(notes=notes, mail=mail, hold=hold, activity_user=user,
                     legal=bool(level.legal_handover))
        return entry

    @api.model
    def _apply_followup_plan(self, company, policy, plan, date, stats,
                             raise_errors=False):
        """Write what ``plan`` holds: statements rendered in sets and
        queued, holds and hand-overs per customer (savepoint each), the log
        lines in one insert, the digests' to-dos. A customer whose part
        fails is left out (``stats['failed']``). Returns the new lines."""
        entries = plan["entries"]
        failed = stats["failed"] if stats else []
        rendered = self._render_statements(company, entries, date, failed,
                                           raise_errors)

        followed = self._hold_followed_ids(
            [entry["partner"].id for entry in entries if entry["hold"]])
        done = []
        for entry in entries:
            if entry["partner"].id in failed:
                continue
            # holds with no follower to notify: in bulk below
            entry["bulk_hold"] = bool(entry["hold"]) and \
                entry["partner"].id not in followed
            if not (entry["mail"] or entry["legal"] or (
                    entry["hold"] and not entry["bulk_hold"])):
                done.append(entry)
                continue

            def apply(_partner, entry=entry):
                self._apply_followup_entry(company, entry, rendered, date)
            if raise_errors:
                with self.env.cr.savepoint():
                    apply(entry["partner"])
                done.append(entry)
            elif self._credit_cron_run_one(apply, entry["partner"], failed):
                done.append(entry)
        done = self._hold_in_bulk(company, done, failed, raise_errors)
        vals_list = []
        for entry in done:
            user = entry["activity_user"]
            if user:
                if user.id not in plan["digests"]:
                    plan["digests"][user.id] = self.env[
                        "credit.collection.digest"]._get_for(company, user, date)
                entry["vals"]["digest_id"] = plan["digests"][user.id].id
            entry["vals"]["result"] = "\n".join(entry["notes"])
            vals_list.append(entry["vals"])
        logs = self._credit_insert(vals_list)
        for digest in plan["digests"].values():
            digest._refresh_activity_note()
        plan["entries"] = []
        return logs

    @api.model
    def _credit_insert_extra_vals(self, vals):
        """The stored computed promise state of an inserted line."""
        return {"promise_state": "open" if vals.get("promise_date")
                else "none"}

    @api.model
    def _statement_context(self, company, date):
        return {"force_company": company.id, "credit_company_id": company.id,
                "credit_date": date}

    @api.model
    def _render_statements(self, company, entries, date, failed,
                           raise_errors=False):
        """{partner id: mail values} of the planned statements, rendered per
        template and language for all the batch's customers at once (one by
        one, skipping the failing ones, if the set fails)."""
        groups = {}
        for entry in entries:
            if entry["mail"]:
                key = (entry["mail"][0].id, entry["partner"].lang or False)
                groups.setdefault(key, []).append(entry["partner"].id)
        rendered = {}
        for (template_id, lang), partner_ids in groups.items():
            template = self.env["mail.template"].browse(template_id).with_context(
                lang=lang or None, **self._statement_context(company, date))
            if raise_errors:
                rendered.update(template.generate_email(partner_ids))
                continue
            try:
                rendered.update(template.generate_email(partner_ids))
            except Exception:  # pylint: disable=broad-except
                _logger.exception("credit.collection.log: statements of %s "
                                  "rendered one by one", template.name)
                for partner in self.env["res.partner"].browse(partner_ids):
                    self._credit_cron_run_one(
                        lambda p, t=template: rendered.update(
                            t.generate_email([p.id])),
                        partner, failed, savepoint=False)
        return rendered

    @api.model
    def _queue_statement(self, values, contact):
        """Create the statement's mail.mail as ``mail.template.send_mail``
        does (without sending: Odoo's mail queue sends it)."""
        values = dict(values)
        values["recipient_ids"] = [(6, 0, contact.ids)]
        values.pop("partner_ids", None)
        attachment_ids = values.pop("attachment_ids", [])
        attachments = values.pop("attachments", [])
        if "email_from" in values and not values.get("email_from"):
            values.pop("email_from")
        mail = self.env["mail.mail"].create(values)
        Attachment = self.env["ir.attachment"]
        for name, data in attachments:
            attachment_ids.append(Attachment.create({
                "name": name, "datas_fname": name, "datas": data,
                "type": "binary", "res_model": "mail.message",
                "res_id": mail.mail_message_id.id}).id)
        if attachment_ids:
            mail.write({"attachment_ids": [(6, 0, attachment_ids)]})
        return mail

    @api.model
    def _apply_followup_entry(self, company, entry, rendered, date):
        """The writes of one customer's action: its statement queued, the
        hold (tracked on the partner), the legal hand-over."""
        partner = entry["partner"].with_context(force_company=company.id)
        if entry["mail"]:
            mail = self._queue_statement(rendered[partner.id],
                                         entry["mail"][1])
            entry["vals"]["mail_id"] = mail.id
        if entry["hold"] and not entry.get("bulk_hold"):
            partner._credit_write_profile(entry["hold"])
            entry["notes"].append(_("Customer put on credit hold."))
        if entry["legal"]:
            entry["notes"].append(
                self._open_legal_case(company, partner, entry["level"], date)
                or _("Legal hand-over to be prepared."))

    @api.model
    def _open_legal_case(self, company, partner, level, date):
        """Open the legal escalation on the dossier; returns a note."""
        dossier = self.env["credit.dossier"].sudo()._find(partner, company)
        if not dossier:
            return _("No credit dossier: legal hand-over to be prepared.")
        if dossier.legal_state in ("none", "recovered", "closed_lost"):
            dossier.write({"legal_state": "to_hand_over",
                           "legal_claim_amount": sum(
                               partner.credit_overdue_invoices(
                                   company.id, date).mapped(
                                   "residual_company_signed"))})
        return _("Legal case of dossier opened: %s.") % dict(
            dossier._fields["legal_state"].selection)[dossier.legal_state]
