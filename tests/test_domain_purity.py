"""The domain package stays free of Odoo: plain Python, millisecond tests."""
import ast
import os

DOMAIN = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "credit_management", "domain")


def _imported_modules(path):
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                yield node.module or ""
            elif node.level > 1:
                # relative import leaving the package (from .. import x)
                yield "..%s" % (node.module or "")


def test_domain_has_python_files():
    """The scan below looks at real files."""
    files = [f for f in os.listdir(DOMAIN) if f.endswith(".py")]
    assert "__init__.py" in files and len(files) > 3


def test_domain_imports_no_odoo():
    """No module of credit_management/domain imports odoo or leaves the package."""
    offenders = []
    for dirpath, _dirs, files in os.walk(DOMAIN):
        for name in files:
            if not name.endswith(".py"):
                continue
            path = os.path.join(dirpath, name)
            for module in _imported_modules(path):
                if module.split(".")[0] == "odoo" or module.startswith(".."):
                    offenders.append("%s imports %s" % (name, module))
    assert offenders == []


def test_purity_scan_catches_odoo_import(tmp_path):
    """The scanner itself recognises an odoo import (so the test above can fail)."""
    bad = tmp_path / "bad.py"
    bad.write_text("from odoo import fields\nimport odoo.tools\n")
    assert list(_imported_modules(str(bad))) == ["odoo", "odoo.tools"]
