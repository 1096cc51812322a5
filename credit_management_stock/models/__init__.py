from . import credit_check
from . import stock_picking
