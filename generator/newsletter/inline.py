"""CSS inlining for e-mail with premailer: network off, `@media` rules kept in a <style>
block, `width`/`height` attributes left as the markup wrote them (premailer would copy CSS
values such as `height: auto` into them), merge tags (which HTML serialisers would
percent-encode) restored verbatim.

premailer (with cssutils and requests behind it) is imported on first use: a rebuild whose
e-mails all come from the build cache never pays for loading it."""

from __future__ import annotations

import logging
from html import escape

MERGE_TAG_PLACEHOLDER = "playbook-merge-tag-unsubscribe"


def inline_css(html: str, unsubscribe_tag: str) -> str:
    """The e-mail document with styles inlined; `MERGE_TAG_PLACEHOLDER` becomes `unsubscribe_tag`."""
    from premailer import Premailer

    inliner = Premailer(
        html,
        allow_network=False,
        keep_style_tags=False,
        remove_classes=False,
        strip_important=False,
        disable_validation=True,
        disable_basic_attributes=["width", "height"],  # keep the markup's pixel sizes, never height="auto"
        cssutils_logging_level=logging.CRITICAL,
    )
    inlined = inliner.transform(pretty_print=False)
    return "<!doctype html>\n" + inlined.replace(MERGE_TAG_PLACEHOLDER, escape(unsubscribe_tag))
