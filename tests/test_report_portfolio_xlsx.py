"""Credit portfolio Excel export: cells read back and checked against the database."""
from common import CreditCommon, render_xlsx, xlsx_table

REPORT = "credit_management.credit_portfolio_xlsx_action"


class TestPortfolioXlsx(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.credit_grade_id = cls.grade_a
        cls.create_invoice(cls, cls.customer, 3000.0, days_ago=40, due_days=30)
        cls.create_invoice(cls, cls.customer, 1000.0, days_ago=5, due_days=30)
        cls.beta = cls._create_customer("Beta Imports Co", 2000.0, ref="BETA")
        cls.create_invoice(cls, cls.beta, 2500.0, days_ago=3, due_days=30)
        cls.gamma = cls._create_customer("Gamma Retail", 0.0)

    def test_rows_match_partner_figures(self):
        """Each customer line equals the partner's credit fields."""
        partners = self.customer | self.beta | self.gamma
        sheet = render_xlsx(self.env, REPORT, partners.ids)
        headers, rows, total = xlsx_table(sheet)
        self.assertEqual(sheet["A1"].value, "Credit Portfolio")
        self.assertEqual(sheet["B2"].value, self.company.name)
        self.assertEqual([row["Customer"] for row in rows],
                         ["Acme Trading Ltd", "Beta Imports Co", "Gamma Retail"])
        by_name = {row["Customer"]: row for row in rows}
        for partner in partners:
            row = by_name[partner.name]
            self.assertAlmostEqual(row["Credit Limit"], partner.credit_limit)
            self.assertAlmostEqual(row["Exposure"], partner.credit_exposure)
            self.assertAlmostEqual(row["Available Credit"], partner.credit_available)
            self.assertAlmostEqual(row["Overdue Amount"] or 0.0, partner.credit_overdue_amount)
            self.assertEqual(row["Overdue Days"] or 0, partner.credit_overdue_days)
            self.assertAlmostEqual(row["DSO (days)"] or 0.0, partner.credit_dso)
        acme = by_name["Acme Trading Ltd"]
        self.assertEqual(acme["Credit Grade"], "A")
        self.assertAlmostEqual(acme["Exposure"], 4000.0)
        self.assertAlmostEqual(acme["Usage"], 0.4)
        self.assertAlmostEqual(acme["Overdue Amount"], 3000.0)
        self.assertEqual(acme["Overdue Days"], 10)
        self.assertEqual(by_name["Beta Imports Co"]["Reference"], "BETA")
        self.assertAlmostEqual(by_name["Beta Imports Co"]["Usage"], 1.25)
        self.assertIsNone(by_name["Gamma Retail"]["Usage"])
        self.assertAlmostEqual(total["Exposure"], 6500.0)
        self.assertAlmostEqual(total["Credit Limit"], 12000.0)
        self.assertAlmostEqual(total["Overdue Amount"], 3000.0)

    def test_formatting(self):
        """Frozen header, autofilter, number formats, widths and SUBTOTAL formulas."""
        sheet = render_xlsx(self.env, REPORT, (self.customer | self.beta).ids,
                            data_only=False)
        headers = [cell.value for cell in sheet[5]]
        self.assertEqual(sheet.freeze_panes, "B6")
        self.assertEqual(sheet.auto_filter.ref, "A5:%s7" % chr(64 + len(headers)))
        limit_col = chr(65 + headers.index("Credit Limit"))
        usage_col = chr(65 + headers.index("Usage"))
        self.assertEqual(sheet["%s6" % limit_col].number_format, "#,##0.00")
        self.assertEqual(sheet["%s6" % usage_col].number_format, "0.0%")
        self.assertEqual(sheet["%s8" % limit_col].value,
                         "=SUBTOTAL(9,%s6:%s7)" % (limit_col, limit_col))
        self.assertGreaterEqual(sheet.column_dimensions["A"].width, 30)

    def test_without_selection_all_customers(self):
        """Printed without a selection, every company customer is listed."""
        sheet = render_xlsx(self.env, REPORT, [])
        _headers, rows, _total = xlsx_table(sheet)
        names = [row["Customer"] for row in rows]
        for partner in (self.customer, self.beta, self.gamma):
            self.assertIn(partner.name, names)
        self.assertNotIn(self.customer_contact.name, names)
