"""The people and data of the end-to-end scenarios, created over XML-RPC as
the administrator after the addon is installed (no demo data)."""

PEOPLE = {
    # key: (login, password, name, groups)
    "sales": ("sam.sales", "sales-e2e", "Sam Sales", [
        "sales_team.group_sale_salesman", "credit_management.group_credit_user"]),
    "controller": ("carl.controller", "controller-e2e", "Carl Controller", [
        "sales_team.group_sale_salesman_all_leads", "account.group_account_invoice",
        "credit_management.group_credit_controller"]),
    "manager": ("mia.manager", "manager-e2e", "Mia Manager", [
        "sales_team.group_sale_manager", "account.group_account_manager",
        "credit_management.group_credit_manager"]),
    "sales_zh": ("li.sales", "sales-e2e", "Li Wei", [
        "sales_team.group_sale_salesman", "credit_management.group_credit_user"]),
}
CUSTOMER = "Acme Trading Ltd"
CUSTOMER_LIMIT = 1000.0
CUSTOMER_ZH = "Shanghai Huaxin Trading"
EVALUATED = "Blue Harbor Foods"
PRODUCT = "E2E Widget"
PRODUCT_PRICE = 1500.0


class Person:
    def __init__(self, key, login, password, name, uid):
        self.key, self.login, self.password, self.name, self.id = (
            key, login, password, name, uid)

    def __repr__(self):
        return "<%s %s>" % (self.key, self.login)


def seed(rpc):
    """Create users, customers and a product; put the policy in block mode."""
    data = {}
    base_groups = [rpc.ref("base.group_user"), rpc.ref("base.group_partner_manager")]
    for key, (login, password, name, groups) in PEOPLE.items():
        group_ids = base_groups + [rpc.ref(xmlid) for xmlid in groups]
        found = rpc("res.users", "search", [("login", "=", login)])
        uid = found[0] if found else rpc("res.users", "create", {
            "name": name, "login": login, "password": password,
            "email": login + "@example.com",
            "groups_id": [(6, 0, group_ids)],
        }, context={"no_reset_password": True})
        data[key] = Person(key, login, password, name, uid)
    company_id = rpc("res.users", "read", [rpc.uid], ["company_id"])[0]["company_id"][0]
    policy = rpc("res.company", "read", [company_id], ["credit_policy_id"])[0]
    rpc("credit.policy", "write", [policy["credit_policy_id"][0]], {"check_mode": "block"})
    grade_a = rpc.ref("credit_management.credit_grade_a")
    for name, salesperson in ((CUSTOMER, "sales"), (CUSTOMER_ZH, "sales_zh")):
        data[name] = _ensure(rpc, "res.partner", name, {
            "is_company": True, "customer": True,
            "credit_limit": CUSTOMER_LIMIT, "credit_grade_id": grade_a,
            "user_id": data[salesperson].id,
        })
    data[EVALUATED] = _ensure(rpc, "res.partner", EVALUATED, {
        "is_company": True, "customer": True, "user_id": data["sales"].id,
    })
    data[PRODUCT] = _ensure(rpc, "product.product", PRODUCT, {
        "type": "consu", "list_price": PRODUCT_PRICE,
        "invoice_policy": "order", "taxes_id": [(6, 0, [])],
    })
    return data


def _ensure(rpc, model, name, values):
    """The record named ``name`` (created with ``values`` when missing)."""
    found = rpc(model, "search", [("name", "=", name)], limit=1)
    if found:
        return found[0]
    return rpc(model, "create", dict(values, name=name))
