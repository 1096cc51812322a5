"""Packaging the OCA way: README.rst and static/description/index.html are
generated from readme/*.rst (`make readme`, scripts/gen_readme.py) and never
go stale; the addon has its icon; setup/ packages it with setuptools-odoo."""
import ast
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDON = os.path.join(ROOT, "credit_management")
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import gen_readme  # noqa: E402


def _read(*parts):
    with open(os.path.join(ADDON, *parts), encoding="utf-8") as f:
        return f.read()


def test_readme_and_index_are_not_stale():
    """Edit readme/*.rst, then `make readme`: committed files match the fragments."""
    stale = [os.path.relpath(p, ROOT) for p in gen_readme.stale_files(ADDON)]
    assert stale == [], "stale, run `make readme`: %s" % ", ".join(stale)


def test_readme_has_oca_layout():
    """Title from the manifest, badges, description, then the sections in OCA's order."""
    readme = _read("README.rst")
    manifest = ast.literal_eval(_read("__manifest__.py"))
    lines = readme.splitlines()
    assert lines[1] == manifest["name"] and lines[0] == lines[2] == "=" * len(
        manifest["name"])
    assert "|badge1| |badge2| |badge3|" in readme
    assert _read("readme", "DESCRIPTION.rst").strip() in readme
    order = ["**Table of contents**", "\nInstallation\n====", "\nConfiguration\n====",
             "\nUsage\n====", "\nKnown issues / Roadmap\n====", "\nChangelog\n====",
             "\nBug Tracker\n====", "\nCredits\n====", "\nContributors\n~~~~",
             "\nMaintainers\n~~~~"]
    positions = [readme.find(marker) for marker in order]
    assert -1 not in positions, [m for m, p in zip(order, positions) if p == -1]
    assert positions == sorted(positions)


def test_every_fragment_title_is_a_section_of_the_page():
    """A fragment's sub-titles reach the README as sections (none swallowed
    by the paragraph above it, none nested under the wrong section)."""
    from docutils import nodes
    from docutils.core import publish_doctree

    tree = publish_doctree(_read("README.rst"), settings_overrides={"report_level": 5})
    usage = [s for s in tree.traverse(nodes.section)
             if s[0].astext() == "Usage"]
    assert len(usage) == 1
    sub_titles = [s[0].astext() for s in usage[0].children
                  if isinstance(s, nodes.section)]
    lines = _read("readme", "USAGE.rst").splitlines()
    titles = [lines[i - 1].replace("*", "") for i in range(1, len(lines))
              if lines[i].startswith("~~~") and len(lines[i]) == len(lines[i - 1])]
    assert len(titles) >= 5
    assert sub_titles == titles


def test_generator_refuses_a_title_glued_to_a_paragraph(tmp_path):
    """The silent docutils trap that once hid two USAGE sections is refused."""
    fragment = tmp_path / "USAGE.rst"
    fragment.write_text("Some text.\nA title\n~~~~~~~\n\nBody.\n", encoding="utf-8")
    try:
        gen_readme.read_fragment(str(fragment), "https://example.org/")
    except SystemExit as exc:
        assert "blank line" in str(exc)
    else:
        raise AssertionError("a title glued to a paragraph was accepted")


def test_icon_is_a_128_px_png():
    with open(os.path.join(ADDON, "static", "description", "icon.png"), "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (128, 128)


def test_setup_dir_packages_this_addon():
    """setup/credit_management is setuptools-odoo's layout around this addon,
    and names the distribution of every Python dependency whose import
    name differs (the manifest lists imports)."""
    setup_dir = os.path.join(ROOT, "setup", "credit_management")
    link = os.path.join(setup_dir, "odoo", "addons", "credit_management")
    assert os.path.islink(link)
    assert os.path.realpath(link) == os.path.realpath(ADDON)
    manifest = ast.literal_eval(_read("__manifest__.py"))
    assert "sklearn" in manifest["external_dependencies"]["python"]
    with open(os.path.join(setup_dir, "setup.py"), encoding="utf-8") as f:
        setup_py = f.read()
    assert "'sklearn': 'scikit-learn'" in setup_py


def test_queue_glue_is_packaged_the_same_way():
    """credit_management_queue: its README generated from its fragments, its
    setup/ entry, auto-installed with queue_job, AGPL like the addon."""
    glue = os.path.join(ROOT, "credit_management_queue")
    stale = [os.path.relpath(p, ROOT) for p in gen_readme.stale_files(glue)]
    assert stale == [], "stale, run `make readme`: %s" % ", ".join(stale)
    with open(os.path.join(glue, "__manifest__.py"), encoding="utf-8") as f:
        manifest = ast.literal_eval(f.read())
    assert manifest["auto_install"] is True
    assert manifest["license"] == "AGPL-3"
    assert sorted(manifest["depends"]) == ["credit_management", "queue_job"]
    link = os.path.join(ROOT, "setup", "credit_management_queue", "odoo",
                        "addons", "credit_management_queue")
    assert os.path.islink(link)
    assert os.path.realpath(link) == os.path.realpath(glue)
