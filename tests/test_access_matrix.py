"""Access matrix: every credit model x every role, read/write/create/unlink as designed.

The expected rights are written out here, derived from security/ir.model.access.csv
and the groups of security/credit_management_security.xml (user < controller <
manager, each implying base.group_user): a change of the CSV, a new model without
its line here, or a new group implication fails a test.
"""
from odoo.exceptions import AccessError, UserError

from common import CreditCommon

ROLES = ("portal", "internal", "user", "controller", "manager")
MODES = (("r", "read"), ("w", "write"), ("c", "create"), ("d", "unlink"))

# r = read, w = write, c = create, d = delete (unlink)
#                                    portal internal user  controller manager
MATRIX = {
    "credit.agreement":              ("",   "",      "r",  "rwc",    "rwcd"),
    "credit.aging":                  ("",   "",      "",   "r",      "rd"),
    "credit.bad.debt":               ("",   "",      "",   "r",      "r"),
    "credit.check":                  ("",   "r",     "r",  "r",      "r"),
    "credit.check.report":           ("",   "",      "",   "r",      "r"),
    "credit.collateral":             ("",   "",      "r",  "rwc",    "rwcd"),
    "credit.collection.log":         ("",   "",      "",   "rwc",    "rwcd"),
    "credit.collection.digest":      ("",   "",      "",   "r",      "rd"),
    "credit.dossier":                ("",   "",      "r",  "rwc",    "rwcd"),
    "credit.dossier.history":        ("",   "",      "r",  "r",      "r"),
    "credit.evaluation":             ("",   "",      "",   "rwcd",   "rwcd"),
    "credit.evaluation.line":        ("",   "",      "",   "r",      "r"),
    "credit.financial.statement":    ("",   "",      "",   "rwcd",   "rwcd"),
    "credit.followup.level":         ("",   "",      "",   "r",      "rwcd"),
    "credit.grade":                  ("",   "r",     "r",  "r",      "rwcd"),
    "credit.interest.line":          ("",   "",      "",   "r",      "r"),
    "credit.group":                  ("",   "",      "r",  "rwc",    "rwcd"),
    "credit.group.member":           ("",   "",      "r",  "rwcd",   "rwcd"),
    "credit.kpi.report":             ("",   "",      "",   "r",      "r"),
    "credit.limit.request":          ("",   "",      "rwc", "rwc",   "rwcd"),
    "credit.policy":                 ("",   "",      "r",  "r",      "rwc"),
    "credit.policy.version":         ("",   "r",     "r",  "rwcd",   "rwcd"),
    "credit.receivable.balance":     ("",   "",      "",   "r",      "r"),
    "credit.scorecard":              ("",   "",      "",   "r",      "rwcd"),
    "credit.scorecard.band":         ("",   "",      "",   "r",      "rwcd"),
    "credit.scorecard.indicator":    ("",   "",      "",   "r",      "rwcd"),
    "credit.scorecard.backtest":     ("",   "",      "",   "rwc",    "rwcd"),
    "credit.scorecard.backtest.grade": ("", "",      "",   "r",      "rwcd"),
    "credit.scorecard.backtest.indicator": ("", "",  "",   "r",      "rwcd"),
    "credit.scorecard.backtest.curve": ("", "",      "",   "r",      "rwcd"),
    "credit.scorecard.proposal":     ("",   "",      "",   "rwc",    "rwcd"),
    "credit.scorecard.proposal.grade": ("", "",      "",   "r",      "rwcd"),
    "credit.term.template":          ("",   "r",     "r",  "r",      "rwcd"),
    "credit.warning":                ("",   "",      "r",  "rw",     "rwcd"),
    "credit.warning.digest":         ("",   "",      "",   "r",      "rd"),
}

# Wizards (transient models): Odoo grants every user the rights on them (each
# user sees only the wizards they created); the wizard's action decides who may
# use it. Outcome of the action per role: None = done, else the error raised.
#                                    portal       internal     user         controller   manager
WIZARDS = {
    "credit.agreement.terminate":   (AccessError, AccessError, AccessError, UserError,   None),
    "credit.approval.reject":       (AccessError, AccessError, AccessError, UserError,   None),
    "credit.bad.debt.write.off":    (AccessError, AccessError, AccessError, AccessError, None),
    "credit.check.decision":        (AccessError, AccessError, AccessError, None,        None),
    "credit.check.release.request": (AccessError, AccessError, None,        None,        None),
    "credit.report.export":         (AccessError, AccessError, AccessError, None,        None),
}

# Abstract models hold no records: mixins and the demo-data loader.
ABSTRACT = {"credit.approval.mixin", "credit.cron.mixin", "credit.demo.loader",
            "credit.checked.document", "credit.gate.cached",
            "credit.digest.mixin"}


class _Undo(Exception):
    pass


class TestAccessMatrix(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Users = cls.env["res.users"].with_context(no_reset_password=True)
        groups = {
            "portal": "base.group_portal",
            "internal": "base.group_user",
            "user": "credit_management.group_credit_user",
            "controller": "credit_management.group_credit_controller",
            "manager": "credit_management.group_credit_manager",
        }
        cls.role_users = {
            role: Users.create({
                "name": "Matrix %s" % role, "login": "matrix_%s" % role,
                "email": "matrix_%s@example.com" % role,
                "company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)],
                "groups_id": [(6, 0, [cls.env.ref(xml_id).id])]})
            for role, xml_id in groups.items()}

    def credit_models(self):
        models = self.env["ir.model"].search([("model", "=like", "credit.%")])
        return {model.model: self.env[model.model] for model in models}

    def test_every_credit_model_is_in_the_matrix(self):
        """Each credit.* model is a listed model, wizard or abstract model."""
        models = self.credit_models()
        self.assertEqual({name for name, model in models.items()
                          if not model._abstract and not model._transient}, set(MATRIX))
        self.assertEqual({name for name, model in models.items() if model._transient},
                         set(WIZARDS))
        self.assertEqual({name for name, model in models.items()
                          if model._abstract and not model._transient}, ABSTRACT)

    def test_roles(self):
        """The role users have exactly the groups the matrix assumes."""
        users = self.role_users
        self.assertTrue(users["portal"].share)
        self.assertFalse(users["portal"].has_group("base.group_user"))
        self.assertFalse(users["internal"].has_group("credit_management.group_credit_user"))
        self.assertTrue(users["user"].has_group("base.group_user"))
        self.assertFalse(users["user"].has_group("credit_management.group_credit_controller"))
        self.assertTrue(users["controller"].has_group("credit_management.group_credit_user"))
        self.assertFalse(users["controller"].has_group("credit_management.group_credit_manager"))
        self.assertTrue(users["manager"].has_group("credit_management.group_credit_controller"))

    def test_model_rights_per_role(self):
        """Read, write, create and unlink of every credit model for every role
        are allowed or refused exactly as the matrix says."""
        differences = []
        for name, expected in sorted(MATRIX.items()):
            for role, rights in zip(ROLES, expected):
                model = self.env[name].sudo(self.role_users[role])
                for letter, mode in MODES:
                    allowed = model.check_access_rights(mode, raise_exception=False)
                    if allowed != (letter in rights):
                        differences.append("%s %s %s: %s" % (
                            name, role, mode, "allowed" if allowed else "refused"))
        self.assertFalse(differences, "rights differ from the matrix:\n" +
                         "\n".join(differences))

    def test_refused_right_raises(self):
        """A refused right is an AccessError when the role tries it for real."""
        grade = self.grade_a
        with self.assertRaises(AccessError):
            grade.sudo(self.role_users["portal"]).read(["code"])
        with self.assertRaises(AccessError):
            grade.sudo(self.role_users["controller"]).write({"limit_cap": 1.0})
        self.assertEqual(grade.sudo(self.role_users["internal"]).code, "A")
        with self.assertRaises(AccessError):
            self.env["credit.dossier"].sudo(self.role_users["user"]).create(
                {"partner_id": self.customer.id})
        with self.assertRaises(AccessError):
            self.env["credit.warning"].sudo(self.role_users["controller"]).create({
                "partner_id": self.customer.id, "warning_type": "overdue_amount",
                "severity": "high", "message": "Overdue"})

    def test_wizard_rights_are_open_to_all(self):
        """Odoo grants every role the rights on the wizards (transient models)."""
        for name in WIZARDS:
            for role in ROLES:
                model = self.env[name].sudo(self.role_users[role])
                for _letter, mode in MODES:
                    self.assertTrue(model.check_access_rights(mode, raise_exception=False),
                                    "%s %s %s" % (name, role, mode))

    def test_abstract_models_have_no_access_rules(self):
        """Mixins hold no records: no access rule names them."""
        rules = self.env["ir.model.access"].search([("model_id.model", "in", list(ABSTRACT))])
        self.assertFalse(rules)

    def test_company_rules(self):
        """Every credit model with a company has a global rule to the user's
        companies."""
        missing = set()
        for name, model in self.credit_models().items():
            if model._abstract or model._transient or "company_id" not in model._fields:
                continue
            rules = self.env["ir.rule"].search([
                ("model_id.model", "=", name), ("global", "=", True)])
            if not any("company_id" in (rule.domain_force or "") for rule in rules):
                missing.add(name)
        self.assertEqual(missing, set())

    # ------------------------------------------------------------------
    def outcome(self, action):
        """None when ``action`` ran through, else the class of the Odoo error it
        raised; its effects are undone either way."""
        try:
            with self.env.cr.savepoint():
                action()
                raise _Undo()
        except _Undo:
            result = None
        except (AccessError, UserError) as error:
            result = type(error)
        self.env.clear()  # forget the cached values of what was undone
        return result

    def test_wizard_actions_per_role(self):
        """Who may decide a hold, export, write off bad debt and reject an approval."""
        # as the credit team uses them: the salesperson is the credit user
        users = dict(self.role_users, user=self.user_sales, controller=self.user_controller,
                     manager=self.user_manager)
        order = self.create_order(self.customer, 12000.0)
        order.sudo(self.user_sales).action_confirm()
        check = order.credit_check_ids
        self.assertTrue(check.is_held)
        invoice = self.create_invoice(self.customer, 300.0, days_ago=200, due_days=30)
        dossier = self._create_dossier()
        self.env["credit.financial.statement"].create(self._statement_vals(dossier))
        evaluation = self.env["credit.evaluation"].sudo(self.user_controller2).create(
            {"dossier_id": dossier.id})
        evaluation.sudo(self.user_controller2).action_submit()
        self.assertEqual(evaluation.state, "to_approve")
        agreement = self.env["credit.agreement"].create({
            "partner_id": self.customer.id, "valid_to": "2099-12-31"})
        agreement.sudo(self.user_controller2).action_submit()
        agreement.sudo(self.user_manager2).action_approve()
        actions = {
            "credit.agreement.terminate": lambda env: env["credit.agreement.terminate"].create({
                "agreement_id": agreement.id, "reason": "Default"}).action_apply(),
            "credit.check.decision": lambda env: env["credit.check.decision"].create({
                "check_id": check.id, "decision": "reject",
                "reason": "Too risky"}).action_apply(),
            "credit.check.release.request": lambda env: env[
                "credit.check.release.request"].create({
                    "check_id": check.id, "note": "Paid tomorrow"}).action_apply(),
            "credit.report.export": lambda env: env["credit.report.export"].create(
                {"report": "aging"}).action_export(),
            "credit.bad.debt.write.off": lambda env: env["credit.bad.debt.write.off"].create({
                "partner_id": self.customer.id, "invoice_ids": [(6, 0, invoice.ids)],
                "account_id": self.expense_account.id, "journal_id": self.misc_journal.id,
                "reason": "Customer insolvent"}).action_apply(),
            "credit.approval.reject": lambda env: env["credit.approval.reject"].create({
                "res_model": "credit.evaluation", "res_id": evaluation.id,
                "reason": "Statement too old"}).action_apply(),
        }
        self.assertEqual(set(actions), set(WIZARDS))
        differences = []
        for name, expected in sorted(WIZARDS.items()):
            for role, outcome in zip(ROLES, expected):
                env = self.env(user=users[role])
                got = self.outcome(lambda: actions[name](env))
                if got is not outcome:
                    differences.append("%s %s: %s, expected %s" % (
                        name, role, got and got.__name__ or "done",
                        outcome and outcome.__name__ or "done"))
        self.assertFalse(differences, "wizard outcomes differ:\n" + "\n".join(differences))
        # each attempt was undone
        self.assertTrue(check.is_held)
        self.assertEqual(invoice.state, "open")
        self.assertEqual(evaluation.state, "to_approve")
        self.assertEqual(agreement.state, "approved")
