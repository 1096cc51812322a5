from . import credit_check_decision
