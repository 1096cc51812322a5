"""Credit warnings: each type fires once and clears, trends, penalties, rewards, robust cron."""
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError

from common import CreditCommon


class WarningCommon(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Warning = cls.env["credit.warning"]
        cls.policy.write({
            "warning_user_id": cls.user_controller.id,
            "warning_usage_percent": 80.0,
            "warning_overdue_amount": 0.0,
            "warning_overdue_days_levels": "30,60,90",
            "warning_trend_window_days": 30,
            "warning_dso_worsening_days": 15.0,
            "warning_late_rising_days": 5.0,
            "warning_overdue_growth_count": 3,
            "penalty_action": "none",
            "reward_months": 0,
        })

    def day(self, days_ago):
        return fields.Date.to_string(self.today - timedelta(days=days_ago))

    def run_cron(self, days_ago=0):
        return self.Warning._cron_evaluate(date=self.day(days_ago),
                                           company_ids=self.company.ids, commit=False)

    def warnings(self, partner=None, state=None, wtype=None):
        domain = [("partner_id", "=", (partner or self.customer).id)]
        if state:
            domain.append(("state", "=", state))
        if wtype:
            domain.append(("warning_type", "=", wtype))
        return self.Warning.search(domain)

    def snapshot(self, days_ago, partner=None, **vals):
        values = {"partner_id": (partner or self.customer).id,
                  "company_id": self.company.id, "date": self.day(days_ago)}
        values.update(vals)
        return self.env["credit.aging"].create(values)


class TestWarningTypes(WarningCommon):

    def test_limit_usage_fires_once_on_the_digest_and_clears(self):
        """Usage above 80 % raises one warning, listed on the controller's digest
        of the day with its to-do; paying closes it."""
        inv = self.create_invoice(self.customer, 8500.0, due_days=30)
        self.run_cron()
        self.run_cron()
        warning = self.warnings(state="open")
        self.assertEqual(warning.warning_type, "limit_usage")
        self.assertEqual(warning.severity, "medium")
        self.assertAlmostEqual(warning.value, 85.0)
        self.assertIn("85.0 %", warning.message)
        self.assertEqual(warning.user_id, self.user_controller)
        digest = warning.digest_id
        self.assertEqual(digest.user_id, self.user_controller)
        self.assertEqual(digest.date, fields.Date.to_string(self.today))
        self.assertEqual(digest.warning_ids, warning)
        self.assertEqual(digest.activity_ids.user_id, self.user_controller)
        self.assertEqual(digest.activity_ids.date_deadline, digest.date)
        self.assertFalse(warning.activity_ids)  # one to-do for the list, not one each
        self.assertEqual(digest.open_count, 1)
        self.pay_invoice(inv, 2000.0)
        self.run_cron()
        self.assertEqual(warning.state, "done")
        self.assertEqual(warning.resolution, "Condition cleared")
        self.assertFalse(self.warnings(state="open"))
        digest.invalidate_cache()
        self.assertEqual((digest.warning_count, digest.open_count), (1, 0))

    def test_limit_exceeded(self):
        """Exposure beyond the limit raises 'limit exceeded' (high), not 'limit usage'."""
        self.create_invoice(self.customer, 10500.0, due_days=30)
        self.run_cron()
        warning = self.warnings(state="open")
        self.assertEqual(warning.warning_type, "limit_exceeded")
        self.assertEqual(warning.severity, "high")
        self.assertEqual(self.customer.credit_limit, 10000.0)

    def test_overdue_amount_and_days_levels_escalate_then_clear(self):
        """Overdue amount and day levels: one warning per type, severity follows the level."""
        self.policy.warning_overdue_amount = 500.0
        inv = self.create_invoice(self.customer, 1000.0, days_ago=70)
        self.run_cron(days_ago=35)
        days = self.warnings(state="open", wtype="overdue_days")
        self.assertEqual((days.severity, days.value, days.threshold), ("low", 35.0, 30.0))
        amount = self.warnings(state="open", wtype="overdue_amount")
        self.assertAlmostEqual(amount.value, 1000.0)
        self.run_cron(days_ago=5)
        self.assertEqual(self.warnings(state="open", wtype="overdue_days"), days)
        self.assertEqual((days.severity, days.value), ("medium", 65.0))
        self.assertIn("65 days", days.message)
        self.pay_invoice(inv, 1000.0)
        self.run_cron()
        self.assertEqual((days.state, amount.state), ("done", "done"))

    def test_review_overdue(self):
        """A credit review date in the past raises a warning until the date moves."""
        self.customer.credit_review_date = self.day(5)
        self.run_cron()
        warning = self.warnings(state="open", wtype="review_overdue")
        self.assertEqual(warning.value, 5.0)
        self.customer.credit_review_date = self.day(-300)
        self.run_cron()
        self.assertEqual(warning.state, "done")

    def test_grade_downgraded(self):
        """A grade below the one held in the trend window warns; restoring it clears."""
        grade_b = self.env["credit.grade"].search([("code", "=", "B")], limit=1)
        self.customer.credit_grade_id = self.grade_a
        self.snapshot(10, credit_grade_id=self.grade_a.id)
        self.customer.credit_grade_id = grade_b
        self.run_cron()
        warning = self.warnings(state="open", wtype="grade_downgraded")
        self.assertIn("B", warning.message)
        self.customer.credit_grade_id = self.grade_a
        self.run_cron()
        self.assertEqual(warning.state, "done")

    def test_broken_promise(self):
        """A promise to pay not kept by its date warns; paying the promised amount clears."""
        inv = self.create_invoice(self.customer, 900.0, days_ago=40)
        self.env["credit.collection.log"].create({
            "partner_id": self.customer.id, "date": self.day(10), "channel": "call",
            "contact_id": self.customer_contact.id, "result": "Will pay next week",
            "promise_date": self.day(3), "promise_amount": 500.0})
        self.run_cron(days_ago=5)
        self.assertFalse(self.warnings(state="open", wtype="broken_promise"))
        self.run_cron()
        warning = self.warnings(state="open", wtype="broken_promise")
        self.assertAlmostEqual(warning.value, 500.0)
        self.assertEqual(warning.severity, "high")
        self.pay_invoice(inv, 500.0)
        self.run_cron()
        self.assertEqual(warning.state, "done")


class TestTrendWarnings(WarningCommon):

    def test_trends_on_a_built_history(self):
        """DSO worsening, days late rising and overdue growing come from the snapshots."""
        history = [(40, 50.0, 20.0, 1.0), (30, 100.0, 30.0, 5.0), (20, 200.0, 35.0, 6.0),
                   (10, 300.0, 40.0, 8.0), (0, 400.0, 50.0, 12.0)]
        snaps = {}
        for days_ago, overdue, dso, late in history:
            snaps[days_ago] = self.snapshot(days_ago, amount_overdue=overdue, dso=dso,
                                            avg_days_late=late)
        self.run_cron()
        open_types = set(self.warnings(state="open").mapped("warning_type"))
        self.assertEqual(open_types, {"dso_worsening", "days_late_rising", "overdue_growing"})
        dso = self.warnings(wtype="dso_worsening")
        self.assertAlmostEqual(dso.value, 20.0)
        self.assertAlmostEqual(self.warnings(wtype="days_late_rising").value, 7.0)
        # the latest snapshot improves: every trend clears
        snaps[0].sudo().write({"amount_overdue": 250.0, "dso": 33.0, "avg_days_late": 6.0})
        self.run_cron()
        self.assertFalse(self.warnings(state="open"))
        self.assertEqual(len(self.warnings()), 3)

    def test_two_increases_are_not_a_trend(self):
        """Overdue growing needs three increases in a row."""
        for days_ago, overdue in ((20, 100.0), (10, 200.0), (0, 300.0)):
            self.snapshot(days_ago, amount_overdue=overdue)
        self.run_cron()
        self.assertFalse(self.warnings(wtype="overdue_growing"))


class TestControls(WarningCommon):

    def test_penalty_hold_beyond_severity_never_changes_limit(self):
        """A high warning puts the customer on hold; the limit stays as approved."""
        self.policy.write({"penalty_action": "hold", "penalty_severity": "high"})
        self.create_invoice(self.customer, 10500.0, due_days=30)
        self.run_cron()
        warning = self.warnings(state="open")
        self.assertTrue(self.customer.credit_hold)
        self.assertIn("exceeds", self.customer.credit_hold_reason)
        self.assertEqual(warning.action_taken, "hold")
        self.assertEqual(self.customer.credit_limit, 10000.0)

    def test_penalty_not_below_severity(self):
        """A medium warning does not trigger a high-severity penalty."""
        self.policy.write({"penalty_action": "hold", "penalty_severity": "high"})
        self.create_invoice(self.customer, 8500.0, due_days=30)
        self.run_cron()
        self.assertTrue(self.warnings(state="open"))
        self.assertFalse(self.customer.credit_hold)

    def test_reward_proposal_for_on_time_payer(self):
        """Paying every invoice on time for the period gives one reward proposal."""
        self.policy.write({"reward_months": 6, "reward_increase_percent": 20.0})
        late_payer = self._create_customer("Late Payer", 10000.0)
        for partner, pay_after in ((self.customer, 20), (late_payer, 45)):
            for days_ago in (240, 150, 90, 40):
                inv = self.create_invoice(partner, 1000.0, days_ago=days_ago, due_days=30)
                self.pay_invoice(inv, 1000.0, days_ago=days_ago - pay_after)
        self.run_cron()
        self.run_cron()
        reward = self.warnings(state="open", wtype="good_payer")
        self.assertEqual(len(reward), 1)
        self.assertEqual(reward.severity, "info")
        self.assertIn("on time", reward.message)
        self.assertFalse(self.warnings(late_payer, wtype="good_payer"))
        self.assertEqual(self.customer.credit_limit, 10000.0)


class TestWarningDigest(WarningCommon):

    def test_one_digest_and_one_todo_per_controller_and_day(self):
        """Many warnings raised for one controller in one run: one digest, one to-do,
        every warning listed; a customer followed by another controller (their
        dossier's) goes to that controller's digest; the next day gets a new one."""
        others = [self._create_customer("Digest Customer %d" % i, 1000.0) for i in range(3)]
        for partner in others:
            self.create_invoice(partner, 1500.0, due_days=30)  # limit exceeded
        self.create_invoice(self.customer, 12000.0, due_days=30)
        self.env["credit.dossier"].create({
            "partner_id": others[0].id, "company_id": self.company.id,
            "user_id": self.user_controller2.id})
        self.run_cron()
        Digest = self.env["credit.warning.digest"]
        mine = Digest.search([("user_id", "=", self.user_controller.id)])
        theirs = Digest.search([("user_id", "=", self.user_controller2.id)])
        self.assertEqual(len(mine), 1)
        self.assertEqual(len(theirs), 1)
        self.assertEqual(mine.warning_ids.mapped("partner_id"),
                         self.customer | others[1] | others[2])
        self.assertEqual(theirs.warning_ids.mapped("partner_id"), others[0])
        self.assertEqual(len(mine.activity_ids), 1)
        self.assertEqual(mine.serious_count, 3)  # limit exceeded is high
        # rerun the same day: nothing new, no second digest or to-do
        self.run_cron()
        self.assertEqual(Digest.search_count([("user_id", "=", self.user_controller.id)]), 1)
        self.assertEqual(len(mine.activity_ids), 1)
        # a new cause the next day is listed on that day's digest
        self.create_invoice(others[1], 100.0, days_ago=50, due_days=5)  # 46 days overdue
        self.run_cron(days_ago=-1)
        newer = Digest.search([("user_id", "=", self.user_controller.id),
                               ("id", "!=", mine.id)])
        self.assertEqual(len(newer), 1)
        self.assertEqual(newer.warning_ids.mapped("warning_type"), ["overdue_days"])

    def test_next_day_numbers_refreshed_severity_changes_tracked(self):
        """The next day's run refreshes a warning's numbers in place (no new
        warning); a severity change is written through the ORM and tracked."""
        self.create_invoice(self.customer, 500.0, days_ago=45, due_days=5)  # 40 days
        tracked_run = self.Warning.with_context(tracking_disable=False, mail_notrack=False)
        tracked_run._cron_evaluate(date=self.day(0), company_ids=self.company.ids,
                                   commit=False)
        warning = self.warnings(state="open", wtype="overdue_days")
        self.assertEqual((warning.value, warning.severity), (40.0, "low"))
        tracked_run._cron_evaluate(date=self.day(-1), company_ids=self.company.ids,
                                   commit=False)
        warning.invalidate_cache()
        self.assertEqual(self.warnings(state="open", wtype="overdue_days"), warning)
        self.assertEqual(warning.value, 41.0)
        self.assertIn("41 days", warning.message)
        self.assertEqual(warning.severity, "low")
        tracked_run._cron_evaluate(date=self.day(-21), company_ids=self.company.ids,
                                   commit=False)  # 61 days: the next level
        warning.invalidate_cache()
        self.assertEqual(warning.severity, "medium")
        self.assertIn("61 days", warning.message)
        tracked = warning.with_context(lang="en_US").message_ids.mapped(
            "tracking_value_ids").filtered(lambda t: t.field == "severity")
        self.assertEqual(len(tracked), 1)

    def test_bulk_insert_writes_what_the_orm_writes(self):
        """A warning inserted with its batch reads exactly like one created
        through the ORM from the same values (defaults, computed rank, audit)."""
        vals = {"partner_id": self.customer.id, "company_id": self.company.id,
                "warning_type": "overdue_days", "severity": "critical",
                "message": "The oldest unpaid invoice is 95 days past due.",
                "value": 95.0, "threshold": 90.0, "date": self.day(0),
                "user_id": self.user_controller.id, "policy_id": self.policy.id,
                "policy_version": self.policy.version}
        by_orm = self.Warning.with_context(tracking_disable=True).create(dict(vals))
        by_insert = self.Warning._credit_insert([dict(vals)])
        self.assertEqual(len(by_insert), 1)
        skip = {"id", "create_date", "write_date", "display_name", "__last_update"}
        names = [name for name, field in self.Warning._fields.items()
                 if field.store and name not in skip]
        self.assertEqual(by_insert.read(names)[0], dict(by_orm.read(names)[0], id=by_insert.id))
        self.assertEqual(by_insert.severity_rank, 4)
        self.assertEqual((by_insert.state, by_insert.action_taken), ("open", "none"))

    def test_digest_is_read_only_for_the_team(self):
        """Controllers read their digest but cannot change or delete it."""
        self.create_invoice(self.customer, 12000.0, due_days=30)
        self.run_cron()
        digest = self.env["credit.warning.digest"].search([])
        self.assertTrue(digest.sudo(self.user_controller).read(["warning_count"]))
        with self.assertRaises(AccessError):
            digest.sudo(self.user_controller).write({"date": self.day(3)})
        with self.assertRaises(AccessError):
            digest.sudo(self.user_controller).unlink()
        with self.assertRaises(AccessError):
            digest.sudo(self.user_sales).read(["warning_count"])


class TestWarningCron(WarningCommon):

    def test_many_batches_read_one_company_aging(self):
        """More customers than a batch: the company's aging is computed once
        and each batch reads its customers' rows; warnings are the same as
        when each batch computes its own."""
        late = self._create_customer("Late Batch Customer", 100000.0)
        over = self._create_customer("Over Batch Customer", 1000.0)
        self.create_invoice(late, 500.0, days_ago=70, due_days=5)  # 65 days overdue
        self.create_invoice(over, 1500.0, due_days=30)             # over the limit
        # patched, not assigned: an assignment would leave the warning model
        # its own batch size, hiding the mixin's from later tests
        with patch.object(type(self.Warning), "_credit_cron_batch_size", 1):
            stats = self.run_cron()
        self.assertFalse(stats["failed"])
        self.assertEqual(self.warnings(late, state="open").mapped("warning_type"),
                         ["overdue_days"])
        self.assertEqual(self.warnings(late, state="open").value, 65.0)
        self.assertEqual(self.warnings(over, state="open").mapped("warning_type"),
                         ["limit_exceeded"])

    def test_failing_partner_is_logged_and_skipped(self):
        """One partner failing does not stop the run; the others get their warnings."""
        broken = self._create_customer("Broken Customer", 1000.0)
        self.create_invoice(broken, 5000.0, due_days=30)
        self.create_invoice(self.customer, 9000.0, due_days=30)
        original = type(self.Warning)._sync_partner

        def sync(model, company, policy, partner, *args):
            if partner == broken:
                raise ValueError("broken record")
            return original(model, company, policy, partner, *args)
        type(self.Warning)._sync_partner = sync
        try:
            stats = self.run_cron()
        finally:
            type(self.Warning)._sync_partner = original
        self.assertEqual(stats["failed"], [broken.id])
        self.assertTrue(self.warnings(state="open", wtype="limit_usage"))
        self.assertFalse(self.warnings(broken))
        stats = self.run_cron()
        self.assertEqual(stats["failed"], [])
        self.assertEqual(self.warnings(broken).warning_type, "limit_exceeded")

    def test_controller_closes_sales_cannot(self):
        """Controllers close a warning by hand; salespeople only read them."""
        self.create_invoice(self.customer, 8500.0, due_days=30)
        self.run_cron()
        warning = self.warnings(state="open")
        self.assertTrue(warning.sudo(self.user_sales).read(["message"]))
        from odoo.exceptions import UserError
        with self.assertRaises(UserError):
            warning.sudo(self.user_sales).action_done()
        warning.sudo(self.user_controller).action_done()
        self.assertEqual(warning.state, "done")
        self.assertEqual(self.customer.credit_open_warning_count, 0)

    def test_cron_records_exist(self):
        """Warning and collection crons are scheduled daily."""
        for xml_id in ("credit_management.ir_cron_credit_warning",
                       "credit_management.ir_cron_credit_collection"):
            self.assertEqual(self.env.ref(xml_id).interval_type, "days")


class TestWarningCronLocks(WarningCommon):

    def test_batch_locked_by_another_worker_is_skipped(self):
        """A batch another worker holds is skipped, then processed once released."""
        self.create_invoice(self.customer, 9000.0, due_days=30)
        date = self.day(0)
        candidates = self.Warning._get_candidate_partner_ids(self.company, date)
        with self.registry.cursor() as other_cr:
            other = self.env(cr=other_cr)
            self.assertTrue(other["credit.warning"]._credit_cron_lock(
                "credit.warning", self.company.id, date, candidates[0]))
            stats = self.run_cron()
            self.assertEqual(stats["skipped"], len(candidates))
            self.assertEqual(stats["processed"], 0)
            self.assertFalse(self.warnings())
            other_cr.rollback()
        stats = self.run_cron()
        self.assertEqual(stats["skipped"], 0)
        self.assertTrue(self.warnings(state="open"))
