"""Print an Odoo configuration file for DATABASE with this repository's addons."""
import os
import sys

import odoo.addons

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
lines = [
    "[options]",
    "db_name = %s" % sys.argv[1],
    "addons_path = %s,%s" % (root, os.path.dirname(odoo.addons.__file__)),
    "data_dir = %s" % os.path.join(root, "var", "data"),
]
for env, key in (("PGHOST", "db_host"), ("PGPORT", "db_port"),
                 ("PGUSER", "db_user"), ("PGPASSWORD", "db_password")):
    if os.environ.get(env):
        lines.append("%s = %s" % (key, os.environ[env]))
print("\n".join(lines))
