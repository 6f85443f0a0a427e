"""The registry of document types (generator/content/doctypes.py) is the one place a type is declared:
each type has its layout, archetype and translated label in the built-in theme, the views
that list it can read it, and validation, pages and `playbook new` follow the registry."""

from __future__ import annotations

import pytest

from generator.content.doctypes import NAMES, TYPES, DocType, listed_in
from generator.content.schema import Campaign, Newsletter
from generator.i18n import Localizer, load_translations
from generator.site.theme import BUILTIN_THEME
from generator.urls import folder_title
from tests.conftest import Project, run_cli

TRANSLATED = ("es", "bg", "fi")
VIEW_NEEDS = {
    "campaigns": lambda schema: issubclass(schema, Campaign),
    "newsletters": lambda schema: issubclass(schema, Newsletter),
    "results": lambda schema: "objectives" in schema.model_fields,
}


@pytest.mark.parametrize("doctype", TYPES, ids=NAMES)
def test_every_type_has_a_layout_and_an_archetype(doctype: DocType) -> None:
    assert (BUILTIN_THEME / "templates" / doctype.layout).is_file()
    assert (BUILTIN_THEME / "archetypes" / doctype.archetype).is_file()
    archetype = (BUILTIN_THEME / "archetypes" / doctype.archetype).read_text(encoding="utf-8")
    assert doctype.name == "page" or f"\ntype: {doctype.name}\n" in archetype


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_type_has_a_label_in_every_shipped_language(lang: str) -> None:
    localizer = Localizer(lang, load_translations([BUILTIN_THEME], lang))
    english = Localizer("en", load_translations([BUILTIN_THEME], "en"))
    for doctype in TYPES:
        assert doctype.label.context == "document type"
        assert english.label("type", doctype.name) == doctype.label.message
        assert localizer.label("type", doctype.name) != doctype.label.message, (lang, doctype.name)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_default_folder_has_a_translated_title(lang: str) -> None:
    """`playbook new` puts a type in its section folder; a folder without index.md is titled
    by `Localizer.section_title`, which must know the folder's name."""
    localizer = Localizer(lang, load_translations([BUILTIN_THEME], lang))
    for doctype in TYPES:
        if doctype.section:
            assert localizer.section_title(doctype.section) != folder_title(doctype.section), (lang, doctype.name)


def test_the_views_can_read_the_types_they_list() -> None:
    for view, can_read in VIEW_NEEDS.items():
        assert listed_in(view), f"no type is listed in {view}"  # type: ignore[arg-type]
        for name in listed_in(view):  # type: ignore[arg-type]
            schema = next(t.schema for t in TYPES if t.name == name)
            assert can_read(schema), (view, name)
    assert {view for doctype in TYPES for view in doctype.views} <= set(VIEW_NEEDS)


def test_each_type_is_rendered_with_its_own_layout(project: Project) -> None:
    fronts = {
        "campaign": "start: 2026-03-01\nend: 2026-05-31",
        "newsletter": "issue: 1\ndate: 2026-03-01",
        "report": "strategy: strategy.md\nperiod: {start: 2026-03-01, end: 2026-03-31}",
    }
    for name in NAMES:
        project.page(f"kinds/{name}.md", f"title: A {name}\ntype: {name}\n{fronts.get(name, '')}", "Text.\n")
    result = project.cli("build", "--build-date", "2026-04-01")
    assert result.exit_code == 0, result.output
    for name in NAMES:
        assert f'<body class="layout-{name}">' in project.read(f"site/kinds/{name}/index.html")


def test_an_unknown_type_names_the_registered_ones(project: Project) -> None:
    project.page("odd.md", "title: Odd\ntype: memo")
    result = project.cli("check")
    assert result.exit_code == 1
    assert f"content/odd.md:3: type: unknown type 'memo'; expected one of: {', '.join(NAMES)}" in result.output
    new = run_cli("new", "memo", "A memo", "--dir", str(project.root))
    assert new.exit_code == 2 and "'memo' is not one of 'page', 'strategy'" in new.output
