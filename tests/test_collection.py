"""Collections (催收): follow-up levels, statements by e-mail, call activities, log, hold."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError

from common import CreditCommon


class TestCollection(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env["credit.collection.log"]
        cls.policy.warning_user_id = cls.user_controller
        cls.customer.email = "ap@acme.example.com"
        cls.levels = cls.policy.followup_level_ids.sorted("days")

    def day(self, days_ago):
        return fields.Date.to_string(self.today - timedelta(days=days_ago))

    def run_cron(self, days_ago=0):
        return self.Log._cron_followup(date=self.day(days_ago), company_ids=self.company.ids,
                                       commit=False)

    def logs(self, partner=None):
        return self.Log.search([("partner_id", "=", (partner or self.customer).id)],
                               order="date, id")

    def test_default_levels(self):
        """The policy comes with reminder, call, final notice, legal and hold levels."""
        self.assertEqual(self.levels.mapped("days"), [1, 15, 30, 60, 90])
        self.assertEqual(self.levels.mapped("channel"),
                         ["email", "call", "letter", "legal", "hold"])
        self.assertTrue(self.levels[0].mail_template_id)
        self.assertTrue(self.levels[2].mail_template_id)
        self.assertEqual(self.levels[1].activity_type_id,
                         self.env.ref("mail.mail_activity_data_call"))

    def test_each_level_in_turn(self):
        """As an invoice ages, each level acts once: mail, call, final notice, legal, hold."""
        inv = self.create_invoice(self.customer, 1200.0, days_ago=100)
        Mail = self.env["mail.mail"]
        # 1 day overdue: reminder e-mail with the statement of overdue invoices
        self.run_cron(days_ago=99)
        self.run_cron(days_ago=99)
        log = self.logs()
        self.assertEqual(len(log), 1)
        self.assertEqual((log.level_id, log.channel, log.overdue_days),
                         (self.levels[0], "email", 1))
        self.assertAlmostEqual(log.overdue_amount, 1200.0)
        self.assertTrue(log.mail_id)
        self.assertIn("Payment reminder", log.mail_id.subject)
        self.assertIn(inv.number, log.mail_id.body_html)
        self.assertEqual(log.mail_id.recipient_ids, self.customer)
        # 15 days: a phone call, on the responsible controller's to-do list
        self.run_cron(days_ago=85)
        log = self.logs()[-1]
        self.assertEqual((log.level_id, log.channel), (self.levels[1], "call"))
        self.assertEqual(log.digest_id.user_id, self.user_controller)
        self.assertEqual(log.digest_id.activity_ids.user_id, self.user_controller)
        # 30 days: final notice
        mails = Mail.search_count([])
        self.run_cron(days_ago=70)
        log = self.logs()[-1]
        self.assertEqual(log.level_id, self.levels[2])
        self.assertIn("Final notice", log.mail_id.subject)
        self.assertEqual(Mail.search_count([]), mails + 1)
        # 60 days: legal hand-over
        self.run_cron(days_ago=40)
        self.assertEqual(self.logs()[-1].channel, "legal")
        self.assertFalse(self.customer.credit_hold)
        # 90 days: credit hold
        self.run_cron(days_ago=10)
        self.assertEqual(self.logs()[-1].channel, "hold")
        self.assertTrue(self.customer.credit_hold)
        self.assertEqual(len(self.logs()), 5)
        self.assertEqual(self.customer.credit_limit, 10000.0)

    def test_jump_to_highest_level_and_resolution(self):
        """A customer found 40 days overdue gets the final notice only; paying resets."""
        inv = self.create_invoice(self.customer, 500.0, days_ago=40)
        self.run_cron()
        self.assertEqual(self.logs().mapped("level_id"), self.levels[2])
        self.pay_invoice(inv, 500.0)
        self.run_cron()
        resolved = self.logs()[-1]
        self.assertEqual((resolved.channel, resolved.level_id.id), ("system", False))
        self.run_cron()
        self.assertEqual(len(self.logs()), 2)
        # overdue again later: starts over at the first level reached
        self.create_invoice(self.customer, 300.0, days_ago=3)
        self.run_cron()
        self.assertEqual(self.logs()[-1].level_id, self.levels[0])

    def test_no_email_address_is_logged(self):
        """Without an e-mail address the statement is not sent and the log says so."""
        other = self._create_customer("No Mail Ltd", 1000.0)
        self.create_invoice(other, 100.0, days_ago=2)
        self.run_cron()
        log = self.logs(other)
        self.assertFalse(log.mail_id)
        self.assertIn("No e-mail address", log.result)

    def test_manual_log_with_promise(self):
        """A controller logs a call with a promise; a promise needs an amount; logs stay."""
        log = self.Log.sudo(self.user_controller).create({
            "partner_id": self.customer_contact.id, "channel": "call",
            "contact_id": self.customer_contact.id, "result": "Pays on Friday",
            "promise_date": self.day(-3), "promise_amount": 400.0})
        self.assertEqual(log.partner_id, self.customer)
        self.assertEqual(log.promise_state, "open")
        with self.assertRaises(ValidationError):
            self.Log.create({"partner_id": self.customer.id, "channel": "call",
                             "promise_date": self.day(-3), "promise_amount": 0.0})
        with self.assertRaises(UserError):
            log.sudo(self.user_controller).unlink()

    def test_promise_states_follow_payments(self):
        """The cron marks a promise kept when paid, broken when its date passed unpaid."""
        inv = self.create_invoice(self.customer, 900.0, days_ago=20)
        kept = self.Log.create({"partner_id": self.customer.id, "channel": "call",
                                "date": self.day(10), "promise_date": self.day(5),
                                "promise_amount": 300.0})
        self.run_cron()
        self.assertEqual(kept.promise_state, "broken")
        self.pay_invoice(inv, 300.0, days_ago=1)
        self.run_cron()
        self.assertEqual(kept.promise_state, "kept")

    def test_failing_partner_does_not_stop_followup(self):
        """A partner whose follow-up fails is skipped; the others are followed up."""
        broken = self._create_customer("Broken Follow-up", 1000.0)
        self.create_invoice(broken, 100.0, days_ago=5)
        self.create_invoice(self.customer, 100.0, days_ago=5)
        original = type(self.Log)._execute_level

        def execute(model, company, policy, partner, *args):
            if partner == broken:
                raise ValueError("broken")
            return original(model, company, policy, partner, *args)
        type(self.Log)._execute_level = execute
        try:
            stats = self.run_cron()
        finally:
            type(self.Log)._execute_level = original
        self.assertEqual(stats["failed"], [broken.id])
        self.assertEqual(len(self.logs()), 1)
        self.assertFalse(self.logs(broken))
