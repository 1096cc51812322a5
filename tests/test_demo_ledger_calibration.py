"""The demo history's generator is calibrated on a real receivables ledger.

IBM's public Accounts Receivable sample (read from ../shared/data, or
$CREDIT_SHARED_DATA; never copied into the addon): the invoices the demo
generates must be paid late as often, by as many days and with the same
effect of disputes as the sample's, within the tolerances below (the demo
has ~1,700 settled invoices, so a few points of sampling noise remain).
"""
import csv
import os

import pytest

from odoo.addons.credit_management.domain import demo_ledger

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.environ.get("CREDIT_SHARED_DATA") or os.path.join(ROOT, "..", "shared", "data")
CSV = "WA_Fn-UseC_-Accounts-Receivable.csv"

# figure: largest accepted difference between the demo and the sample
TOLERANCES = {
    "late_share": 0.03,                # 35.6 % paid late
    "mean_days_late": 0.5,             # 3.44 days late on average
    "mean_days_late_when_late": 0.6,   # 9.68 among the late ones
    "dispute_share": 0.03,             # 22.7 % disputed
    "late_share_disputed": 0.05,       # 68.3 % of the disputed paid late
    "late_share_undisputed": 0.03,     # 25.9 % of the others
}


@pytest.fixture(scope="module")
def sample():
    path = os.path.join(DATA, CSV)
    if not os.path.exists(path):
        pytest.fail("public data file %s is missing: this test reads "
                    "../shared/data (or $CREDIT_SHARED_DATA)" % path)
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return rows


def test_sample_is_what_the_generator_was_calibrated_on(sample):
    """The published figures of the sample, as the generator states them."""
    figures = demo_ledger.csv_statistics(sample)
    assert figures["invoices"] == 2466
    assert {row["DueDate"] != row["InvoiceDate"] for row in sample} == {True}
    for name, value in demo_ledger.CALIBRATION_TARGET.items():
        if name == "due_days":
            continue
        assert figures[name] == pytest.approx(value, abs=0.005), name


def test_every_sample_invoice_is_due_at_30_days(sample):
    from datetime import datetime

    def day(text):
        return datetime.strptime(text, "%m/%d/%Y").date()
    terms = {(day(r["DueDate"]) - day(r["InvoiceDate"])).days for r in sample}
    assert terms == {demo_ledger.PARAMS.due_days} == {30}


def test_generated_history_matches_the_sample(sample):
    target = demo_ledger.csv_statistics(sample)
    _customers, invoices = demo_ledger.generate()
    got = demo_ledger.ledger_statistics(invoices)
    assert got["invoices"] > 1500
    for name, tolerance in TOLERANCES.items():
        assert abs(got[name] - target[name]) <= tolerance, (
            name, got[name], target[name])
    # never later than the sample's longest delay, and as long somewhere
    assert got["max_days_late"] == target["max_days_late"] == 45
    # disputed invoices are paid late about twice as often or more
    ratio = got["late_share_disputed"] / got["late_share_undisputed"]
    target_ratio = target["late_share_disputed"] / target["late_share_undisputed"]
    assert abs(ratio - target_ratio) <= 0.5 and ratio >= 2.0


def test_generator_is_deterministic_and_customers_differ():
    first = demo_ledger.generate()
    assert first == demo_ledger.generate()
    customers, invoices = first
    assert len(customers) == demo_ledger.PARAMS.customers == 100
    assert len({c.index for c in customers}) == 100
    # some customers never pay late, some nearly always (as in the sample)
    propensities = sorted(c.propensity for c in customers)
    assert propensities[5] < 0.05 and propensities[-5] > 0.7
    # a few default: their later invoices are never paid
    defaulters = [c for c in customers if c.default_day is not None]
    assert 3 <= len(defaulters) <= 10
    unpaid = {inv.customer for inv in invoices if inv.days_late is None}
    assert unpaid == {c.index for c in defaulters}
    assert demo_ledger.generate(seed=1) != first
