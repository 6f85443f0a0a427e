"""Localisation: UI string catalogs (gettext .po through Babel) and locale formatting.

A `Localizer` is everything a template needs to speak one language: translated strings
with English fallback, plural forms, and Babel's dates, numbers and currencies.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations, Translations

CATALOG = "messages.po"
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur"})


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
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, count: int, **values: object) -> str:
        text = self.translations.ngettext(singular, plural, count)
        return text % {"num": self.number(count), **values}

    def date(self, value: dt.date | None, fmt: str = "medium") -> str:
        return format_date(value, fmt, locale=self.locale) if value else ""

    def month(self, value: dt.date) -> str:
        return format_date(value, "LLL yyyy", locale=self.locale)

    def number(self, value: float | Decimal | int | None) -> str:
        return "" if value is None else format_decimal(value, locale=self.locale)

    def currency(self, amount: float | Decimal, code: str) -> str:
        return format_currency(amount, code, locale=self.locale)

    def percent(self, value: float | None) -> str:
        return "" if value is None else format_percent(value, locale=self.locale)

    @property
    def display_name(self) -> str:
        return (self.locale.get_display_name(self.locale) or self.lang).capitalize()


def localizers(theme_dirs: list[Path], languages: list[str]) -> dict[str, Localizer]:
    return {lang: Localizer(lang, load_translations(theme_dirs, lang)) for lang in languages}
