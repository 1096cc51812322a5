# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import credit_cron_mixin
from . import credit_aging
from . import credit_warning
from . import credit_collection_log
