from . import credit_check_decision
from . import credit_report_export
