"""The ledger history of the scorecard back-test tests: good payers always
pay on time; late payers paid late once and then let an invoice run 90+
days overdue. Scored at the month-ends 330 to 200 days ago and followed
for 6 months, the good ones get a top grade and stay good, the others get
grade D and go bad."""
from datetime import timedelta

from odoo import fields

from common import CreditCommon


def band(threshold, percent):
    return (0, 0, {"threshold": threshold, "percent": percent})


INDICATORS = {
    "on_time_share": ("On time", True, [band(90, 100), band(50, 50)]),
    "weighted_days_late": ("Days late", False, [band(0, 100), band(15, 50)]),
    "overdue_days": ("Overdue", False, [band(0, 100), band(30, 50)]),
}


class BacktestCommon(CreditCommon):

    @classmethod
    def _create_payment_card(cls, weights, name="Payment card"):
        """A scorecard of payment indicators: ``weights`` {code: weight}."""
        return cls.env["credit.scorecard"].create({
            "name": name,
            "indicator_ids": [
                (0, 0, {"code": code, "name": INDICATORS[code][0],
                        "category": "payment", "weight": weight,
                        "higher_is_better": INDICATORS[code][1],
                        "band_ids": INDICATORS[code][2]})
                for code, weight in weights]})

    @classmethod
    def _create_payers(cls, count, good_invoice_days=(450, 360, 240)):
        """``count`` good payers (one invoice issued at each of
        ``good_invoice_days`` ago, paid 10 days before it was due) and
        ``count`` late payers; returns (good, bad)."""
        good, bad = [], []
        for i in range(count):
            partner = cls._create_customer("Prompt Payer %d" % i)
            for start in good_invoice_days:
                invoice = cls.create_invoice(cls, partner, 1000.0,
                                             days_ago=start, due_days=30)
                cls.pay_invoice(cls, invoice, 1000.0, days_ago=start - 20)
            good.append(partner)
        for i in range(count):
            partner = cls._create_customer("Late Payer %d" % i)
            invoice = cls.create_invoice(cls, partner, 1000.0, days_ago=450,
                                         due_days=30)
            cls.pay_invoice(cls, invoice, 1000.0, days_ago=380)  # 40 days late
            cls.create_invoice(cls, partner, 1000.0, days_ago=300, due_days=30)
            bad.append(partner)
        return good, bad

    def _backtest(self, user=None, card=None, name="Payment card, last year"):
        env = self.env(user=user or self.user_controller)
        return env["credit.scorecard.backtest"].create({
            "name": name,
            "scorecard_id": (card or self.card).id,
            "date_from": fields.Date.to_string(self.today - timedelta(days=330)),
            "date_to": fields.Date.to_string(self.today - timedelta(days=200)),
            "outcome_months": 6, "bad_days": 90})

    def _run(self, test):
        test.action_queue()
        self.assertEqual(test.state, "queued")
        self.env["credit.scorecard.backtest"]._cron_run_queued()
        test.invalidate_cache()
        self.assertEqual(test.state, "done", test.message)
        return test
