"""Localisation: UI string catalogs (gettext .po through Babel) and locale formatting.

A `Localizer` is everything a template needs to speak one language: translated strings
with English fallback, plural forms, and Babel's dates, numbers and currencies.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_interval
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import (
    format_currency,
    format_decimal,
    format_percent,
    get_minus_sign_symbol,
    get_plus_sign_symbol,
)
from babel.support import NullTranslations, Translations

from generator.content.doctypes import TYPES
from generator.msgids import Msgid, gettext_noop, pgettext_noop
from generator.urls import folder_title

CATALOG = "messages.po"
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur"})


LABELS: dict[tuple[str, str], Msgid] = {
    **{("type", doctype.name): doctype.label for doctype in TYPES},
    ("campaign", "planned"): pgettext_noop("campaign status", "Planned"),
    ("campaign", "running"): pgettext_noop("campaign status", "Running"),
    ("campaign", "ended"): pgettext_noop("campaign status", "Ended"),
    ("action", "planned"): pgettext_noop("action status", "Planned"),
    ("action", "in-progress"): pgettext_noop("action status", "In progress"),
    ("action", "done"): pgettext_noop("action status", "Done"),
    ("action", "blocked"): pgettext_noop("action status", "Blocked"),
    ("objective", "off-track"): Msgid(gettext_noop("Off track")),
    ("objective", "in-progress"): Msgid(gettext_noop("In progress")),
    ("objective", "on-track"): Msgid(gettext_noop("On track")),
    ("objective", "done"): Msgid(gettext_noop("Reached")),
    ("objective", "not-measured"): Msgid(gettext_noop("Not measured yet")),
}
"""Names of document types, statuses and states as templates show them:
`i18n.label("type", doc.type)`, `i18n.label("campaign", status)`, `i18n.label("objective", state)`."""

SECTION_TITLES: dict[str, str] = {
    "strategy": gettext_noop("Strategy"),
    "guidelines": gettext_noop("Guidelines"),
    "campaigns": gettext_noop("Campaigns"),
    "newsletters": gettext_noop("Newsletters"),
    "people": gettext_noop("People"),
    "reports": gettext_noop("Reports"),
}
"""English titles of usual folder names, translated for a folder that has no index.md."""


def catalog_path(theme_dir: Path, lang: str) -> Path:
    return theme_dir / "locales" / lang / "LC_MESSAGES" / CATALOG


def read_catalog(path: Path, lang: str) -> Catalog | None:
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=lang.replace("-", "_"))


def _translations(catalog: Catalog) -> Translations:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def load_translations(theme_dirs: list[Path], lang: str) -> NullTranslations:
    """Merge catalogs so that earlier theme folders (user overrides) win."""
    merged: NullTranslations = NullTranslations()
    for theme_dir in reversed(theme_dirs):
        catalog = read_catalog(catalog_path(theme_dir, lang), lang)
        if catalog is None:
            continue
        layer = _translations(catalog)
        if isinstance(merged, Translations):
            merged.merge(layer)
        else:
            merged = layer
    return merged


@dataclass
class Localizer:
    """Strings and formats for one language."""

    lang: str
    translations: NullTranslations

    @cached_property
    def locale(self) -> Locale:
        return Locale.parse(self.lang.replace("-", "_"))

    @property
    def direction(self) -> str:
        return "rtl" if self.lang.split("-")[0] in RTL_LANGUAGES else "ltr"

    def gettext(self, message: str, **values: object) -> str:
        return _interpolate(self.translations.gettext(message), message, values)

    def ngettext(self, singular: str, plural: str, count: int, **values: object) -> str:
        english = singular if count == 1 else plural
        return _interpolate(
            self.translations.ngettext(singular, plural, count), english, {"num": self.number(count), **values}
        )

    def label(self, kind: str, value: str) -> str:
        """A document type or status in this language: `label("campaign", "running")`."""
        msgid = LABELS.get((kind, value))
        if msgid is None:
            return value.replace("-", " ").capitalize()
        if msgid.context is None:
            return self.translations.gettext(msgid.message)
        return self.translations.pgettext(msgid.context, msgid.message)

    def section_title(self, folder_name: str) -> str:
        """Title of a folder without index.md: a translated usual name, else the folder name."""
        english = SECTION_TITLES.get(folder_name.casefold())
        return self.gettext(english) if english else folder_title(folder_name)

    def date(self, value: dt.date | None, fmt: str = "medium") -> str:
        return _remembered(format_date, value, fmt, locale=self.locale) if value else ""

    def period(self, start: dt.date, end: dt.date) -> str:
        """A span of days as this locale writes it: `Sep 28 – Nov 22, 2026`."""
        return _remembered(format_interval, start, end, "yMMMd", locale=self.locale)

    def month(self, value: dt.date) -> str:
        return _remembered(format_date, value, "LLL yyyy", locale=self.locale)

    def number(self, value: float | Decimal | int | None) -> str:
        return "" if value is None else _remembered(format_decimal, value, locale=self.locale)

    def currency(self, amount: float | Decimal, code: str) -> str:
        return _remembered(format_currency, amount, code, locale=self.locale)

    def percent(self, value: float | None) -> str:
        return "" if value is None else _remembered(format_percent, value, locale=self.locale)

    def signed_number(self, value: float) -> str:
        """A change with its sign, in this locale: `+4,850`, `−0.2`, `0`."""
        return self._signed(value, self.number(abs(value)))

    def signed_percent(self, value: float | None) -> str:
        """A relative change with its sign: `+18%`; '' when there is none (from zero)."""
        return "" if value is None else self._signed(value, self.percent(abs(value)))

    def _signed(self, value: float, magnitude: str) -> str:
        if value > 0:
            return get_plus_sign_symbol(self.locale) + magnitude
        if value < 0:
            return get_minus_sign_symbol(self.locale) + magnitude
        return magnitude

    def language_name(self, code: str) -> str:
        """The name of language `code` in this language, as a sentence uses it: "inglés"."""
        return Locale.parse(code.replace("-", "_")).get_display_name(self.locale) or code


# Babel formats a value anew on every call, and every page shows the same few dates and
# figures (its own and the build's): each is formatted once per process.
FORMATS_REMEMBERED = 8192


def _remembered(format_: Callable[..., str], value: object, *args: object, **options: object) -> str:
    """`format_(value, *args, **options)`, remembered; the value's repr is part of the key,
    so that 1 and 1.0, or 0.0 and -0.0, which are equal, stay apart."""
    return _formatted(format_, repr(value), value, *args, **options)


@lru_cache(maxsize=FORMATS_REMEMBERED)
def _formatted(format_: Callable[..., str], shown: str, value: object, *args: object, **options: object) -> str:
    del shown  # a part of the key only
    return format_(value, *args, **options)


def _interpolate(text: str, english: str, values: dict[str, object]) -> str:
    """`text % values`; a translation with broken placeholders falls back to English."""
    if not values:
        return text
    try:
        return text % values
    except (KeyError, ValueError, TypeError):
        return english % values


def localizers(theme_dirs: list[Path], languages: list[str]) -> dict[str, Localizer]:
    return {lang: Localizer(lang, load_translations(theme_dirs, lang)) for lang in languages}
