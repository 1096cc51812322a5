"""11.0.1.2.0: the dossier's figures take the customer's names; a database
upgraded from 11.0.1.1.0 keeps views naming the old fields until the
pre-migration renames them (else the upgrade stops on the dossier form)."""
import importlib.util
import os

from common import CreditCommon

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_migration():
    path = os.path.join(ROOT, "credit_management", "migrations",
                        "11.0.1.2.0", "pre-migration.py")
    spec = importlib.util.spec_from_file_location("cm_pre_migration_12", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestFigureRenameMigration(CreditCommon):

    def figures_view(self):
        view = self.env["ir.ui.view"].search([
            ("model", "=", "credit.dossier"),
            ("arch_db", "like", 'name="credit_dso"')])
        self.assertEqual(len(view), 1)
        return view

    def test_stored_views_name_the_new_fields(self):
        view = self.figures_view()
        # the view as 11.0.1.1.0 stored it
        self.env.cr.execute(
            "UPDATE ir_ui_view SET arch_db = replace(replace(arch_db, "
            "'name=\"credit_dso\"', 'name=\"kpi_dso\"'), "
            "'name=\"credit_bad_debt_ratio\"', 'name=\"kpi_bad_debt_ratio\"') "
            "WHERE id = %s", (view.id,))
        view.invalidate_cache()
        self.assertIn('name="kpi_dso"', view.arch_db)
        load_migration().migrate(self.env.cr, "11.0.1.1.0")
        view.invalidate_cache()
        self.assertNotIn("kpi_", view.arch_db)
        self.assertIn('name="credit_dso"', view.arch_db)
        self.assertIn('name="credit_bad_debt_ratio"', view.arch_db)
        # and the form renders with the dossier's figures
        arch = self.env["credit.dossier"].fields_view_get(
            view_id=self.env.ref(
                "credit_management.credit_dossier_view_form").id,
            view_type="form")["arch"]
        self.assertIn("credit_dso", arch)

    def test_new_database_untouched(self):
        view = self.figures_view()
        before = view.arch_db
        load_migration().migrate(self.env.cr, None)
        view.invalidate_cache()
        self.assertEqual(view.arch_db, before)
