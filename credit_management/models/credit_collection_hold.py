# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""credit.collection.log: the follow-up's credit holds for a batch, in sets.

Putting a customer on hold through the ORM (``_credit_write_profile``) costs
some 50 queries, most of them the chatter message that tracks the change: a
first run that holds thousands of customers would spend its time there. For
customers with no follower to notify, the batch writes in a few
statements what that write leaves behind: the company's property rows of
``credit_hold`` and ``credit_hold_reason`` and, on each customer, the
tracking message with its tracking values, the same as the ORM's (a test
compares both field by field). The message is an internal note: a
customer with followers of internal notes goes through the ORM, so that
they are notified as usual; followers of the default subtypes are not
notified of it by the ORM either.
"""
import logging

from psycopg2.extras import execute_values

from odoo import _, api, fields, models, tools

_logger = logging.getLogger(__name__)

HOLD_FIELDS = ("credit_hold", "credit_hold_reason")


class CreditCollectionLog(models.Model):
    _inherit = "credit.collection.log"

    @api.model
    def _hold_in_bulk(self, company, done, failed, raise_errors=False):
        """The holds of ``done`` planned in bulk, in a few statements; if
        that fails, one by one through the ORM (a failing customer is left
        out). Returns the entries still done."""
        bulk = [entry for entry in done if entry.get("bulk_hold")]
        if not bulk:
            return done
        dropped = set()
        try:
            with self.env.cr.savepoint():
                self._hold_partners(company, {
                    entry["partner"].id: entry["hold"] for entry in bulk})
        except Exception:  # pylint: disable=broad-except
            if raise_errors:
                raise
            _logger.exception("credit.collection.log: holds one by one")
            for entry in bulk:
                if not self._credit_cron_run_one(
                        lambda p, e=entry: p.with_context(
                            force_company=company.id)._credit_write_profile(
                                e["hold"]), entry["partner"], failed):
                    dropped.add(entry["partner"].id)
        for entry in bulk:
            entry["notes"].append(_("Customer put on credit hold."))
        return [entry for entry in done if entry["partner"].id not in dropped]

    @api.model
    def _hold_followed_ids(self, partner_ids):
        """The partners among ``partner_ids`` whose followers the tracking
        message would notify: followers of its subtype, the internal note
        (one query)."""
        if not partner_ids:
            return set()
        self.env.cr.execute("""
            SELECT DISTINCT f.res_id
              FROM mail_followers f
              JOIN mail_followers_mail_message_subtype_rel r
                ON r.mail_followers_id = f.id
             WHERE f.res_model = 'res.partner' AND f.res_id IN %s
               AND r.mail_message_subtype_id = %s""",
                            (tuple(partner_ids),
                             self.env.ref("mail.mt_note").id))
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _hold_partners(self, company, holds):
        """Put ``holds`` ({partner id: {'credit_hold': True,
        'credit_hold_reason': text}}), customers without followers to notify, on hold in
        ``company`` in a few statements."""
        Partner = self.env["res.partner"].with_context(
            force_company=company.id, prefetch_fields=False)
        partners = Partner.browse(list(holds))
        if not partners:
            return
        before = {p.id: (p.credit_hold, p.credit_hold_reason or False)
                  for p in partners}
        self._hold_write_properties(company, partners, holds)
        self._hold_post_tracking(partners, holds, before)
        self.env.cr.execute("""
            UPDATE res_partner SET write_uid = %s,
                   write_date = now() at time zone 'UTC'
             WHERE id IN %s""", (self.env.uid, tuple(partners.ids)))
        Partner.invalidate_cache(
            list(HOLD_FIELDS) + ["write_date", "write_uid"], partners.ids)

    @api.model
    def _hold_write_properties(self, company, partners, holds):
        """The company's ir.property rows of the hold fields, replaced."""
        IrFields = self.env["ir.model.fields"]
        types = {"credit_hold": ("boolean", "value_integer"),
                 "credit_hold_reason": ("char", "value_text")}
        refs = ["res.partner,%d" % pid for pid in partners.ids]
        for name in HOLD_FIELDS:
            field_id = IrFields._get("res.partner", name).id
            ptype, column = types[name]
            self.env.cr.execute("""
                DELETE FROM ir_property WHERE fields_id = %s
                   AND company_id = %s AND res_id IN %s""",
                                (field_id, company.id, tuple(refs)))
            rows = []
            for partner in partners:
                value = holds[partner.id].get(name)
                if name == "credit_hold":
                    value = 1 if value else False
                if value:
                    rows.append((name, "res.partner,%d" % partner.id,
                                 company.id, field_id, value, ptype))
            self._credit_insert_rows(
                "ir_property", ["name", "res_id", "company_id", "fields_id",
                                column, "type"], rows)

    @api.model
    def _hold_post_tracking(self, partners, holds, before):
        """On each partner, the message Odoo's tracking posts for the hold:
        author, sender, reply-to, internal-note subtype, tracking values."""
        author = self.env.user.partner_id
        email_from = self.env["mail.message"]._get_default_from()
        reply_to = self.env["res.partner"].message_get_reply_to(
            partners.ids, default=email_from)
        subtype = self.env.ref("mail.mt_note")
        now = fields.Datetime.now()
        names = dict(partners.name_get())
        rows = [(now, "", "res.partner", partner.id, names[partner.id],
                 "notification", subtype.id, email_from, author.id, False,
                 tools.generate_tracking_message_id(
                     "%d-res.partner" % partner.id),
                 reply_to.get(partner.id) or email_from)
                for partner in partners]
        query = """
            INSERT INTO mail_message (date, body, model, res_id, record_name,
                                      message_type, subtype_id, email_from,
                                      author_id, no_auto_thread, message_id,
                                      reply_to, create_uid, write_uid,
                                      create_date, write_date)
            VALUES %s RETURNING id, res_id"""
        template = "(%%s, %%s, %%s, %%s, %%s, %%s, %%s, %%s, %%s, %%s, %%s, " \
            "%%s, %d, %d, (now() at time zone 'UTC'), " \
            "(now() at time zone 'UTC'))" % (self.env.uid, self.env.uid)
        messages = dict((res_id, mid) for mid, res_id in execute_values(
            self.env.cr._obj, query, rows, template=template,
            page_size=1000, fetch=True))
        self.env.cr.sql_log_count += 1
        field_info = self.env["res.partner"].fields_get(list(HOLD_FIELDS))
        tracking = []
        for partner in partners:
            old_hold, old_reason = before[partner.id]
            new_reason = holds[partner.id].get("credit_hold_reason") or False
            tracking.append((messages[partner.id], "credit_hold",
                             field_info["credit_hold"]["string"], "boolean",
                             int(bool(old_hold)), 1, None, None))
            if new_reason != old_reason:
                tracking.append((
                    messages[partner.id], "credit_hold_reason",
                    field_info["credit_hold_reason"]["string"], "char",
                    None, None, old_reason or None, new_reason or None))
        self._credit_insert_rows(
            "mail_tracking_value",
            ["mail_message_id", "field", "field_desc", "field_type",
             "old_value_integer", "new_value_integer", "old_value_char",
             "new_value_char"], tracking)
        self.env["mail.message"].invalidate_cache()
