"""The e-mail CSS inliner remembers what it derives from each stylesheet: its output must be
premailer's own, whatever stylesheets and settings came before in the same process."""

from __future__ import annotations

import pytest
from premailer import Premailer

from generator.newsletter.inline import MERGE_TAG_PLACEHOLDER, PREMAILER_OPTIONS, inline_css, memo_premailer

PAGE = """<!doctype html>
<html><head><style>{css}</style></head>
<body><table class="box"><tr><td class="cell"><p>Hello <a href="{merge}">there</a></p></td></tr></table>
</body></html>"""


def stylesheet(colour: str, narrow: int) -> str:
    return (
        f".box {{ width: 100%; background-color: {colour}; }}\n"
        f".cell {{ padding: 8px; color: {colour} !important; }}\n"
        "p { margin: 0 0 14px; }\n"
        "a:hover { text-decoration: none; }\n"
        f"@media (max-width: {narrow}px) {{ .cell {{ padding: 4px; }} p {{ font-size: 15px; }} }}\n"
    )


def page(css: str) -> str:
    return PAGE.format(css=css, merge=MERGE_TAG_PLACEHOLDER)


def test_each_stylesheet_is_inlined_as_premailer_inlines_it():
    sheets = [stylesheet("#0a7", 480), stylesheet("#c33", 480), stylesheet("#0a7", 600), stylesheet("#0a7", 480)]
    for css in sheets:
        expected = Premailer(page(css), **PREMAILER_OPTIONS).transform(pretty_print=False)
        assert inline_css(page(css), "*|UNSUB|*") == "<!doctype html>\n" + expected.replace(
            MERGE_TAG_PLACEHOLDER, "*|UNSUB|*"
        )


@pytest.mark.parametrize("order", [(False, True, False), (True, False, True)])
def test_settings_the_rules_depend_on_are_not_shared(order):
    css = stylesheet("#369", 520)
    for strip_important in order:
        options = {**PREMAILER_OPTIONS, "strip_important": strip_important}
        expected = Premailer(page(css), **options).transform(pretty_print=False)
        assert memo_premailer()(page(css), **options).transform(pretty_print=False) == expected
        assert ("!important" in expected) is not strip_important
