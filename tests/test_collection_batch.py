"""The collection follow-up in sets: log lines inserted per batch, statements
queued per customer, one to-do per controller and day, failures isolated."""
from datetime import timedelta

from odoo import fields

from common import CreditCommon


class TestCollectionBatch(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env["credit.collection.log"]
        cls.Digest = cls.env["credit.collection.digest"]
        cls.policy.warning_user_id = cls.user_controller
        cls.customer.email = "ap@acme.example.com"
        cls.levels = cls.policy.followup_level_ids.sorted("days")
        cls.other = cls._create_customer("Bolt Supplies", 5000.0)
        cls.billing = cls.env["res.partner"].create({
            "name": "Bolt Accounts", "parent_id": cls.other.id,
            "type": "invoice", "email": "accounts@bolt.example.com"})
        cls.third = cls._create_customer("Cobalt Works", 5000.0,
                                         email="pay@cobalt.example.com")

    def day(self, days_ago):
        return fields.Date.to_string(self.today - timedelta(days=days_ago))

    def run_cron(self, days_ago=0):
        return self.Log._cron_followup(date=self.day(days_ago),
                                       company_ids=self.company.ids, commit=False)

    def logs(self, partner):
        return self.Log.search([("partner_id", "=", partner.id)], order="date, id")

    def test_bulk_inserted_log_reads_like_an_orm_one(self):
        """A log line inserted with its batch reads exactly like one created
        through the ORM (defaults, promise state, dossier, commercial partner)."""
        dossier = self._create_dossier(registration=False)
        vals = {"partner_id": self.customer.id, "company_id": self.company.id,
                "date": self.day(0), "level_id": self.levels[1].id,
                "channel": "call", "result": "Phone call planned.",
                "automatic": True, "overdue_amount": 1234.5, "overdue_days": 17,
                "user_id": self.env.user.id, "contact_id": self.customer.id}
        by_orm = self.Log.create(dict(vals))
        by_insert = self.Log._credit_insert([dict(vals, dossier_id=dossier.id)])
        skip = {"id", "create_date", "write_date", "display_name", "__last_update"}
        names = [name for name, field in self.Log._fields.items()
                 if field.store and name not in skip]
        self.assertEqual(by_insert.read(names)[0],
                         dict(by_orm.read(names)[0], id=by_insert.id))
        self.assertEqual((by_insert.promise_state, by_insert.dossier_id),
                         ("none", dossier))

    def test_batch_logs_statements_and_one_todo_per_controller(self):
        """Three customers at once: each its log line and its own statement to its
        own address (queued, not sent); the call level's customers on one digest
        per controller with one to-do each, none on the customers."""
        self._create_dossier(self.other, registration=False,
                             user_id=self.user_manager.id)
        inv_acme = self.create_invoice(self.customer, 700.0, days_ago=20)
        inv_bolt = self.create_invoice(self.other, 800.0, days_ago=20)
        self.create_invoice(self.third, 900.0, days_ago=3)
        Mail = self.env["mail.mail"]
        mails = Mail.search([])
        stats = self.run_cron()
        self.assertEqual((stats["actions"], stats["failed"]), (3, []))
        # the reminder: its own statement to its own address, in the mail queue
        log = self.logs(self.third)
        self.assertEqual(log.level_id, self.levels[0])
        self.assertEqual(log.mail_id.recipient_ids, self.third)
        self.assertEqual(log.mail_id.state, "outgoing")
        self.assertEqual(Mail.search([]) - mails, log.mail_id)
        self.assertIn("pay@cobalt.example.com", log.result)
        # the calls: one digest and one to-do per controller, listing them
        acme, bolt = self.logs(self.customer), self.logs(self.other)
        self.assertEqual((acme.level_id, bolt.level_id), (self.levels[1],) * 2)
        self.assertEqual(acme.digest_id.user_id, self.user_controller)
        self.assertEqual(bolt.digest_id.user_id, self.user_manager)
        self.assertEqual(self.Digest.search([]), acme.digest_id | bolt.digest_id)
        self.assertEqual(acme.digest_id.log_ids, acme)
        self.assertEqual(acme.digest_id.customer_count, 1)
        for digest in acme.digest_id | bolt.digest_id:
            self.assertEqual(len(digest.activity_ids), 1)
            self.assertEqual(digest.activity_ids.user_id, digest.user_id)
            self.assertIn("Phone call: 1 customers", digest.activity_ids.note)
        self.assertFalse((self.customer | self.other | self.third).mapped("activity_ids"))
        self.assertIn(self.user_controller.name, acme.result)
        self.assertEqual(bolt.contact_id, self.billing)
        self.assertEqual((acme.overdue_days, bolt.overdue_amount), (20, 800.0))
        self.assertTrue(inv_acme and inv_bolt)

    def test_statement_lists_own_invoices_to_invoicing_contact(self):
        """Statements rendered together each list their own customer's invoices
        and go to its invoicing contact."""
        inv_acme = self.create_invoice(self.customer, 700.0, days_ago=35)
        inv_bolt = self.create_invoice(self.other, 800.0, days_ago=35)
        self.run_cron()
        acme, bolt = self.logs(self.customer).mail_id, self.logs(self.other).mail_id
        self.assertIn("Final notice", acme.subject)
        self.assertIn(inv_acme.number, acme.body_html)
        self.assertNotIn(inv_bolt.number, acme.body_html)
        self.assertIn(inv_bolt.number, bolt.body_html)
        self.assertEqual((acme.recipient_ids, bolt.recipient_ids),
                         (self.customer, self.billing))

    def test_failing_write_skips_only_that_customer(self):
        """A customer whose hold fails leaves nothing behind (no log, no mail);
        the others of the batch are followed up."""
        self.create_invoice(self.customer, 500.0, days_ago=95)
        self.create_invoice(self.third, 500.0, days_ago=95)
        # followed for internal notes: held through the ORM (followers notified)
        self.third.message_subscribe(partner_ids=self.user_manager.partner_id.ids,
                                     subtype_ids=self.env.ref("mail.mt_note").ids)
        self.create_invoice(self.other, 500.0, days_ago=31)
        Partner = type(self.env["res.partner"])
        original = Partner._credit_write_profile
        third = self.third

        def write_profile(partner, vals, *args, **kwargs):
            if partner.commercial_partner_id == third:
                raise ValueError("broken")
            return original(partner, vals, *args, **kwargs)
        Partner._credit_write_profile = write_profile
        mails = self.env["mail.mail"].search_count([])
        try:
            stats = self.run_cron()
        finally:
            Partner._credit_write_profile = original
        self.assertEqual(stats["failed"], [self.third.id])
        self.assertFalse(self.logs(self.third))
        self.assertFalse(self.third.credit_hold)
        self.assertEqual(self.logs(self.customer).channel, "hold")
        self.assertTrue(self.customer.credit_hold)
        self.assertIn("credit hold", self.logs(self.customer).result)
        # the final notice of the other customer is the only new mail
        self.assertEqual(self.logs(self.other).level_id, self.levels[2])
        self.assertEqual(self.env["mail.mail"].search_count([]), mails + 1)

    def test_rerun_same_day_does_nothing_new(self):
        """A second run the same day writes no log, mail, digest or to-do."""
        self.create_invoice(self.customer, 500.0, days_ago=20)
        self.create_invoice(self.third, 500.0, days_ago=3)
        self.run_cron()
        counts = [self.env[model].search_count([]) for model in (
            "credit.collection.log", "mail.mail", "credit.collection.digest",
            "mail.activity")]
        stats = self.run_cron()
        self.assertEqual(stats["actions"], 0)
        self.assertEqual([self.env[model].search_count([]) for model in (
            "credit.collection.log", "mail.mail", "credit.collection.digest",
            "mail.activity")], counts)

    def test_batch_of_a_company_aging_slice(self):
        """The batch works from the rows of its own customers only (a queued
        batch computes its own slice of the aging)."""
        self.create_invoice(self.customer, 500.0, days_ago=3)
        aging = self.env["credit.aging"]._compute_rows(
            self.company, self.day(0), self.customer.ids)
        stats = {"actions": 0, "failed": [], "skipped": 0}
        self.Log.sudo()._followup_batch(self.company, self.policy, self.customer.ids,
                                        aging, {}, self.day(0), stats)
        self.assertEqual(stats["actions"], 1)
        self.assertEqual(self.logs(self.customer).level_id, self.levels[0])

    def test_bulk_hold_reads_like_an_orm_hold(self):
        """A hold written in bulk leaves what the ORM's tracked write leaves: the
        profile values of the company and the same tracking message."""
        reason = {"credit_hold": True,
                  "credit_hold_reason": "Collection level Credit hold: 95 days overdue"}
        self.third.with_context(force_company=self.company.id).credit_hold_reason = "Old"
        by_orm, by_bulk = self.other, self.third
        before = self.env["mail.message"].search([]).ids
        by_orm.with_context(force_company=self.company.id,
                            tracking_disable=False,
                            mail_notrack=False)._credit_write_profile(
            dict(reason))
        self.Log._hold_partners(self.company, {by_bulk.id: dict(reason)})
        self.assertFalse(self.Log._hold_followed_ids(by_bulk.ids))
        # a follower of the default subtypes is not notified of the note
        by_bulk.message_subscribe(partner_ids=self.user_manager.partner_id.ids)
        self.assertFalse(self.Log._hold_followed_ids(by_bulk.ids))
        by_bulk.message_subscribe(partner_ids=self.user_manager.partner_id.ids,
                                  subtype_ids=self.env.ref("mail.mt_note").ids)
        self.assertEqual(self.Log._hold_followed_ids(by_bulk.ids), set(by_bulk.ids))
        for partner in (by_orm, by_bulk):
            partner = partner.with_context(force_company=self.company.id)
            self.assertEqual((partner.credit_hold, partner.credit_hold_reason),
                             (True, reason["credit_hold_reason"]))
        messages = {m.res_id: m for m in self.env["mail.message"].search(
            [("id", "not in", before), ("model", "=", "res.partner")])}
        self.assertEqual(set(messages), {by_orm.id, by_bulk.id})
        skip = {"id", "create_date", "write_date", "date", "message_id", "res_id",
                "record_name", "tracking_value_ids", "display_name", "__last_update"}
        names = [name for name, field in messages[by_orm.id]._fields.items()
                 if field.store and name not in skip]
        self.assertEqual(messages[by_bulk.id].read(names)[0],
                         dict(messages[by_orm.id].read(names)[0],
                              id=messages[by_bulk.id].id))
        self.assertEqual(messages[by_bulk.id].record_name, by_bulk.name)

        def tracked(message):
            return sorted((t.field, t.field_desc, t.field_type, t.old_value_integer,
                           t.new_value_integer, t.old_value_char or False,
                           t.new_value_char) for t in message.tracking_value_ids)
        self.assertEqual(tracked(messages[by_orm.id]), [
            ("credit_hold", "Credit Hold", "boolean", 0, 1, False, False),
            ("credit_hold_reason", "Credit Hold Reason", "char", 0, 0, False,
             reason["credit_hold_reason"])])
        self.assertEqual(tracked(messages[by_bulk.id]), [
            ("credit_hold", "Credit Hold", "boolean", 0, 1, False, False),
            ("credit_hold_reason", "Credit Hold Reason", "char", 0, 0, "Old",
             reason["credit_hold_reason"])])
        # the property rows the credit check reads in SQL
        self.env.cr.execute("SELECT partner_id, credit_hold "
                            "FROM credit_partner_profile(%s) WHERE partner_id IN %s",
                            (self.company.id, (by_orm.id, by_bulk.id)))
        self.assertEqual(sorted(self.env.cr.fetchall()), sorted(
            [(by_orm.id, True), (by_bulk.id, True)]))

    def test_execute_level_alone_acts_at_once(self):
        """Called on its own (an extension, a button), a level acts at once and
        returns its log line: statement queued, to-do on the digest, hold."""
        self.create_invoice(self.third, 400.0, days_ago=20)
        log = self.Log.sudo()._execute_level(self.company, self.policy, self.third,
                                             self.levels[0], 400.0, 20, self.day(0))
        self.assertEqual((log.level_id, log.overdue_days), (self.levels[0], 20))
        self.assertEqual(log.mail_id.recipient_ids, self.third)
        log = self.Log.sudo()._execute_level(self.company, self.policy, self.third,
                                             self.levels[4], 400.0, 95, self.day(0))
        self.assertTrue(self.third.with_context(
            force_company=self.company.id).credit_hold)
        self.assertIn("credit hold", log.result)
        log = self.Log.sudo()._execute_level(self.company, self.policy, self.customer,
                                             self.levels[1], 400.0, 20, self.day(0))
        self.assertEqual(log.digest_id.user_id, self.user_controller)
