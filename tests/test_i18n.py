"""A playbook in four languages (en, es, bg, fi): switcher, hreflang, lang, fallback notice,
locale formats, Cyrillic URLs and anchors, all checked in the built HTML."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.build.pipeline import BuildOptions, build
from tests.conftest import BASIC_PEOPLE, Project

CONFIG = """\
site_name: Cycling Playbook
site_url: https://intranet.example.com/playbook/
languages: {en: English, es: Español, bg: Български, fi: Suomi}
default_language: en
"""

CAMPAIGN = """\
title: {title}
type: campaign
start: 2026-11-02
end: 2027-01-31
budget: {{amount: 12500, currency: EUR}}
"""

TITLES = {
    "en": ("Home", "Plan", "Winter Commute", "Tone of voice"),
    "es": ("Inicio", "Plan", "Invierno en bici", "Tono de voz"),
    "bg": ("Начало", "План", "Зима с колело", "Тон"),
    "fi": ("Etusivu", "Suunnitelma", "Talvipyöräily", None),
}


def make_playbook(root: Path) -> Project:
    project = Project(root)
    project.write("playbook.yml", CONFIG)
    project.write("content/people.yml", BASIC_PEOPLE)
    for lang, (home, plan, campaign, tone) in TITLES.items():
        project.page(f"{lang}/index.md", f"title: {home}")
        project.page(f"{lang}/strategy/plan.md", f"title: {plan}\ntype: strategy", "## Цели\n\nText.\n")
        project.page(f"{lang}/campaigns/winter.md", CAMPAIGN.format(title=campaign))
        if tone:
            project.page(f"{lang}/guidelines/tone.md", f"title: {tone}\ntype: guideline")
    project.page(
        "bg/новини/първа-новина.md",
        "title: Първа новина",
        "Вижте [целите](../strategy/plan.md#цели) и [раздела](#подробности).\n\n## Подробности\n",
    )
    return project


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_playbook(tmp_path_factory.mktemp("i18n") / "pb")
    build(project.root, BuildOptions(build_date=dt.date(2026, 10, 1)))
    return project.root / "site"


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def switcher(page: str) -> dict[str, str]:
    """hreflang -> href of each link in the language switcher."""
    nav = re.search(r'<nav class="language-switcher".*?</nav>', page, re.S)
    assert nav is not None
    return dict((lang, href) for href, lang in re.findall(r'<a href="([^"]*)" hreflang="([^"]+)"', nav.group(0)))


def alternates(page: str) -> dict[str, str]:
    return {lang: href for lang, href in re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page)}


def resolve(from_url: str, href: str) -> str:
    """The site-relative path a relative link on page `from_url` leads to."""
    path = unquote(urlsplit(href).path)
    return posixpath.normpath(posixpath.join(from_url, path)) + ("/" if path.endswith("/") else "")


def normalised(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


@pytest.mark.parametrize("lang, prefix", [("en", ""), ("es", "es/"), ("bg", "bg/"), ("fi", "fi/")])
def test_every_page_declares_its_language(site: Path, lang: str, prefix: str) -> None:
    for url in ("", "strategy/plan/", "campaigns/winter/", "guidelines/tone/"):
        assert f'<html lang="{lang}" dir="ltr">' in html(site, prefix + url)


def test_switcher_goes_to_the_same_page_in_each_language(site: Path) -> None:
    links = switcher(html(site, "es/strategy/plan/"))
    assert {lang: resolve("es/strategy/plan/", href) for lang, href in links.items()} == {
        "en": "strategy/plan/",
        "bg": "bg/strategy/plan/",
        "fi": "fi/strategy/plan/",
    }


def test_missing_translation_is_a_fallback_with_a_notice_in_the_readers_language(site: Path) -> None:
    page = html(site, "fi/guidelines/tone/")
    assert "Tätä sivua ei ole vielä käännetty kielelle suomi, joten se näytetään kielellä englanti." in page
    assert re.search(r'<article class="document" data-pagefind-body[^>]* lang="en">', page)
    assert "<h1>Tone of voice</h1>" in page
    assert '<link rel="canonical" href="https://intranet.example.com/playbook/guidelines/tone/">' in page
    assert "Edit this page" not in page
    assert "notice-fallback" not in html(site, "es/guidelines/tone/")


def test_switcher_marks_the_untranslated_language(site: Path) -> None:
    page = html(site, "guidelines/tone/")
    links = switcher(page)
    assert resolve("guidelines/tone/", links["fi"]) == "fi/guidelines/tone/"
    assert re.search(r'hreflang="fi" lang="fi" class="not-translated" title="Not translated yet">Suomi', page)
    assert 'class="not-translated"' not in page.split('hreflang="es"')[1].split("</a>")[0]


def test_hreflang_lists_only_real_translations(site: Path) -> None:
    base = "https://intranet.example.com/playbook/"
    assert alternates(html(site, "guidelines/tone/")) == {
        "en": f"{base}guidelines/tone/",
        "es": f"{base}es/guidelines/tone/",
        "bg": f"{base}bg/guidelines/tone/",
        "x-default": f"{base}guidelines/tone/",
    }
    assert set(alternates(html(site, "fi/guidelines/tone/"))) == {"en", "es", "bg", "x-default"}
    assert set(alternates(html(site, "fi/strategy/plan/"))) == {"en", "es", "bg", "fi", "x-default"}


def test_page_missing_everywhere_else_links_to_each_home_with_a_notice(site: Path) -> None:
    url = "bg/новини/първа-новина/"
    links = switcher(html(site, url))
    assert links["en"] == "../../../#not-translated"
    assert resolve(url, links["fi"]) == "fi/"
    assert links["fi"].endswith("#not-translated")
    assert '<div id="not-translated" class="notice target-notice" role="note">Sivu, jolta tulit,' in html(site, "fi/")
    assert alternates(html(site, url)) == {
        "bg": "https://intranet.example.com/playbook/bg/%D0%BD%D0%BE%D0%B2%D0%B8%D0%BD%D0%B8/%D0%BF%D1%8A%D1%80%D0%B2%D0%B0-%D0%BD%D0%BE%D0%B2%D0%B8%D0%BD%D0%B0/"
    }


@pytest.mark.parametrize(
    "lang, budget, launch, status",
    [
        ("en", "€12,500.00", "November 2, 2026", "Planned"),
        ("es", "12.500,00 €", "2 de noviembre de 2026", "Planificada"),
        ("bg", "12 500,00 €", "2 ноември 2026 г.", "Планирана"),
        ("fi", "12 500,00 €", "2. marraskuuta 2026", "Suunniteltu"),
    ],
)
def test_budget_dates_and_status_follow_the_locale(
    site: Path, lang: str, budget: str, launch: str, status: str
) -> None:
    page = normalised(html(site, ("" if lang == "en" else f"{lang}/") + "campaigns/winter/"))
    assert f'<dd class="fact-figure">{budget}</dd>' in page
    assert f'<time datetime="2026-11-02">{launch}</time>' in page
    assert f'<span class="status status-planned" data-pagefind-ignore>{status}</span>' in page


def test_interface_strings_are_translated(site: Path) -> None:
    page = html(site, "bg/campaigns/winter/")
    assert '<nav class="language-switcher" aria-label="Език">' in page
    assert '<p class="doc-type">Кампания</p>' in page
    assert "<dt>Бюджет</dt>" in page
    assert ">Кампании</a>" in page, "the generated section is titled in Bulgarian"
    assert "<h1>Kampanjat</h1>" in html(site, "fi/campaigns/")


def test_cyrillic_file_names_make_unicode_urls_with_encoded_links(site: Path) -> None:
    url = "bg/новини/първа-новина/"
    assert (site / url / "index.html").is_file()
    page = html(site, url)
    href = re.search(r'<a href="([^"]+)">целите</a>', page).group(1)
    assert href == "../../strategy/plan/#%D1%86%D0%B5%D0%BB%D0%B8"
    assert resolve(url, href) == "bg/strategy/plan/"
    assert '<h2 id="цели"' in html(site, "bg/strategy/plan/")
    assert '<a href="#%D0%BF%D0%BE%D0%B4%D1%80%D0%BE%D0%B1%D0%BD%D0%BE%D1%81%D1%82%D0%B8">раздела</a>' in page
    assert '<h2 id="подробности"' in page


def test_broken_cyrillic_anchor_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    project = make_playbook(tmp_path / "pb")
    project.page("bg/strategy/links.md", "title: Връзки", "Текст.\n\n[x](plan.md#нищо)\n")
    result = project.cli("check")
    assert result.exit_code == 1
    assert "content/bg/strategy/links.md:6: link: no heading #нищо in content/bg/strategy/plan.md" in result.output


@pytest.mark.parametrize("prefix, lang, title", [("", "en", "Page not found"), ("es/", "es", "Página no encontrada")])
def test_not_found_page_in_each_language(site: Path, prefix: str, lang: str, title: str) -> None:
    page = (site / prefix / "404.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}"' in page
    assert f"<h1>{title}</h1>" in page
    assert f'<base href="/playbook/{prefix}">' in page
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)">', page).group(1)
    assert (site / posixpath.normpath(prefix + stylesheet)).is_file()
