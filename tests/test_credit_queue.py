"""credit_management_queue: with OCA queue_job, the credit crons enqueue one
job per company and batch on the channel root.credit; the jobs give what the
inline run gives, run twice change nothing, skip a failing customer, and a
batch held by another worker is retried, never run twice at once."""
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from common import CreditCommon

BATCH = 2
RUN = "_credit_queue_run_batch"


class TestCreditQueue(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Warning = cls.env["credit.warning"]
        cls.Aging = cls.env["credit.aging"]
        cls.Log = cls.env["credit.collection.log"]
        cls.Job = cls.env["queue.job"]
        cls.policy.write({
            "warning_user_id": cls.user_controller.id,
            "warning_usage_percent": 80.0,
            "warning_overdue_amount": 0.0,
            "warning_overdue_days_levels": "30,60,90",
            "penalty_action": "none",
            "reward_months": 0,
        })
        cls.date = fields.Date.to_string(cls.today)
        # five customers: over their limit, overdue at different levels
        cls.customers = cls.customer
        for index in range(4):
            cls.customers |= cls._create_customer(
                "Queue Customer %s" % index, 1000.0 * (index + 1))

    def setUp(self):
        super().setUp()
        mixin = type(self.env["credit.cron.mixin"])
        size = patch.object(mixin, "_credit_cron_batch_size", BATCH)
        size.start()
        self.addCleanup(size.stop)
        for index, customer in enumerate(self.customers):
            self.create_invoice(customer, customer.credit_limit * 0.9,
                                days_ago=10 + 25 * index)

    # helpers -----------------------------------------------------------
    def queued(self, model):
        return self.env[model].with_context(credit_cron_queue=True)

    def jobs(self, model=None, method=RUN):
        domain = [("method_name", "=", method)]
        if model:
            domain.append(("model_name", "=", model))
        return self.Job.search(domain, order="id")

    def perform(self, jobs):
        results = []
        for job in jobs:
            results.append(Job.load(self.env, job.uuid).perform())
        self.env["res.partner"].invalidate_cache()
        return results

    def rolled_back(self, func, state):
        """``state()`` after ``func()``, then everything undone."""
        self.env.cr.execute("SAVEPOINT credit_queue_inline")
        try:
            func()
            self.env["res.partner"].invalidate_cache()
            return state()
        finally:
            self.env.cr.execute("ROLLBACK TO SAVEPOINT credit_queue_inline")
            self.env["res.partner"].invalidate_cache()

    def warning_state(self):
        return sorted(
            (w.partner_id.id, w.company_id.id, w.warning_type, w.severity,
             w.state, round(w.value, 2), w.user_id.id, bool(w.digest_id))
            for w in self.Warning.search([]))

    def aging_state(self):
        return sorted(
            (a.partner_id.id, a.company_id.id, a.date, a.amount_total,
             a.amount_overdue, a.max_days_overdue, a.dso)
            for a in self.Aging.search([("date", "=", self.date)]))

    def log_state(self):
        return sorted(
            (log.partner_id.id, log.level_id.id, log.channel,
             log.overdue_days, round(log.overdue_amount, 2))
            for log in self.Log.search([]))

    def counts(self):
        return (self.Warning.search_count([]),
                self.env["mail.activity"].search_count([]),
                self.env["mail.message"].search_count([]),
                self.env["credit.warning.digest"].search_count([]),
                self.Log.search_count([]), self.Aging.search_count([]),
                self.env["mail.mail"].search_count([]))

    # enqueuing ---------------------------------------------------------
    def test_cron_enqueues_one_job_per_batch_on_the_credit_channel(self):
        """The warnings cron enqueues one job per batch of customers (and a
        last one for groups and escalation), evaluates nobody itself."""
        candidates = self.Warning._get_candidate_partner_ids(self.company,
                                                             self.date)
        self.assertTrue(set(self.customers.ids) <= set(candidates))
        stats = self.queued("credit.warning")._cron_evaluate(
            date=self.date, company_ids=self.company.ids)
        self.assertEqual(stats["processed"], 0)
        self.assertFalse(self.Warning.search_count([]))
        jobs = self.jobs("credit.warning")
        batches = [candidates[i:i + BATCH]
                   for i in range(0, len(candidates), BATCH)]
        self.assertEqual(len(jobs), len(batches))
        self.assertEqual(set(jobs.mapped("channel")), {"root.credit"})
        self.assertEqual(set(jobs.mapped("state")), {"pending"})
        self.assertEqual(jobs.mapped("company_id"), self.company)
        self.assertEqual([job.args for job in jobs], [
            ["credit.warning", self.company.id, self.date, batch]
            for batch in batches])
        for job, batch in zip(jobs, batches):
            self.assertTrue(job.identity_key.startswith(
                "credit.warning:%s:%s:%s-%s:" % (
                    self.company.id, self.date, batch[0], batch[-1])))
        self.assertEqual(len(set(jobs.mapped("identity_key"))), len(jobs))
        portfolio = self.jobs("credit.warning", "_credit_queue_portfolio")
        self.assertEqual(len(portfolio), 1)
        self.assertEqual(portfolio.channel, "root.credit")

    def test_enqueuing_twice_adds_nothing(self):
        for _run in range(2):
            self.queued("credit.warning")._cron_evaluate(
                date=self.date, company_ids=self.company.ids)
            self.queued("credit.aging")._cron_compute(
                date=self.date, company_ids=self.company.ids)
            self.queued("credit.collection.log")._cron_followup(
                date=self.date, company_ids=self.company.ids)
            if not _run:
                first = self.Job.search([]).ids
        self.assertTrue(first)
        self.assertEqual(self.Job.search([]).ids, first)

    def test_without_the_queue_context_a_test_or_button_run_stays_inline(self):
        """A run that does not commit (tests, the 'compute today' button)
        runs inline as before: no job, the warnings are there."""
        self.Warning._cron_evaluate(date=self.date,
                                    company_ids=self.company.ids)
        self.Aging.sudo(self.user_controller).action_compute_today()
        self.assertFalse(self.Job.search([]))
        self.assertTrue(self.Warning.search_count([]))
        self.assertTrue(self.Aging.search_count([("date", "=", self.date)]))

    # the same result as inline -----------------------------------------
    def test_warning_jobs_give_the_inline_warnings_and_twice_nothing_more(self):
        inline = self.rolled_back(
            lambda: self.Warning._cron_evaluate(
                date=self.date, company_ids=self.company.ids),
            self.warning_state)
        self.assertGreaterEqual(len({row[0] for row in inline}), 5)
        self.queued("credit.warning")._cron_evaluate(
            date=self.date, company_ids=self.company.ids)
        jobs = self.jobs("credit.warning")
        results = self.perform(jobs)
        self.assertEqual(sum(r["processed"] for r in results),
                         len(self.Warning._get_candidate_partner_ids(
                             self.company, self.date)))
        self.assertEqual(self.warning_state(), inline)
        before = self.counts()
        self.perform(jobs)
        self.assertEqual(self.counts(), before)
        self.assertEqual(self.warning_state(), inline)

    def test_aging_jobs_split_by_customers_give_the_inline_snapshots(self):
        inline = self.rolled_back(
            lambda: self.Aging._cron_compute(date=self.date,
                                             company_ids=self.company.ids),
            self.aging_state)
        self.assertEqual(len(inline), 5)
        month = (self.today - timedelta(days=800)).replace(day=1)
        old, kept = [self.Aging.create({
            "partner_id": self.customer.id, "company_id": self.company.id,
            "date": fields.Date.to_string(month.replace(day=day))})
            for day in (1, 2)]
        self.policy.aging_thin_snapshots = True
        self.queued("credit.aging")._cron_compute(
            date=self.date, company_ids=self.company.ids)
        # thinned by the cron itself (one a month kept that long ago)
        self.assertEqual((old.exists(), kept.exists()), (self.Aging, kept))
        jobs = self.jobs("credit.aging")
        self.assertGreaterEqual(len(jobs), 3)  # 5 customers, batches of 2
        self.assertFalse(self.aging_state())
        self.perform(jobs)
        self.assertEqual(self.aging_state(), inline)
        self.perform(jobs)
        self.assertEqual(self.aging_state(), inline)

    def test_followup_jobs_give_the_inline_logs_and_never_repeat_a_level(self):
        inline = self.rolled_back(
            lambda: self.Log._cron_followup(date=self.date,
                                            company_ids=self.company.ids),
            self.log_state)
        self.assertEqual(len(inline), 5)
        self.queued("credit.collection.log")._cron_followup(
            date=self.date, company_ids=self.company.ids)
        jobs = self.jobs("credit.collection.log")
        self.assertEqual(len(jobs), 3)
        self.assertFalse(self.Log.search_count([]))
        self.perform(jobs)
        self.assertEqual(self.log_state(), inline)
        before = self.counts()
        results = self.perform(jobs)
        self.assertEqual(sum(r["actions"] for r in results), 0)
        self.assertEqual(self.counts(), before)

    # failures, locks, companies ----------------------------------------
    def test_a_failing_customer_is_skipped_and_reported_the_rest_done(self):
        self.queued("credit.warning")._cron_evaluate(
            date=self.date, company_ids=self.company.ids)
        bad = self.customers[1]
        job = self.jobs("credit.warning").filtered(
            lambda j: bad.id in j.args[3])
        self.assertEqual(len(job), 1)
        Warning = type(self.Warning)
        sync = Warning._sync_partner

        def failing(model, company, policy, partner, *args):
            if partner == bad:
                raise ValueError("bad customer data")
            return sync(model, company, policy, partner, *args)

        with patch.object(Warning, "_sync_partner", failing), \
                patch("odoo.addons.credit_management.models."
                      "credit_cron_mixin._logger"):
            result = self.perform(job)[0]
        self.assertEqual(result["failed"], [bad.id])
        others = [pid for pid in job.args[3] if pid != bad.id]
        self.assertEqual(result["processed"], len(others))
        self.assertFalse(self.Warning.search([("partner_id", "=", bad.id)]))
        self.assertEqual(
            set(self.Warning.search([("partner_id", "in", others)])
                .mapped("partner_id").ids), set(others))

    def test_a_batch_held_by_another_worker_is_retried_not_run(self):
        self.queued("credit.warning")._cron_evaluate(
            date=self.date, company_ids=self.company.ids)
        job = self.jobs("credit.warning")[:1]
        batch = job.args[3]
        with self.registry.cursor() as other:
            env = self.env(cr=other)
            self.assertTrue(env["credit.warning"]._credit_cron_lock(
                "credit.warning", self.company.id, self.date, batch[0]))
            with self.assertRaises(RetryableJobError) as caught:
                Job.load(self.env, job.uuid).perform()
            other.rollback()
        self.assertTrue(caught.exception.ignore_retry)
        self.assertFalse(self.Warning.search([("partner_id", "in", batch)]))
        self.perform(job)  # lock released: now it runs
        self.assertTrue(self.Warning.search([("partner_id", "in", batch)]))

    def test_portfolio_job_waits_for_the_batches(self):
        self.queued("credit.warning")._cron_evaluate(
            date=self.date, company_ids=self.company.ids)
        portfolio = self.jobs("credit.warning", "_credit_queue_portfolio")
        with patch.object(type(self.Warning), "_cron_evaluate_portfolio",
                          autospec=True) as run:
            with self.assertRaises(RetryableJobError):
                Job.load(self.env, portfolio.uuid).perform()
            run.assert_not_called()
            self.jobs("credit.warning").write({"state": "done"})
            Job.load(self.env, portfolio.uuid).perform()
            run.assert_called_once()

    def test_jobs_run_with_their_company(self):
        books = self._create_company_books("Queue Second Co", "QJ2",
                                           customers=self.customer)
        company2 = books.company
        self.env.user.company_ids |= company2
        self.assertTrue(company2.credit_policy_id)
        company2.credit_policy_id.write({
            "warning_user_id": self.user_controller.id,
            "warning_overdue_amount": 0.0,
            "warning_overdue_days_levels": "30,60,90"})
        invoice = self.env["account.invoice"].with_context(
            force_company=company2.id).create({
                "partner_id": self.customer.id, "type": "out_invoice",
                "company_id": company2.id,
                "account_id": books.receivable_account.id,
                "journal_id": books.sale_journal.id,
                "date_invoice": fields.Date.to_string(
                    self.today - timedelta(days=70)),
                "date_due": fields.Date.to_string(
                    self.today - timedelta(days=70)),
                "invoice_line_ids": [(0, 0, {
                    "name": "Goods", "quantity": 1, "price_unit": 250.0,
                    "account_id": books.income_account.id})]})
        invoice.with_context(force_company=company2.id).action_invoice_open()
        self.queued("credit.warning")._cron_evaluate(
            date=self.date, company_ids=company2.ids)
        job = self.jobs("credit.warning")
        self.assertEqual(len(job), 1)
        self.assertEqual(job.company_id, company2)
        self.assertEqual(job.args[1], company2.id)
        self.assertIn(self.customer.id, job.args[3])
        self.perform(job)
        warnings = self.Warning.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(warnings.mapped("company_id"), company2)
        overdue = warnings.filtered(lambda w: w.warning_type == "overdue_days")
        self.assertAlmostEqual(overdue.value, 70.0)

    def test_warning_batches_wait_for_the_days_aging(self):
        """A warning batch reads the day's aging snapshots: while an aging
        batch of the company and day is unfinished it is postponed."""
        self.queued("credit.aging")._cron_compute(
            date=self.date, company_ids=self.company.ids)
        self.queued("credit.warning")._cron_evaluate(
            date=self.date, company_ids=self.company.ids)
        warning_job = self.jobs("credit.warning")[:1]
        with self.assertRaises(RetryableJobError) as caught:
            Job.load(self.env, warning_job.uuid).perform()
        self.assertTrue(caught.exception.ignore_retry)
        self.assertFalse(self.Warning.search_count([]))
        self.jobs("credit.aging")[:-1].write({"state": "done"})
        self.jobs("credit.aging")[-1:].write({"state": "failed"})
        self.perform(warning_job)
        self.assertTrue(self.Warning.search_count([]))
