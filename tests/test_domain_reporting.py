"""Pure report figures: usage, chart bars, spreadsheet columns (no database)."""
import unittest

from odoo.addons.credit_management.domain import reporting


class TestUsagePercent(unittest.TestCase):

    def test_usage_is_exposure_over_limit(self):
        """8,000 used of a 10,000 limit is 80 %."""
        self.assertAlmostEqual(reporting.usage_percent(10000.0, 8000.0), 80.0)

    def test_usage_beyond_limit(self):
        """Exposure above the limit gives more than 100 %."""
        self.assertAlmostEqual(reporting.usage_percent(1000.0, 1500.0), 150.0)

    def test_no_limit_has_no_usage(self):
        """Without a positive limit there is no usage figure."""
        self.assertIsNone(reporting.usage_percent(0.0, 500.0))
        self.assertIsNone(reporting.usage_percent(-5.0, 500.0))


class TestBarWidths(unittest.TestCase):

    def test_largest_value_gets_full_bar(self):
        """Bars are scaled to the largest bucket."""
        self.assertEqual(reporting.bar_widths([50.0, 100.0, 25.0]), [50.0, 100.0, 25.0])
        self.assertEqual(reporting.bar_widths([1.0, 4.0], full=80.0), [20.0, 80.0])

    def test_negative_and_empty_values_draw_nothing(self):
        """Credit balances and missing values give no bar; all zero gives no bars."""
        self.assertEqual(reporting.bar_widths([-10.0, None, 10.0]), [0.0, 0.0, 100.0])
        self.assertEqual(reporting.bar_widths([0.0, 0.0]), [0.0, 0.0])
        self.assertEqual(reporting.bar_widths([]), [])


class TestColumnLetter(unittest.TestCase):

    def test_letters(self):
        """Zero-based indexes map to spreadsheet column names."""
        self.assertEqual(reporting.column_letter(0), "A")
        self.assertEqual(reporting.column_letter(25), "Z")
        self.assertEqual(reporting.column_letter(26), "AA")
        self.assertEqual(reporting.column_letter(27), "AB")
        self.assertEqual(reporting.column_letter(701), "ZZ")
        self.assertEqual(reporting.column_letter(702), "AAA")

    def test_negative_index_is_refused(self):
        """A negative column index is a programming error."""
        with self.assertRaises(ValueError):
            reporting.column_letter(-1)
