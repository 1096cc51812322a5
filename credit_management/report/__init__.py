from . import credit_xlsx_base
from . import credit_portfolio_xlsx
from . import credit_report_partner
from . import credit_held_orders_xlsx
from . import credit_check_report
from . import credit_report_forms
from . import credit_report_dossier
