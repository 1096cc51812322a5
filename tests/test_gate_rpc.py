"""The credit gate over XML-RPC on a real server (real transactions).

A billing user cannot post a customer invoice's receivable with
action_move_create. A salesperson's raise of a confirmed order beyond the
limit is refused and rolled back, while its hold is committed in its own
transaction; released by a controller, the same change goes through once.
"""
import xmlrpc.client

import server_common


class TestGateOverRpc(server_common.RealServerCase):

    db_suffix = "gate_rpc"

    @classmethod
    def _user(cls, login, groups):
        uid = cls.call("res.users", "create", {
            "name": login.title(), "login": login, "password": login,
            "email": "%s@example.com" % login,
            "groups_id": [(6, 0, [cls.ref("base.group_user")]
                           + [cls.ref(xml_id) for xml_id in groups])]})
        return uid, login

    @classmethod
    def _setup_data(cls):
        policy = cls.call("credit.policy", "search", [])
        cls.call("credit.policy", "write", policy, {
            "check_mode": "block", "invoice_check_mode": "block",
            "controller_release_excess": 10000.0})
        company = cls.call("res.users", "read", [cls.uid], ["company_id"])[0]["company_id"][0]

        def account(code, xml_type, reconcile=False):
            return cls.call("account.account", "create", {
                "code": code, "name": code, "user_type_id": cls.ref(xml_type),
                "reconcile": reconcile, "company_id": company})

        cls.receivable = account("RPC1100", "account.data_account_type_receivable", True)
        cls.income = account("RPC4000", "account.data_account_type_revenue")
        cls.journal = cls.call("account.journal", "create", {
            "name": "RPC Sales", "code": "RPCS", "type": "sale",
            "default_debit_account_id": cls.income,
            "default_credit_account_id": cls.income, "company_id": company})
        cls.sales = cls._user("rpc_sales", [
            "sales_team.group_sale_salesman", "credit_management.group_credit_user"])
        cls.billing = cls._user("rpc_billing", [
            "account.group_account_invoice", "credit_management.group_credit_user"])
        cls.controller = cls._user("rpc_controller", [
            "sales_team.group_sale_salesman_all_leads", "account.group_account_invoice",
            "credit_management.group_credit_controller"])
        cls.customer, cls.invoiced = (cls.call("res.partner", "create", {
            "name": name, "is_company": True, "customer": True,
            "credit_limit": 1000.0, "user_id": cls.sales[0],
            "property_account_receivable_id": cls.receivable})
            for name in ("RPC Customer", "RPC Invoiced Customer"))
        cls.product = cls.call("product.product", "create", {
            "name": "RPC Widget", "type": "consu", "list_price": 100.0,
            "invoice_policy": "order", "taxes_id": [(6, 0, [])]})

    def as_user(self, user, model, method, *args, **kwargs):
        uid, password = user
        return self.call_as(uid, password, model, method, *args, **kwargs)

    def assert_fault(self, text, user, model, method, *args, **kwargs):
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.as_user(user, model, method, *args, **kwargs)
        self.assertIn(text, caught.exception.faultString)
        return caught.exception.faultString

    # ------------------------------------------------------------------
    def test_action_move_create_refused_over_rpc(self):
        """Billing user, salesperson, controller: action_move_create posts nothing."""
        invoice = self.as_user(self.billing, "account.invoice", "create", {
            "partner_id": self.invoiced, "type": "out_invoice",
            "account_id": self.receivable, "journal_id": self.journal,
            "invoice_line_ids": [(0, 0, {
                "name": "Goods", "quantity": 1, "price_unit": 2000.0,
                "account_id": self.income})]})
        for user in (self.billing, self.sales, self.controller):
            self.assert_fault("Validate customer invoices with the Validate button",
                              user, "account.invoice", "action_move_create", [invoice])
        self.assert_fault("Validate customer invoices", self.billing,
                          "account.invoice", "invoice_validate", [invoice])
        self.assert_fault("Validate customer invoices", self.billing,
                          "account.invoice", "write", [invoice], {"state": "open"})
        self.assertEqual(self.call("account.move.line", "search_count",
                                   [("partner_id", "=", self.invoiced)]), 0)
        # the Validate button: held, nothing posted
        action = self.as_user(self.billing, "account.invoice", "action_invoice_open",
                              [invoice])
        self.assertEqual(action["res_model"], "credit.check")
        state = self.call("account.invoice", "read", [invoice], ["state", "move_id"])[0]
        self.assertEqual((state["state"], state["move_id"]), ("draft", False))

    def test_raise_refused_hold_committed_release_applies_once(self):
        """A refused raise is rolled back, its hold kept; released, it goes through once."""
        order = self.as_user(self.sales, "sale.order", "create", {
            "partner_id": self.customer, "order_line": [(0, 0, {
                "product_id": self.product, "product_uom_qty": 6.0,
                "price_unit": 100.0, "tax_id": [(6, 0, [])]})]})
        self.as_user(self.sales, "sale.order", "action_confirm", [order])
        self.assertEqual(self.call("sale.order", "read", [order], ["state"])[0]["state"],
                         "sale")
        line = self.call("sale.order", "read", [order], ["order_line"])[0]["order_line"][0]
        raise_to_18 = {"order_line": [(1, line, {"product_uom_qty": 18.0})]}

        message = self.assert_fault("Credit hold", self.sales, "sale.order", "write",
                                    [order], raise_to_18)
        self.assertIn("1,800.00", message)
        self.assertIn("Credit controller", message)
        self.assertEqual(self.call("sale.order", "read", [order],
                                   ["amount_total"])[0]["amount_total"], 600.0)
        checks = self.call("credit.check", "search_read", [
            ("order_id", "=", order), ("trigger", "=", "change")],
            fields=["is_held", "order_amount", "required_authority", "requested_by"])
        self.assertEqual(len(checks), 1)
        check = checks[0]
        self.assertTrue(check["is_held"])
        self.assertEqual(check["order_amount"], 1800.0)
        self.assertEqual(check["requested_by"][0], self.sales[0])
        self.assertEqual(self.call("mail.activity", "search_count", [
            ("res_model", "=", "sale.order"), ("res_id", "=", order),
            ("user_id", "=", self.controller[0])]), 1)

        # the salesperson cannot release; the controller can
        with self.assertRaises(xmlrpc.client.Fault):
            mine = self.as_user(self.sales, "credit.check.decision", "create", {
                "check_id": check["id"], "decision": "release", "reason": "Mine"})
            self.as_user(self.sales, "credit.check.decision", "action_apply", [mine])
        wizard = self.as_user(self.controller, "credit.check.decision", "create", {
            "check_id": check["id"], "decision": "release",
            "reason": "Paid a deposit"})
        self.as_user(self.controller, "credit.check.decision", "action_apply", [wizard])

        self.as_user(self.sales, "sale.order", "write", [order], raise_to_18)
        self.assertEqual(self.call("sale.order", "read", [order],
                                   ["amount_total"])[0]["amount_total"], 1800.0)
        self.assertTrue(self.call("credit.check", "read", [check["id"]],
                                  ["release_used"])[0]["release_used"])
        # once: a further raise is refused again
        self.assert_fault("Credit hold", self.sales, "sale.order", "write", [order],
                          {"order_line": [(1, line, {"product_uom_qty": 19.0})]})
