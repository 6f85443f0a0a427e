"""Relative links between site URLs (`urls.href`, with its per-folder memo) lead where they
should: a browser resolving the link against the page's address reaches the target."""

from __future__ import annotations

from urllib.parse import quote, urljoin

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.urls import LINK_SAFE, href

SITE = "https://intranet.example.com/playbook/"
folders = st.lists(st.sampled_from(["a", "b", "ab", "café", "a b"]), max_size=4).map(
    lambda names: "".join(f"{n}/" for n in names)
)
site_url = st.tuples(folders, st.sampled_from(["", "404.html", "a.png"])).map("".join)
"""A folder URL ends in "/" ("" is the home page); a file's name has an extension."""


@settings(deadline=None)  # a shared machine: no wall-clock bound
@given(site_url, site_url, st.sampled_from(["", "notes", "ñ"]))
def test_relative_links_resolve_to_their_target(from_url: str, to_url: str, fragment: str) -> None:
    assume(to_url != from_url or from_url.endswith("/") or not from_url)  # a file links itself as "./"
    link = href(from_url, to_url, fragment)
    assert not link.startswith("/") and "://" not in link
    expected = SITE + quote(to_url, safe=LINK_SAFE) + ("#" + quote(fragment) if fragment else "")
    assert urljoin(SITE + quote(from_url, safe=LINK_SAFE), link) == expected


def test_sibling_pages_link_the_same_target_alike() -> None:
    assert href("guides/setup/", "people/ana/") == href("guides/later/", "people/ana/") == "../../people/ana/"
    assert href("guides/setup/", "guides/") == "../" and href("guides/setup/", "guides/setup/") == "./"
    assert href("guides/setup/", "guides/setup/photo.png") == "photo.png"
    assert href("guides/setup/", "guides/setupx/") == "../setupx/"
