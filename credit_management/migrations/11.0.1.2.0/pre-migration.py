# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.2.0: one name per figure.

The dossier's copies of the customer's monitoring figures take the
customer's field names (``kpi_dso`` becomes ``credit_dso``, and so on).
Views stored in the database still name the old fields, and an extension
view updated before the dossier form would be checked against the old form:
rename the fields in the stored views first.
"""
RENAMED = ("dso", "overdue_ratio", "avg_days_late", "bad_debt_ratio")


def rename_dossier_figures(cr):
    for name in RENAMED:
        cr.execute("""
            UPDATE ir_ui_view
               SET arch_db = replace(arch_db, %s, %s)
             WHERE model = 'credit.dossier' AND arch_db LIKE %s
        """, ('name="kpi_%s"' % name, 'name="credit_%s"' % name,
              '%%name="kpi_%s"%%' % name))


def migrate(cr, version):
    if not version:
        return
    rename_dossier_figures(cr)
