"""Generated views: pages computed from front matter (campaigns, results, people, tags,
reviews, the home page's summary and the campaign calendar). Nobody writes them by hand.

Each module holds the pure computation of one view (tested directly) and its generator;
templates in `views/*.html` hold the markup. Indexes are computed once per language.
"""

from __future__ import annotations

from typing import Any

from generator.site.context import OutputFile, SiteContext


def view_page(site: SiteContext, lang: str, suffix: str, title: str, template: str, **extra: Any) -> OutputFile:
    """Render one view page at the language-relative URL `suffix`."""
    url = site.playbook.prefixes[lang] + suffix
    context = site.page(lang, url, title, None, **extra)
    return site.html(f"views/{template}", context, f"{suffix or 'home'} view ({lang})")
