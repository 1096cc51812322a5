"""Shared set-up of the credit gate's tests (orders changed after
confirmation, terms, posting paths).

A refused change is rolled back and its hold is stored in a transaction of
its own (``credit.check._credit_separate_env``), which would not see the
uncommitted data of a test. Here that transaction is the test's own: the
refusal still rolls its savepoint back before the hold is stored, so what
remains is what a user would find. tests/test_gate_rpc.py runs the same
flow on a real server, with real separate transactions.
"""
from contextlib import contextmanager
from unittest.mock import patch

from odoo.exceptions import UserError

from common import CreditCommon


@contextmanager
def _same_transaction(check):
    yield check.env


class GateCase(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's billing role: invoices, no sales or credit team rights
        cls.user_billing = cls._create_user("credit_billing", "Bill Billing", [
            "account.group_account_invoice",
            "credit_management.group_credit_user"])
        cls.small = cls._create_customer("Small Orders Ltd", 1000.0)
        cls.Check = cls.env["credit.check"]

    def setUp(self):
        super().setUp()
        patcher = patch.object(type(self.env["credit.check"]),
                               "_credit_separate_env", _same_transaction)
        patcher.start()
        self.addCleanup(patcher.stop)

    # ------------------------------------------------------------------
    def checks(self, order):
        return self.Check.search([("order_id", "=", order.id)], order="id")

    def confirmed(self, partner, amount, qty=None, user=None):
        """A confirmed order of ``amount`` (lines of 100 each by default)."""
        qty = qty or max(amount / 100.0, 1.0)
        order = self.create_order(partner, amount, qty=qty, user=user)
        order.sudo(user or self.user_sales).action_confirm()
        self.assertEqual(order.state, "sale")
        return order

    def decide(self, check, user, decision="release", reason="Agreed with the customer"):
        wizard = self.env["credit.check.decision"].sudo(user).create({
            "check_id": check.id, "decision": decision, "reason": reason})
        return wizard.action_apply()

    def assert_refused(self, func, *args, expect="Credit hold", **kwargs):
        """Call ``func``; it must raise a UserError saying ``expect``;
        return the message."""
        with self.assertRaises(UserError) as caught:
            func(*args, **kwargs)
        self.assertIn(expect, caught.exception.name)
        return caught.exception.name
