"""UI strings marked in Python, so that `generator.commands.catalogs` extracts them into the theme's
catalogs. Translating them is the Localizer's job (`generator.i18n`)."""

from __future__ import annotations

from typing import NamedTuple


class Msgid(NamedTuple):
    """A UI string as a catalog holds it; `context` tells the same English word in two senses apart."""

    message: str
    context: str | None = None


def gettext_noop(message: str) -> str:
    """Marks a msgid defined in Python for extraction."""
    return message


def pgettext_noop(context: str, message: str) -> Msgid:
    """Marks a msgid with a context (the same English word may translate differently)."""
    return Msgid(message, context)
