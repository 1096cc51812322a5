"""Pure credit rules: no Odoo import here (a test enforces it).

Models gather data, call these functions with plain numbers and dates,
and store what they return.
"""
from . import terms  # noqa: F401
from . import grading  # noqa: F401
from . import exposure  # noqa: F401
from . import aging  # noqa: F401
from . import risk_warnings  # noqa: F401
from . import financial  # noqa: F401
from . import payment  # noqa: F401
from . import scorecard  # noqa: F401
from . import limits  # noqa: F401
from . import scorecard_stats  # noqa: F401
from . import scorecard_fit  # noqa: F401
from . import flags  # noqa: F401
from . import demo_ledger  # noqa: F401
from . import backtest_chart  # noqa: F401
