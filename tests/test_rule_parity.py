"""SQL restating the credit rules for speed agrees with the rules in domain/.

A generated portfolio of 1,200 customers (SQL bulk rows: customers and
contacts, per-company credit profiles in ir.property with a company default,
posted receivables, draft invoices and credit notes, confirmed orders partly
invoiced, in the company and a foreign currency) covers the edge cases: a
graded customer without a limit, a grade without credit, a limit below a
cent, exact tolerance boundaries, overdue days around the grace days,
overdue offset by credit notes, holds and single-order caps, exposure held
by contacts, the company default limit and an own zero overriding it, and
a second company with other profiles and receivables.

For several policies and both companies, the customer filters ("Over
limit", "Overdue", SQL), the customer flags (Python) and the credit
decision (``domain.decision.decide`` on the numbers the order check
gathers) name the same customers; the profile function, the warnings'
candidates and the aging snapshots read the same profile as the ORM.
"""
import random
from datetime import timedelta

from odoo import fields

from common import CreditCommon
from odoo.addons.credit_management.domain import decision as decision_domain
from odoo.addons.credit_management.domain import exposure as exposure_domain

N_CUSTOMERS = 1200
SEED = 20261130
DEFAULT_LIMIT_A = 2500.0

CATEGORIES = (
    "limit", "graded_no_limit", "no_credit_grade", "nothing", "tolerance",
    "hold_cap", "foreign", "overdue", "contact", "default_limit",
    "tiny_limit", "credit_notes",
)
TOLERANCE_EXPOSURES = (10000.0, 10000.01, 10999.99, 11000.0, 11000.01,
                       9999.99)


class TestRuleParity(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({
            "name": "Parity B Corp", "currency_id": cls.currency.id})
        Account = cls.env["account.account"]
        cls.receivable_b = Account.create({
            "code": "PAR1100", "name": "B Receivable", "reconcile": True,
            "user_type_id": cls.env.ref(
                "account.data_account_type_receivable").id,
            "company_id": cls.company_b.id})
        cls.journal_b = cls.env["account.journal"].create({
            "name": "B Misc", "code": "PARB", "type": "general",
            "company_id": cls.company_b.id})
        cls._setup_foreign_currency()
        cls.grade_allow = cls.grade_a
        cls.grade_no_credit = cls.grade_d
        assert cls.grade_allow.allow_credit and not cls.grade_no_credit.allow_credit
        cls.terms = cls.env["account.payment.term"].search([], limit=2)
        cls.specs = cls._generate()
        cls.partner_ids = [spec["id"] for spec in cls.specs]
        cls.env.cache.invalidate()

    @classmethod
    def _setup_foreign_currency(cls):
        foreign = cls.env.ref("base.USD")
        if foreign == cls.currency:
            foreign = cls.env.ref("base.EUR")
        foreign.active = True
        cls.env["res.currency.rate"].search([
            ("currency_id", "in", (foreign | cls.currency).ids)]).unlink()
        for currency, rate in ((cls.currency, 1.0), (foreign, 2.0)):
            cls.env["res.currency.rate"].create({
                "currency_id": currency.id, "rate": rate,
                "name": fields.Date.to_string(cls.today),
                "company_id": cls.company.id})
        cls.foreign_pricelist = cls.env["product.pricelist"].create({
            "name": "Parity foreign", "currency_id": foreign.id})
        cls.pricelist = cls.env["product.pricelist"].create({
            "name": "Parity", "currency_id": cls.currency.id})

    # ------------------------------------------------------------------
    # the portfolio
    # ------------------------------------------------------------------
    @classmethod
    def _generate(cls):
        rnd = random.Random(SEED)
        specs = [cls._spec(index, rnd) for index in range(N_CUSTOMERS)]
        cr = cls.env.cr
        # the partner warning columns of the installed modules (Inventory adds one)
        warn_columns = ", ".join(name for name in ("invoice_warn", "sale_warn", "picking_warn")
                                 if name in cls.env["res.partner"]._fields)
        warn_values = ", ".join("'no-message'" for _name in warn_columns.split(", "))
        cr.execute("""
            INSERT INTO res_partner (name, display_name, active, customer,
                   supplier, is_company, employee, type, lang, color,
                   """ + warn_columns + """, create_uid, write_uid,
                   create_date, write_date)
            SELECT n, n, true, true, false, true, false, 'contact', 'en_US',
                   0, """ + warn_values + """, 1, 1,
                   now() at time zone 'UTC', now() at time zone 'UTC'
              FROM unnest(%s::varchar[]) n
            RETURNING id
        """, (["Parity Customer %04d" % i for i in range(N_CUSTOMERS)],))
        ids = sorted(row[0] for row in cr.fetchall())
        cr.execute("UPDATE res_partner SET commercial_partner_id = id "
                   "WHERE id = ANY(%s)", (ids,))
        for spec, partner_id in zip(specs, ids):
            spec["id"] = partner_id
        with_contact = [spec for spec in specs if spec["contact"]]
        cr.execute("""
            INSERT INTO res_partner (name, display_name, active, customer,
                   is_company, type, parent_id, commercial_partner_id,
                   """ + warn_columns + """)
            SELECT 'Contact of ' || p, 'Contact of ' || p, true, true, false,
                   'contact', p, p, """ + warn_values + """
              FROM unnest(%s::int[]) p
            RETURNING id, parent_id
        """, ([spec["id"] for spec in with_contact],))
        contacts = dict((parent, child) for child, parent in cr.fetchall())
        for spec in specs:
            spec["contact_id"] = contacts.get(spec["id"])
        cls._insert_properties(specs)
        cls._insert_receivables(specs)
        cls._insert_drafts(specs)
        cls._insert_orders(specs)
        return specs

    @classmethod
    def _spec(cls, index, rnd):
        category = CATEGORIES[index % len(CATEGORIES)]
        round_ = index // len(CATEGORIES)
        limit = round(rnd.uniform(1000, 20000), -2)
        spec = {
            "category": category, "contact": category == "contact",
            # profile per company: None = no property of its own
            "a": {"limit": limit, "grade": None, "hold": False, "cap": 0.0,
                  "review": None, "term": None},
            "b": {"limit": round(rnd.uniform(0, 30000), -2) or None,
                  "grade": rnd.choice([None, "allow", "no_credit"]),
                  "hold": rnd.random() < 0.2, "cap": rnd.choice([0.0, 800.0]),
                  "review": rnd.choice([None, -30, 60]),
                  "term": rnd.choice([None, 0, 1])},
            "items": [], "items_b": [], "drafts": [], "orders": [],
        }
        a = spec["a"]
        target = limit * rnd.uniform(0.5, 1.5)
        if category == "graded_no_limit":
            a.update(limit=0.0, grade="allow")
            target = (0.0, 350.0, -200.0, 0.004)[round_ % 4]
        elif category == "no_credit_grade":
            a.update(limit=0.0, grade="no_credit")
            target = rnd.uniform(100, 5000)
        elif category == "nothing":
            a.update(limit=0.0)
            target = rnd.uniform(0, 5000)
        elif category == "tolerance":
            a.update(limit=10000.0, grade=rnd.choice([None, "allow"]))
            spec["items"].append(
                (TOLERANCE_EXPOSURES[round_ % len(TOLERANCE_EXPOSURES)], -10,
                 False))
            target = None
        elif category == "hold_cap":
            a.update(hold=True, cap=rnd.choice([0.0, 500.0, limit / 4]),
                     grade=rnd.choice([None, "allow", "no_credit"]))
        elif category == "foreign":
            spec["orders"].append((round(target * 2, 2), 3, rnd.choice([0, 1]),
                                   True))
            target = None
        elif category == "overdue":
            spec["items"] += cls._overdue_items(round_, rnd)
            target = None
        elif category == "contact":
            a.update(grade=rnd.choice([None, "allow"]))
        elif category == "default_limit":
            a.update(limit=None)
            target = DEFAULT_LIMIT_A * rnd.uniform(0.5, 1.5)
        elif category == "tiny_limit":
            a.update(limit=0.001, grade=rnd.choice([None, "allow"]))
            target = rnd.uniform(0, 100)
        elif category == "credit_notes":
            spec["drafts"].append(("out_refund", round(rnd.uniform(100, 900), 2)))
        if target is not None:
            cls._spread(spec, rnd, target)
        a["review"] = rnd.choice([None, None, -10, 30])
        a["term"] = rnd.choice([None, 0, 1])
        if index % 5 == 0:
            spec["items_b"].append((round(rnd.uniform(100, 40000), 2),
                                    rnd.choice([-20, 30]), False))
        return spec

    @classmethod
    def _overdue_items(cls, round_, rnd):
        """Past due by 14, 15, 16 or 40 days (grace 0 and 15 are tested),
        some offset by an overdue credit note, some below a cent, with an
        invoice not due yet besides (open, but not overdue)."""
        days = (14, 15, 16, 40)[round_ % 4]
        amount = round(rnd.uniform(100, 3000), 2)
        items = [(amount, days, False)]
        if round_ % 3 == 1:
            items.append((-amount, days + 5, False))
        elif round_ % 3 == 2:
            items.append((-(amount - 0.004), 2, False))
        if round_ % 3 and round_ % 2:
            items.append((500.0, -10, False))
        return items

    @classmethod
    def _spread(cls, spec, rnd, target):
        """Exposure of about ``target``: a receivable, maybe a draft invoice
        and a confirmed order, on the contact for 'contact' customers."""
        on_contact = spec["contact"]
        if target < 0:  # a credit balance: an unreconciled credit note
            spec["items"].append((round(target, 2), 20, on_contact))
            return
        parts = [rnd.random() for _i in range(3)]
        total = sum(parts)
        receivable, draft, order = (target * part / total for part in parts)
        spec["items"].append((round(receivable, 2), rnd.choice([-30, 5, 20]),
                              on_contact))
        if rnd.random() < 0.6:
            spec["drafts"].append(("out_invoice", round(draft, 2)))
        if rnd.random() < 0.6:
            spec["orders"].append((round(order, 2), rnd.choice([1, 2, 4]),
                                   rnd.choice([0, 1]), False))

    @classmethod
    def _insert_properties(cls, specs):
        """Credit profiles as ir.property rows, as Odoo stores them."""
        fields_by_name = {
            f.name: f.id for f in cls.env["ir.model.fields"].search([
                ("model", "=", "res.partner"),
                ("name", "in", ("credit_limit", "credit_grade_id",
                                "credit_hold", "credit_order_cap",
                                "credit_review_date",
                                "property_payment_term_id"))])}
        grades = {"allow": cls.grade_allow, "no_credit": cls.grade_no_credit}
        rows = []
        for spec in specs:
            for key, company in (("a", cls.company), ("b", cls.company_b)):
                profile = spec[key]
                ref = "res.partner,%d" % spec["id"]
                if profile["limit"] is not None:
                    rows.append((ref, company.id, "credit_limit", "float",
                                 profile["limit"], None, None, None))
                if profile["grade"]:
                    rows.append((ref, company.id, "credit_grade_id", "many2one",
                                 None, None, "credit.grade,%d"
                                 % grades[profile["grade"]].id, None))
                if profile["hold"]:
                    rows.append((ref, company.id, "credit_hold", "boolean",
                                 None, 1, None, None))
                if profile["cap"]:
                    rows.append((ref, company.id, "credit_order_cap", "float",
                                 profile["cap"], None, None, None))
                if profile["review"] is not None:
                    day = cls.today + timedelta(days=profile["review"])
                    rows.append((ref, company.id, "credit_review_date", "date",
                                 None, None, None,
                                 fields.Date.to_string(day) + " 00:00:00"))
                if profile["term"] is not None and cls.terms:
                    term = cls.terms[profile["term"] % len(cls.terms)]
                    rows.append((ref, company.id, "property_payment_term_id",
                                 "many2one", None, None,
                                 "account.payment.term,%d" % term.id, None))
        # a value shared by all companies (no company) for some customers:
        # a company's own value comes first
        for spec in specs[::7]:
            rows.append(("res.partner,%d" % spec["id"], None,
                         "credit_order_cap", "float", 1234.0, None, None, None))
        # the company default of A's limit (customers without their own)
        rows.append((None, cls.company.id, "credit_limit", "float",
                     DEFAULT_LIMIT_A, None, None, None))
        cls.env.cr.execute("""
            INSERT INTO ir_property (res_id, company_id, name, type,
                   value_float, value_integer, value_reference,
                   value_datetime, fields_id)
            SELECT r.res_id, r.company_id, r.name, r.type, r.value_float,
                   r.value_integer, r.value_reference,
                   r.value_datetime::timestamp, f.id
              FROM unnest(%s::varchar[], %s::int[], %s::varchar[],
                          %s::varchar[], %s::float8[], %s::int[],
                          %s::varchar[], %s::varchar[])
                   AS r(res_id, company_id, name, type, value_float,
                        value_integer, value_reference, value_datetime)
              JOIN (SELECT unnest(%s::varchar[]) AS name,
                           unnest(%s::int[]) AS id) f ON f.name = r.name
        """, [list(column) for column in zip(*rows)]
            + [list(fields_by_name), list(fields_by_name.values())])

    @classmethod
    def _insert_receivables(cls, specs):
        """Posted entries: a receivable line (debit, or credit for a credit
        note) due ``days_ago`` days ago, and its counterpart."""
        rows = []
        for spec in specs:
            for items, company, account, journal in (
                    (spec["items"], cls.company, cls.receivable_account,
                     cls.sale_journal),
                    (spec["items_b"], cls.company_b, cls.receivable_b,
                     cls.journal_b)):
                for amount, days_ago, on_contact in items:
                    if not amount:
                        continue
                    partner = spec["contact_id"] if on_contact else spec["id"]
                    due = cls.today - timedelta(days=days_ago)
                    rows.append((partner, company.id, account.id, journal.id,
                                 amount, fields.Date.to_string(due)))
        cls.env.cr.execute("""
            CREATE TEMP TABLE parity_items ON COMMIT DROP AS
            SELECT r.*, nextval('account_move_id_seq') AS move_id
              FROM unnest(%s::int[], %s::int[], %s::int[], %s::int[],
                          %s::numeric[], %s::date[])
                   AS r(partner_id, company_id, account_id, journal_id,
                        amount, due);
            INSERT INTO account_move (id, name, date, journal_id, state,
                                      partner_id, company_id, amount)
            SELECT move_id, 'PARITY/' || move_id, due, journal_id, 'posted',
                   partner_id, company_id, ABS(amount)
              FROM parity_items;
            INSERT INTO account_move_line (name, move_id, account_id,
                   partner_id, company_id, journal_id, date, date_maturity,
                   debit, credit, balance, amount_residual, reconciled)
            SELECT 'parity', move_id, account_id, partner_id, company_id,
                   journal_id, due, due, GREATEST(amount, 0),
                   GREATEST(-amount, 0), amount, amount, false
              FROM parity_items;
            INSERT INTO account_move_line (name, move_id, account_id,
                   company_id, journal_id, date, date_maturity, debit, credit,
                   balance, amount_residual, reconciled)
            SELECT 'parity', i.move_id, %s, i.company_id, i.journal_id, i.due,
                   i.due, GREATEST(-i.amount, 0), GREATEST(i.amount, 0),
                   -i.amount, 0, false
              FROM parity_items i;
            DROP TABLE parity_items;
        """, [list(column) for column in zip(*rows)] + [cls.income_account.id])

    @classmethod
    def _insert_drafts(cls, specs):
        rows = []
        for spec in specs:
            for inv_type, amount in spec["drafts"]:
                partner = spec["contact_id"] or spec["id"]
                sign = -1 if inv_type == "out_refund" else 1
                rows.append((partner, spec["id"], inv_type, sign * amount))
        cls.env.cr.execute("""
            INSERT INTO account_invoice (partner_id, commercial_partner_id,
                   type, state, amount_total, amount_total_signed,
                   amount_total_company_signed, reference_type, account_id,
                   currency_id, journal_id, company_id)
            SELECT r.partner_id, r.commercial_id, r.type, 'draft',
                   ABS(r.amount), r.amount, r.amount, 'none', %s, %s, %s, %s
              FROM unnest(%s::int[], %s::int[], %s::varchar[], %s::numeric[])
                   AS r(partner_id, commercial_id, type, amount)
        """, [cls.receivable_account.id, cls.currency.id, cls.sale_journal.id,
              cls.company.id] + [list(column) for column in zip(*rows)])

    @classmethod
    def _insert_orders(cls, specs):
        """Confirmed orders of one line: ``qty`` units, ``invoiced`` of them
        invoiced already, in the company or the foreign currency."""
        rows = []
        for spec in specs:
            for amount, qty, invoiced, foreign in spec["orders"]:
                partner = spec["contact_id"] or spec["id"]
                pricelist = cls.foreign_pricelist if foreign else cls.pricelist
                rows.append((partner, pricelist.id, amount, qty, invoiced))
        product = cls.product
        # the delivery columns Inventory's sales link (sale_stock) requires
        stock_columns = stock_values = ""
        if "picking_policy" in cls.env["sale.order"]._fields:
            warehouse = cls.env["stock.warehouse"].search(
                [("company_id", "=", cls.company.id)], limit=1)
            stock_columns = ", picking_policy, warehouse_id"
            stock_values = ", 'direct', %d" % warehouse.id
        cls.env.cr.execute("""
            CREATE TEMP TABLE parity_orders ON COMMIT DROP AS
            SELECT r.*, nextval('sale_order_id_seq') AS id
              FROM unnest(%s::int[], %s::int[], %s::numeric[], %s::numeric[],
                          %s::numeric[])
                   AS r(partner_id, pricelist_id, amount, qty, invoiced);
            INSERT INTO sale_order (id, name, state, date_order, partner_id,
                   partner_invoice_id, partner_shipping_id, pricelist_id,
                   company_id, amount_total, credit_state""" + stock_columns + """)
            SELECT id, 'PARITY/' || id, 'sale', now() at time zone 'UTC',
                   partner_id, partner_id, partner_id, pricelist_id, %s,
                   amount, 'passed'""" + stock_values + """
              FROM parity_orders;
            INSERT INTO sale_order_line (order_id, name, price_unit,
                   price_total, product_id, product_uom_qty, qty_invoiced,
                   product_uom, customer_lead, company_id, state)
            SELECT id, 'parity', amount / qty, amount, %s, qty, invoiced, %s,
                   0, %s, 'sale'
              FROM parity_orders;
            DROP TABLE parity_orders;
        """, [list(column) for column in zip(*rows)] + [
            cls.company.id, product.id, product.uom_id.id, cls.company.id])

    # ------------------------------------------------------------------
    # both sides
    # ------------------------------------------------------------------
    def set_policy(self, **vals):
        self.policy.write(vals)
        self.env.cache.invalidate()

    def sql_sets(self, company):
        """Customers the SQL filters find, among the portfolio."""
        Partner = self.env["res.partner"].with_context(force_company=company.id)
        scope = [("id", "in", self.partner_ids)]
        return (set(Partner.search(scope + [("credit_over_limit", "=", True)]).ids),
                set(Partner.search(scope + [("credit_is_overdue", "=", True)]).ids))

    def decision_sets(self, company):
        """Customers the credit decision says are over the limit / overdue:
        the numbers the order check gathers, ``decision.decide`` on a new
        order of 0."""
        policy = company.credit_policy_id
        rules = self.env["credit.check"]._prepare_rules(policy)
        partners = self.env["res.partner"].with_context(
            force_company=company.id).browse(self.partner_ids)
        today = fields.Date.context_today(self.env.user)
        data = partners._credit_exposure_data(company, today=today)
        secured = self.env["credit.collateral"]._credit_secured_amounts(
            partners, company, today)
        over, overdue = set(), set()
        for partner in partners:
            item = data[partner.id]
            grade = partner.credit_grade_id
            snap = decision_domain.snapshot(
                limit=partner.credit_limit,
                exposure=exposure_domain.total_exposure(
                    item,
                    include_draft_invoices=policy.include_draft_invoices,
                    include_uninvoiced_orders=policy.include_uninvoiced_orders),
                overdue_amount=item.overdue_amount,
                overdue_days=exposure_domain.overdue_days(
                    item.oldest_due_date, fields.Date.from_string(today)),
                on_hold=partner.credit_hold, has_grade=bool(grade),
                grade_allows_credit=grade.allow_credit if grade else True,
                order_cap=partner.credit_order_cap,
                secured=secured[partner.id])
            codes = decision_domain.decide(snap, rules).reason_codes
            if decision_domain.LIMIT_EXCEEDED in codes:
                over.add(partner.id)
            if decision_domain.OVERDUE in codes:
                overdue.add(partner.id)
        return over, overdue

    def flag_sets(self, company):
        partners = self.env["res.partner"].with_context(
            force_company=company.id).browse(self.partner_ids)
        return ({p.id for p in partners if p.credit_over_limit},
                {p.id for p in partners if p.credit_is_overdue})

    def by_category(self, ids, category):
        return {s["id"] for s in self.specs
                if s["category"] == category and s["id"] in ids}

    def assert_parity(self, company):
        sql_over, sql_overdue = self.sql_sets(company)
        dom_over, dom_overdue = self.decision_sets(company)
        flag_over, flag_overdue = self.flag_sets(company)
        self.assertEqual(sql_over ^ dom_over, set(), "over limit: SQL vs domain")
        self.assertEqual(sql_overdue ^ dom_overdue, set(), "overdue: SQL vs domain")
        self.assertEqual(flag_over ^ dom_over, set(), "over limit: flag vs domain")
        self.assertEqual(flag_overdue ^ dom_overdue, set(),
                         "overdue: flag vs domain")
        return dom_over, dom_overdue

    # ------------------------------------------------------------------
    def test_portfolio_size(self):
        """At least 1,000 customers, every edge case present."""
        self.assertGreaterEqual(len(self.partner_ids), 1000)
        self.assertEqual({s["category"] for s in self.specs}, set(CATEGORIES))

    def test_parity_strict_policy(self):
        """No tolerance, no grace: filters, flags and decision agree."""
        self.set_policy(limit_tolerance_percent=0.0, overdue_grace_days=0,
                        include_draft_invoices=True,
                        include_uninvoiced_orders=True)
        over, overdue = self.assert_parity(self.company)
        # the edge cases go both ways (the test cannot pass on empty sets)
        everyone = set(self.partner_ids)
        for category in ("limit", "graded_no_limit", "tolerance", "hold_cap",
                         "foreign", "contact", "default_limit", "tiny_limit"):
            self.assertTrue(self.by_category(over, category), category)
            self.assertTrue(self.by_category(everyone - over, category), category)
        for category in ("no_credit_grade", "nothing"):
            self.assertFalse(self.by_category(over, category), category)
        self.assertTrue(self.by_category(overdue, "overdue"))
        self.assertTrue(self.by_category(everyone - overdue, "overdue"))
        # a graded customer without a limit is over with any exposure
        tolerance = self.by_category(over, "tolerance")
        self.assertEqual(
            {s["items"][0][0] for s in self.specs if s["id"] in tolerance},
            {10000.01, 10999.99, 11000.0, 11000.01})

    def test_parity_tolerance_and_grace(self):
        """10 % tolerance and 15 grace days: the same agreement, the
        boundaries moved (11,000 accepted, 11,000.01 not; 15 days accepted,
        16 not)."""
        self.set_policy(limit_tolerance_percent=10.0, overdue_grace_days=15,
                        include_draft_invoices=True,
                        include_uninvoiced_orders=True)
        over, overdue = self.assert_parity(self.company)
        tolerance = self.by_category(over, "tolerance")
        self.assertEqual(
            {s["items"][0][0] for s in self.specs if s["id"] in tolerance},
            {11000.01})
        late = {s["items"][0][1] for s in self.specs
                if s["id"] in self.by_category(overdue, "overdue")}
        self.assertEqual(late, {16, 40})

    def test_parity_policy_without_drafts_and_orders(self):
        """A policy counting receivables only: the filters follow it."""
        self.set_policy(limit_tolerance_percent=5.0, overdue_grace_days=3,
                        include_draft_invoices=False,
                        include_uninvoiced_orders=False)
        over, _overdue = self.assert_parity(self.company)
        self.assertFalse(self.by_category(over, "foreign"))

    def test_parity_with_collateral(self):
        """Credit secured by collateral adds to the limit in the filter, the
        flags and the decision alike: on a 10,000 limit, 500 guaranteed
        accept up to 10,500, insurance of 2,000 at 50 % up to 11,000."""
        self.set_policy(limit_tolerance_percent=0.0, overdue_grace_days=0,
                        include_draft_invoices=True,
                        include_uninvoiced_orders=True)
        over_before, _overdue = self.assert_parity(self.company)
        secured_ids = sorted(self.by_category(over_before, "tolerance"))
        self.assertTrue(secured_ids)
        insurer = self.env["res.partner"].create({"name": "Parity Insurer"})
        Collateral = self.env["credit.collateral"].sudo()
        collateral = Collateral.browse()
        for index, partner_id in enumerate(secured_ids):
            collateral |= Collateral.create(dict({
                "partner_id": partner_id, "issuer_id": insurer.id,
                "reference": "PAR-%d" % index, "company_id": self.company.id,
                "currency_id": self.currency.id,
                "valid_from": fields.Date.context_today(self.env.user)},
                **({"collateral_type": "bank_guarantee", "amount": 500.0}
                   if index % 2 else
                   {"collateral_type": "insurance", "amount": 2000.0,
                    "coverage_percent": 50.0})))
        self.env.cr.execute("UPDATE credit_collateral SET state = 'approved'"
                            " WHERE id IN %s", (tuple(collateral.ids),))
        self.env.cache.invalidate()
        over_after, _overdue = self.assert_parity(self.company)
        self.assertEqual(over_after - over_before, set())
        lifted = set(secured_ids) - over_after
        self.assertTrue(lifted, "collateral lifted nobody under the limit")
        exposure = {s["id"]: s["items"][0][0] for s in self.specs
                    if s["id"] in secured_ids}
        secured = {c.partner_id.id: c.secured_amount for c in collateral}
        self.assertEqual(set(secured.values()), {500.0, 1000.0})
        for partner_id in secured_ids:
            self.assertEqual(
                partner_id in over_after,
                exposure[partner_id] > 10000.0 + secured[partner_id] + 0.005,
                (exposure[partner_id], secured[partner_id]))

    def test_parity_second_company(self):
        """Company B: its own profiles and receivables, the same agreement."""
        self.company_b.credit_policy_id.write({
            "limit_tolerance_percent": 0.0, "overdue_grace_days": 0})
        over, overdue = self.assert_parity(self.company_b)
        self.assertTrue(over)
        self.assertTrue(overdue)

    def test_profile_function_reads_what_the_orm_reads(self):
        """credit_partner_profile(company) = the ORM's company-dependent
        values, for every customer, contact and both companies (company
        default included)."""
        cr = self.env.cr
        ids = self.partner_ids + [s["contact_id"] for s in self.specs
                                  if s["contact_id"]]
        for company in (self.company, self.company_b):
            cr.execute("""
                SELECT partner_id, credit_limit, credit_grade_id, credit_hold,
                       credit_order_cap, credit_review_date, payment_term_id
                  FROM credit_partner_profile(%s) WHERE partner_id IN %s
            """, (company.id, tuple(ids)))
            sql = {row[0]: row[1:] for row in cr.fetchall()}
            orm = {
                p.id: (p.credit_limit, p.credit_grade_id.id or None,
                       p.credit_hold, p.credit_order_cap,
                       p.credit_review_date or None,
                       p.property_payment_term_id.id or None)
                for p in self.env["res.partner"].with_context(
                    force_company=company.id).browse(ids)}
            self.assertEqual(sql, orm)
        # a shared value applies where the company has none of its own
        shared = [s for s in self.specs[::7] if not s["b"]["cap"]]
        self.assertTrue(shared)
        self.assertEqual({sql[s["id"]][3] for s in shared}, {1234.0})
        # the company default of A applies where A has no own limit
        default = [s["id"] for s in self.specs if s["a"]["limit"] is None]
        self.assertTrue(default)
        for partner_id in default:
            self.assertEqual(sql_limit(cr, self.company, partner_id),
                             DEFAULT_LIMIT_A)

    def test_warning_candidates_follow_the_profile(self):
        """Customers without receivables are warning candidates exactly when
        the company's profile has a limit, a grade or a review date."""
        Warning = self.env["credit.warning"]
        date = fields.Date.to_string(self.today)
        for company, key, items in ((self.company, "a", "items"),
                                    (self.company_b, "b", "items_b")):
            candidates = set(Warning._get_candidate_partner_ids(company, date))
            ids = [spec["id"] for spec in self.specs
                   if not any(item[0] for item in spec[items])
                   and not spec["contact_id"]]
            self.assertGreaterEqual(len(ids), 100)
            expected = {
                partner.id for partner in self.env["res.partner"].with_context(
                    force_company=company.id).browse(ids)
                if partner.credit_limit > 0 or partner.credit_grade_id
                or partner.credit_review_date}
            self.assertTrue(expected)
            self.assertEqual(candidates & set(ids), expected)

    def test_aging_snapshots_record_the_company_grade(self):
        """Aging snapshots of each company carry the grade of that company."""
        Aging = self.env["credit.aging"]
        date = fields.Date.to_string(self.today)
        for company in (self.company, self.company_b):
            Aging._write_snapshots(company, date)
            snapshots = Aging.search([("company_id", "=", company.id),
                                      ("partner_id", "in", self.partner_ids)])
            self.assertGreater(len(snapshots), 100)
            partners = self.env["res.partner"].with_context(
                force_company=company.id)
            for snapshot in snapshots:
                self.assertEqual(snapshot.credit_grade_id,
                                 partners.browse(snapshot.partner_id.id)
                                 .credit_grade_id)


def sql_limit(cr, company, partner_id):
    cr.execute("SELECT credit_limit FROM credit_partner_profile(%s) "
               "WHERE partner_id = %s", (company.id, partner_id))
    return cr.fetchone()[0]
