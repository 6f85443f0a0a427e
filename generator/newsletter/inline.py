"""CSS inlining for e-mail with premailer: network off, `@media` rules kept in a <style>
block, `width`/`height` attributes left as the markup wrote them (premailer would copy CSS
values such as `height: auto` into them), merge tags (which HTML serialisers would
percent-encode) restored verbatim.

Every issue carries the same stylesheet, and premailer caches only cssutils' parse of it: it
derives the rules (serialising every property) and serialises the leftover `@media` rules
again for each e-mail, most of its time. `_MemoPremailer` remembers both per stylesheet
text and per the settings they depend on, within the process; the rest of `transform` is
premailer's own.

premailer (with cssutils and requests behind it) is imported on first use: a rebuild whose
e-mails all come from the build cache never pays for loading it."""

from __future__ import annotations

import logging
from functools import cache
from html import escape
from typing import Any, NamedTuple

MERGE_TAG_PLACEHOLDER = "playbook-merge-tag-unsubscribe"
MEMO_SIZE = 16  # stylesheets remembered (a `serve` session sees a few as the theme is edited)
PREMAILER_OPTIONS: dict[str, Any] = {
    "allow_network": False,
    "keep_style_tags": False,
    "remove_classes": False,
    "strip_important": False,
    "disable_validation": True,
    "disable_basic_attributes": ("width", "height"),  # keep the markup's pixel sizes, never height="auto"
    "cssutils_logging_level": logging.CRITICAL,
}


def inline_css(html: str, unsubscribe_tag: str) -> str:
    """The e-mail document with styles inlined; `MERGE_TAG_PLACEHOLDER` becomes `unsubscribe_tag`."""
    inlined = memo_premailer()(html, **PREMAILER_OPTIONS).transform(pretty_print=False)
    return "<!doctype html>\n" + inlined.replace(MERGE_TAG_PLACEHOLDER, escape(unsubscribe_tag))


class RuleSettings(NamedTuple):
    """The Premailer settings that `_parse_style_rules` reads."""

    strip_important: bool
    exclude_pseudoclasses: bool
    include_star_selectors: bool
    disable_validation: bool


class Leftover(list):
    """What stays in the <style> block (premailer's leftover rules), with its CSS text."""

    css: str = ""


class StyleRules(NamedTuple):
    rules: list[Any]
    leftover: Leftover


class StyleKey(NamedTuple):
    settings: RuleSettings
    css_body: str
    ruleset_index: int  # part of every rule's specificity


_STYLES: dict[StyleKey, StyleRules] = {}


@cache
def memo_premailer() -> type:
    """The Premailer subclass (defined on first use, so that premailer loads lazily)."""
    from premailer import Premailer

    class _MemoPremailer(Premailer):
        """Premailer that derives each stylesheet's rules and leftover CSS once per process."""

        def _parse_style_rules(self, css_body: str, ruleset_index: int) -> tuple[list[Any], Leftover]:
            settings = RuleSettings(
                self.strip_important, self.exclude_pseudoclasses, self.include_star_selectors, self.disable_validation
            )
            key = StyleKey(settings, css_body, ruleset_index)
            derived = _STYLES.get(key) or _remember(key, self._derive(css_body, ruleset_index))
            return list(derived.rules), derived.leftover

        def _css_rules_to_string(self, rules: list[Any]) -> str:
            return rules.css if isinstance(rules, Leftover) else super()._css_rules_to_string(rules)

        def _derive(self, css_body: str, ruleset_index: int) -> StyleRules:
            rules, leftover = super()._parse_style_rules(css_body, ruleset_index)
            remembered = Leftover(leftover)
            remembered.css = super()._css_rules_to_string(leftover) if leftover else ""
            return StyleRules(rules, remembered)

    return _MemoPremailer


def _remember(key: StyleKey, derived: StyleRules) -> StyleRules:
    """Keep `derived`, forgetting the oldest stylesheet beyond MEMO_SIZE."""
    if len(_STYLES) >= MEMO_SIZE:
        del _STYLES[next(iter(_STYLES))]
    _STYLES[key] = derived
    return derived
