"""One trust mechanism: the addon's own writes are marked in the server thread.

No context key, no superuser id: an RPC caller (even the superuser) cannot
label a history line, rewrite a decided document or a write-off, and code
running inside the addon's order gate is not trusted to change a credit
profile. The demo loader's methods are not reachable over RPC.
"""
import threading

import odoo
from odoo import api, fields
from odoo.exceptions import AccessError, UserError

from common import CreditCommon
from odoo.addons.credit_management.models import credit_demo_loader
from odoo.addons.credit_management.models.trusted import (
    credit_trusted, credit_trusted_write, trusted_write)


class TestTrust(CreditCommon):

    def _history(self):
        dossier = self.env["credit.dossier"].search(
            [("partner_id", "=", self.customer.id),
             ("company_id", "=", self.company.id)])
        return dossier.history_ids

    def _approved_request(self):
        request = self.env["credit.limit.request"].sudo(self.user_sales).create({
            "partner_id": self.customer.id, "requested_limit": 20000.0,
            "reason": "Season"})
        request.action_submit()
        request.sudo(self.user_controller).action_approve()
        self.assertEqual(request.state, "approved")
        return request

    def test_superuser_rpc_cannot_label_the_history(self):
        """The superuser's RPC write with credit_change_* keys is a manual change."""
        api.call_kw(self.env["res.partner"], "write", [
            self.customer.ids, {"credit_limit": 15000.0}], {"context": {
                "credit_change_type": "evaluation",
                "credit_change_reason": "Approved by the board",
                "credit_change_origin": "credit.evaluation,1",
                "credit_change_user": self.user_manager.id}})
        line = self._history()
        self.assertEqual(line.change_type, "manual")
        self.assertFalse(line.reason)
        self.assertFalse(line.origin)
        self.assertEqual(line.user_id, self.env.user)
        self.assertAlmostEqual(line.new_limit, 15000.0)

    def test_approval_labels_the_history_through_the_thread(self):
        """The approval's own write carries type, reason, origin and approver."""
        request = self._approved_request()
        line = self._history()[0]
        self.assertEqual(line.change_type, "limit_request")
        self.assertIn("Season", line.reason)
        self.assertEqual(line.origin, request)
        self.assertEqual(line.user_id, self.user_controller)
        self.assertIsNone(trusted_write(self.customer))  # gone after the block

    def test_superuser_cannot_rewrite_a_decided_request(self):
        """Approved documents stay as decided, whoever writes (sudo included)."""
        request = self._approved_request()
        for vals in ({"requested_limit": 1.0}, {"state": "draft"},
                     {"approved_by": self.user_sales.id}):
            with self.assertRaises(UserError):
                request.sudo().write(vals)
        self.assertAlmostEqual(request.requested_limit, 20000.0)
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.approved_by, self.user_controller)

    def test_superuser_cannot_change_a_write_off(self):
        """A bad-debt record is read-only for the superuser too."""
        record = self.env["credit.bad.debt"].sudo().create({
            "name": "WO/1", "partner_id": self.customer.id,
            "company_id": self.company.id,
            "date": fields.Date.to_string(self.today),
            "user_id": self.user_manager.id, "reason": "Bankrupt",
            "amount": 100.0, "account_id": self.expense_account.id,
            "journal_id": self.misc_journal.id})
        with self.assertRaises(UserError):
            record.sudo().write({"reason": "Nothing happened"})
        with self.assertRaises(UserError):
            api.call_kw(self.env["credit.bad.debt"], "write",
                        [record.ids, {"amount": 0.0}], {})
        self.assertEqual(record.reason, "Bankrupt")

    def test_gate_trust_does_not_cover_the_profile(self):
        """Code running inside the order gate (another module's override of
        action_confirm, say) is not trusted to change a credit profile."""
        with credit_trusted():
            with self.assertRaises(AccessError):
                self.customer.sudo(self.user_sales).write({"credit_limit": 1.0})
        self.assertAlmostEqual(self.customer.credit_limit, 10000.0)

    def test_trusted_write_covers_its_records_only(self):
        """A trusted write of one customer does not cover another."""
        other = self._create_customer("Other Ltd", 500.0)
        with credit_trusted_write(other, change_type="evaluation",
                                  reason="for other"):
            with self.assertRaises(AccessError):
                self.customer.sudo(self.user_sales).write({"credit_limit": 1.0})
            other.sudo(self.user_sales).write({"credit_limit": 700.0})
        self.assertAlmostEqual(self.customer.credit_limit, 10000.0)
        self.assertAlmostEqual(other.credit_limit, 700.0)
        line = self.env["credit.dossier.history"].search(
            [("partner_id", "=", other.id)])
        self.assertEqual((line.change_type, line.reason),
                         ("evaluation", "for other"))

    def test_trust_is_per_thread_and_ends_with_the_block(self):
        """Another thread never sees the mark; an error ends it too."""
        seen = []
        with credit_trusted_write(self.customer):
            self.assertTrue(trusted_write(self.customer))
            thread = threading.Thread(
                target=lambda: seen.append(trusted_write(self.customer)))
            thread.start()
            thread.join()
        self.assertEqual(seen, [None])
        with self.assertRaises(ZeroDivisionError):
            with credit_trusted_write(self.customer):
                1 / 0  # pylint: disable=pointless-statement
        self.assertIsNone(trusted_write(self.customer))


class TestDemoLoaderNotRemote(CreditCommon):

    def test_demo_loader_methods_are_private(self):
        """Every method of the demo loader starts with an underscore."""
        public = [name for name, value in vars(
            credit_demo_loader.CreditDemoLoader).items()
            if callable(value) and not name.startswith("_")]
        self.assertEqual(public, [])
        for name in ("create_invoices", "create_credit_files",
                     "create_limit_requests"):
            self.assertFalse(hasattr(self.env["credit.demo.loader"], name))

    def test_rpc_call_is_refused(self):
        """XML-RPC's execute_kw refuses the loader's methods (as the demo
        manager they would approve requests and evaluations)."""
        for method in ("_demo_create_invoices", "_demo_create_credit_files",
                       "_demo_create_limit_requests"):
            with self.assertRaises(AccessError) as error:
                odoo.service.model.execute_kw(
                    self.env.cr.dbname, self.user_manager.id,
                    "credit.demo.loader", method, [[]])
            self.assertIn("cannot be called remotely", str(error.exception))
