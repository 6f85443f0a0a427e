"""Gettext catalogs of the theme: complete for es/bg/fi, refreshed by `make i18n` without losing
translations, checked by `playbook check`, overridable per project, with English fallback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from generator.commands.catalogs import TEMPLATE, missing_translations, update
from generator.i18n import Localizer, catalog_path, load_translations
from generator.site.theme import BUILTIN_THEME
from tests.conftest import Project

LANGUAGES = ("es", "bg", "fi")
FOUR_LANGUAGES = """\
site_name: Test Playbook
languages: {en: English, es: Español, bg: Български, fi: Suomi}
"""


def read(path: Path, lang: str | None = None):
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_translates_every_string_of_the_template(lang: str) -> None:
    template = read(BUILTIN_THEME / "locales" / TEMPLATE)
    catalog = read(catalog_path(BUILTIN_THEME, lang), lang)
    untranslated = [
        message.id
        for message in template
        if message.id
        and (
            (entry := catalog.get(message.id, message.context)) is None
            or entry.fuzzy
            or not (all(entry.string) if isinstance(entry.string, tuple) else entry.string)
        )
    ]
    assert untranslated == [], "run `make i18n` and translate these"
    assert len(template) > 60


def test_plural_forms_and_numbers_follow_the_language() -> None:
    bg = Localizer("bg", load_translations([BUILTIN_THEME], "bg"))
    more = ("%(num)s more page", "%(num)s more pages")
    assert bg.ngettext(*more, 1) == "още 1 страница"
    assert bg.ngettext(*more, 1200).replace("\xa0", " ").replace("\u202f", " ") == "още 1 200 страници"
    fi = Localizer("fi", load_translations([BUILTIN_THEME], "fi"))
    assert fi.ngettext(*more, 3) == "3 sivua lisää"
    assert fi.percent(0.25).replace("\xa0", " ") == "25 %"


def test_broken_placeholder_in_a_translation_falls_back_to_english(tmp_path: Path) -> None:
    theme = tmp_path / "themes"
    path = catalog_path(theme, "es")
    path.parent.mkdir(parents=True)
    path.write_text('msgid "Built on %(date)s"\nmsgstr "Generado el %(fecha)s"\n', encoding="utf-8")
    es = Localizer("es", load_translations([theme, BUILTIN_THEME], "es"))
    assert es.gettext("Built on %(date)s", date="hoy") == "Built on hoy"
    assert es.gettext("Home") == "Inicio", "the built-in catalog still answers under the override"


def test_update_extracts_new_strings_and_keeps_translations(tmp_path: Path) -> None:
    theme = tmp_path / "playbook"
    shutil.copytree(BUILTIN_THEME / "templates", theme / "templates")
    shutil.copytree(BUILTIN_THEME / "locales", theme / "locales")
    (theme / "templates" / "partials" / "extra.html").write_text(
        '{{ _("Sustainability report") }} {{ ngettext("%(num)s bike", "%(num)s bikes", 2) }}', encoding="utf-8"
    )
    (theme / "templates" / "guideline.html").unlink()

    summary = update(theme, add=["de"])

    template = read(theme / "locales" / TEMPLATE)
    assert "Sustainability report" in template
    assert template.get("%(num)s bike").id == ("%(num)s bike", "%(num)s bikes")
    assert "Audience" not in template, "a string no template uses any more leaves the catalogs"
    es = read(catalog_path(theme, "es"), "es")
    assert es.get("Budget").string == "Presupuesto"
    assert es.get("Sustainability report").string == ""
    assert es.get("Audience") is None
    assert (theme / "locales" / "de" / "LC_MESSAGES" / "messages.po").is_file()
    assert any(line.startswith("es: ") and "new: 'Sustainability report'" in line for line in summary)


def override_with_new_string(project: Project) -> None:
    project.write(
        "themes/templates/home.html",
        '{% extends "base.html" %}{% block main %}<p class="greeting">{{ _("Ride safely") }}</p>{% endblock %}',
    )
    for lang in ("es", "bg", "fi"):
        project.page(f"{lang}/index.md", "title: Home")


def test_check_lists_a_string_missing_from_every_catalog(make_project) -> None:
    project = make_project(config=FOUR_LANGUAGES)
    project.page("index.md", "title: Home")
    override_with_new_string(project)
    project.write(
        "themes/locales/es/LC_MESSAGES/messages.po",
        'msgid "Ride safely"\nmsgstr "Circula con cuidado"\n',
    )
    result = project.cli("check")
    assert result.exit_code == 0
    assert (
        "themes/locales/fi/LC_MESSAGES/messages.po: translation: warning: 'Ride safely' "
        "(templates/home.html:1) is not translated into Suomi (fi); shown in English"
    ) in result.output
    assert "not translated into Български (bg)" in result.output
    assert "not translated into Español" not in result.output

    assert project.cli("build").exit_code == 0
    assert '<p class="greeting">Circula con cuidado</p>' in project.read("site/es/index.html")
    assert '<p class="greeting">Ride safely</p>' in project.read("site/fi/index.html")
    assert '<nav class="language-switcher" aria-label="Kieli">' in project.read("site/fi/index.html")


def test_an_emptied_entry_is_reported_at_its_line(tmp_path: Path) -> None:
    theme = tmp_path / "playbook"
    shutil.copytree(BUILTIN_THEME, theme)
    path = catalog_path(theme, "bg")
    source = path.read_text(encoding="utf-8")
    path.write_text(source.replace('msgid "Budget"\nmsgstr "Бюджет"', 'msgid "Budget"\nmsgstr ""'), encoding="utf-8")
    line = source.splitlines().index('msgid "Budget"') + 1

    problems = missing_translations(tmp_path, [theme], {"en": "English", "bg": "Български"})

    assert [str(p) for p in problems] == [
        f"playbook/locales/bg/LC_MESSAGES/messages.po:{line}: translation: warning: 'Budget' "
        "(templates/campaign.html:23) is not translated into Български (bg); shown in English"
    ]


def test_language_without_any_catalog_is_one_warning(make_project) -> None:
    project = make_project(config="site_name: T\nlanguages: {en: English, de: Deutsch}\n")
    project.page("index.md", "title: Home")
    project.page("de/index.md", "title: Start")
    result = project.cli("check")
    assert (
        "themes/locales/de/LC_MESSAGES/messages.po: translation: warning: no catalog for Deutsch (de)" in result.output
    )
    assert result.output.count("warning:") == 1
