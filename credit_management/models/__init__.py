from . import credit_term_template
from . import credit_grade
from . import credit_policy
from . import res_company
from . import res_partner
from . import credit_demo_loader
