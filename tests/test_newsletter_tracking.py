"""UTM tagging, link ids, short codes and share links (pure functions)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, parse_qsl, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from generator.newsletter.tracking import is_trackable, link_id, share_links, short_code, tag_url, utm_params

PARAMS = utm_params("newsletter", "email", "issue-15", "book-now-abc123")


def test_tagging_keeps_query_order_and_fragment():
    tagged = tag_url("https://shop.example/winter?ref=nl15&size=m#bundles", PARAMS)
    parts = urlsplit(tagged)
    assert parts.fragment == "bundles"
    assert parse_qsl(parts.query)[:2] == [("ref", "nl15"), ("size", "m")]
    assert parse_qs(parts.query)["utm_campaign"] == ["issue-15"]
    assert parse_qs(parts.query)["utm_content"] == ["book-now-abc123"]


def test_existing_utm_parameters_are_not_overwritten():
    tagged = tag_url("https://shop.example/?utm_source=partner&utm_campaign=spring", PARAMS)
    query = parse_qs(urlsplit(tagged).query)
    assert query["utm_source"] == ["partner"]
    assert query["utm_campaign"] == ["spring"]
    assert query["utm_medium"] == ["email"]


def test_untrackable_links_are_recognised():
    for url in (
        "mailto:hello@example.org",
        "tel:+34123456",
        "*|UNSUB|*",
        "https://example.org/{{ unsubscribe_url }}",
        "https://example.org/%unsubscribe_url%",
        "https://example.us1.list-manage.com/unsubscribe?u=1",
        "#section",
    ):
        assert not is_trackable(url), url
    assert is_trackable("https://example.org/caf%C3%A9?q=%E2%82%AC")


def test_link_id_is_stable_and_readable():
    assert link_id("Book a time slot", "https://a.example/") == link_id("Book a time slot", "https://a.example/")
    assert link_id("Book a time slot", "https://a.example/").startswith("book-a-time-slot-")
    assert link_id("Book a time slot", "https://a.example/") != link_id("Book a time slot", "https://b.example/")
    assert link_id("", "https://a.example/").startswith("link-")


@given(st.text(min_size=1, max_size=200))
def test_short_codes_are_url_safe_and_deterministic(target):
    code = short_code(target)
    assert code == short_code(target)
    assert re.fullmatch(r"[a-z0-9]{7}", code), code


def test_share_links_carry_their_own_source_and_social_medium():
    links = share_links("https://pb.example/newsletters/issue-15/", "Winter & more", ["linkedin", "x", "email"], "c1")
    assert [link.network for link in links] == ["linkedin", "x", "email"]
    for link in links:
        query = parse_qs(urlsplit(link.url).query)
        shared = (query.get("url") or query.get("body"))[0]
        shared_query = parse_qs(urlsplit(shared).query)
        assert shared_query["utm_source"] == [link.network]
        assert shared_query["utm_medium"] == ["social"]
        assert shared_query["utm_campaign"] == ["c1"]
    assert parse_qs(urlsplit(links[1].url).query)["text"] == ["Winter & more"]
    assert links[2].url.startswith("mailto:?subject=Winter%20%26%20more")
