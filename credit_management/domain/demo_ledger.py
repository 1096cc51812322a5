# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo portfolio's receivables history: deterministic, calibrated.

The demo builds an 18-month ledger for about 100 customers from a seeded
``random.Random``, so every install gets the same history (relative to the
install date) and no data file is needed. The generator's parameters are
calibrated on a real ledger, IBM's public Accounts Receivable sample
(2,466 settled invoices of 100 customers):

* every invoice is due 30 days after its date;
* 35.6 % are paid late; 3.44 days late on average, 9.68 among the late
  ones, 45 days at most;
* disputed invoices (22.7 %) are paid late 68 % of the time, the others
  26 % (about two and a half times as often);
* customers differ a lot: some never pay late, some nearly always do.

``tests/test_demo_ledger_calibration.py`` reads that CSV and checks that
:func:`ledger_statistics` of the generated invoices matches
:func:`csv_statistics` of the file within stated tolerances.

On top of the calibrated payment behaviour a few customers default: from
some day on they stop paying, so the demo has 90+ days overdue items,
warnings, collection levels and "bad" customers for the back-test. Their
unpaid invoices are not settled and are left out of the statistics, as the
CSV holds settled invoices only.

Pure Python: no Odoo import.
"""
import math
import random
from collections import namedtuple

#: what the IBM Accounts Receivable sample shows (the test recomputes it)
CALIBRATION_TARGET = {
    "due_days": 30,
    "late_share": 0.356,
    "mean_days_late": 3.44,
    "mean_days_late_when_late": 9.68,
    "max_days_late": 45,
    "dispute_share": 0.227,
    "late_share_disputed": 0.683,
    "late_share_undisputed": 0.259,
}

GeneratorParams = namedtuple("GeneratorParams", [
    "customers",            # number of customers
    "months",               # length of the history
    "due_days",             # payment term of every invoice
    "invoices_per_month",   # mean invoices of a customer per month
    "dispute_share",        # share of invoices disputed
    "propensity_a",         # Kumaraswamy(a, b): per-customer probability
    "propensity_b",         # of paying an undisputed invoice late
    "dispute_odds_ratio",   # odds of paying late, disputed vs undisputed
    "late_days_shape",      # days late - 1 ~ Gamma(shape, scale)
    "late_days_scale",
    "max_days_late",        # the cap (the sample's longest delay)
    "defaulter_share",      # customers who stop paying at some point
    "amount_median",        # median invoice amount of a median customer
    "amount_spread",        # log-sd of the customers' sizes
])

#: the calibrated parameters (see the module docstring)
PARAMS = GeneratorParams(
    customers=100, months=18, due_days=30, invoices_per_month=1.0,
    dispute_share=0.227, propensity_a=0.75, propensity_b=1.8,
    dispute_odds_ratio=15.0, late_days_shape=1.3, late_days_scale=6.6,
    max_days_late=45, defaulter_share=0.07, amount_median=60000.0,
    amount_spread=0.8,
)

DEFAULT_SEED = 20130101

Customer = namedtuple("Customer", [
    "index",        # 0-based, stable
    "propensity",   # probability of paying an undisputed invoice late
    "size",         # median invoice amount
    "default_day",  # day it stops paying (None: never)
])

Invoice = namedtuple("Invoice", [
    "customer",     # Customer.index
    "day",          # invoice date, days after the start of the history
    "amount",
    "disputed",
    "days_late",    # paid on day + due_days + days_late; None: never paid
])


def history_days(params=PARAMS):
    """Length of the history in days (months of 365.25 / 12 days)."""
    return int(round(params.months * 365.25 / 12))


def _kumaraswamy_quantile(u, a, b):
    return (1.0 - (1.0 - u) ** (1.0 / b)) ** (1.0 / a)


def _late_probability(propensity, disputed, params):
    if not disputed or propensity <= 0.0:
        return propensity
    if propensity >= 1.0:
        return 1.0
    odds = propensity / (1.0 - propensity) * params.dispute_odds_ratio
    return odds / (1.0 + odds)


def _poisson(rng, mean):
    # Knuth: fine for the small means used here
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def customers(params=PARAMS, seed=DEFAULT_SEED):
    """The portfolio: propensities spread over the quantiles of the
    distribution (stratified, so the mix does not depend on luck), sizes
    log-normal, the defaulters among the customers most often late."""
    rng = random.Random(seed)
    count = params.customers
    propensities = [_kumaraswamy_quantile((i + 0.5) / count,
                                          params.propensity_a,
                                          params.propensity_b)
                    for i in range(count)]
    rng.shuffle(propensities)
    days = history_days(params)
    defaulters = int(round(count * params.defaulter_share))
    # the latest payers of the portfolio, one in two, default
    by_risk = sorted(range(count), key=lambda i: -propensities[i])
    default_set = set(by_risk[:2 * defaulters:2])
    result = []
    for index in range(count):
        size = params.amount_median * math.exp(
            rng.gauss(0.0, params.amount_spread))
        default_day = None
        if index in default_set:
            # stops paying in the second half of the history, early enough
            # to be 90+ days past due today
            default_day = rng.randint(days // 3, days - 150)
        result.append(Customer(index, propensities[index],
                               round(size, -2), default_day))
    return result


def invoices(portfolio, params=PARAMS, seed=DEFAULT_SEED):
    """Every invoice of the history, in (day, customer) order."""
    rng = random.Random(seed + 1)
    days = history_days(params)
    months = params.months
    result = []
    for customer in portfolio:
        for month in range(months):
            start = int(month * days / months)
            end = int((month + 1) * days / months)
            for _n in range(_poisson(rng, params.invoices_per_month)):
                day = rng.randrange(start, end)
                amount = round(customer.size * math.exp(rng.gauss(0.0, 0.35)),
                               -1)
                disputed = rng.random() < params.dispute_share
                late = rng.random() < _late_probability(
                    customer.propensity, disputed, params)
                days_late = 0
                if late:
                    days_late = min(params.max_days_late, 1 + int(round(
                        rng.gammavariate(params.late_days_shape,
                                         params.late_days_scale))))
                if customer.default_day is not None and \
                        day + params.due_days + days_late >= \
                        customer.default_day:
                    days_late = None  # due after it stopped paying
                result.append(Invoice(customer.index, day, max(amount, 10.0),
                                      disputed, days_late))
    result.sort(key=lambda inv: (inv.day, inv.customer))
    return result


def generate(params=PARAMS, seed=DEFAULT_SEED):
    """(customers, invoices) of the demo history."""
    portfolio = customers(params, seed)
    return portfolio, invoices(portfolio, params, seed)


def _statistics(pairs):
    """pairs: (days late, disputed) of settled invoices."""
    pairs = list(pairs)
    if not pairs:
        raise ValueError("no settled invoice")
    late = [d for d, _disp in pairs if d > 0]
    disputed = [d for d, disp in pairs if disp]
    undisputed = [d for d, disp in pairs if not disp]

    def share(values):
        return sum(1 for d in values if d > 0) / float(len(values)) \
            if values else 0.0
    return {
        "invoices": len(pairs),
        "late_share": len(late) / float(len(pairs)),
        "mean_days_late": sum(d for d, _disp in pairs) / float(len(pairs)),
        "mean_days_late_when_late": sum(late) / float(len(late))
        if late else 0.0,
        "max_days_late": max(d for d, _disp in pairs),
        "dispute_share": len(disputed) / float(len(pairs)),
        "late_share_disputed": share(disputed),
        "late_share_undisputed": share(undisputed),
    }


def ledger_statistics(generated):
    """The calibration figures of generated invoices (settled ones)."""
    return _statistics((inv.days_late, inv.disputed) for inv in generated
                       if inv.days_late is not None)


def csv_statistics(rows):
    """The same figures of the IBM sample's rows (dicts of the CSV)."""
    return _statistics((int(row["DaysLate"]), row["Disputed"] == "Yes")
                       for row in rows)
