from . import credit_check_decision
from . import credit_report_export
from . import credit_bad_debt_write_off
from . import credit_approval_reject
from . import credit_check_release_request
from . import credit_bad_debt_write_off_collateral
from . import credit_agreement_terminate
