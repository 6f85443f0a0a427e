"""Newsletter e-mails end to end: the four files per issue, tracked links, plain text,
the .eml, the web archive and feed, short links, share links and the e-mail lint."""

from __future__ import annotations

import csv
import email
import io
from email.policy import default as default_policy
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import lxml.html
import pytest

from tests.newsletter_fixture import ISSUE_BODY, ISSUE_FRONT, config


@pytest.fixture
def newsletter_project(make_project):
    def make(short_links: bool = False):
        project = make_project(config=config(short_links))
        project.page("index.md", "title: Home", "Welcome.\n")
        project.page(
            "campaigns/spring.md",
            "title: Spring\ntype: campaign\nsummary: Spring rides.\nstart: 2026-03-01\nend: 2026-05-31",
            "## Goals\n\nRide more.\n",
        )
        project.page("newsletters/issue-3.md", ISSUE_FRONT, ISSUE_BODY)
        return project

    return make


def built(project) -> Path:
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    return project.root / "newsletters"


def test_build_writes_four_files_per_issue_and_counts_them(newsletter_project):
    project = newsletter_project()
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    assert "1 newsletters" in result.output
    folder = project.root / "newsletters" / "issue-3"
    assert sorted(p.name for p in folder.iterdir()) == ["email.html", "email.txt", "links.csv", "message.eml"]
    assert not (project.root / "newsletters" / "es").exists(), "no e-mail for a translation fallback"


def test_every_link_in_the_html_is_absolute_and_outbound_links_are_tracked(newsletter_project):
    html = (built(newsletter_project()) / "issue-3" / "email.html").read_text()
    tree = lxml.html.document_fromstring(html)
    hrefs = [a.get("href") for a in tree.xpath("//a[@href]")]
    assert all(h.startswith(("https://", "mailto:", "tel:", "*|UNSUB|*")) for h in hrefs), hrefs
    assert "*|UNSUB|*" in hrefs and "mailto:team@example.com" in hrefs and "tel:+34123456" in hrefs
    book = next(h for h in hrefs if h.startswith("https://shop.example/spring"))
    parts = urlsplit(book)
    query = parse_qs(parts.query)
    assert parts.fragment == "slots" and query["ref"] == ["nl"]
    assert query["utm_source"] == ["newsletter"] and query["utm_medium"] == ["email"]
    assert query["utm_campaign"] == ["issue-3"] and query["utm_content"][0].startswith("book-now-")
    partner = parse_qs(urlsplit(next(h for h in hrefs if "partner.example" in h)).query)
    assert partner["utm_source"] == ["partner"], "an existing utm_* is kept"
    assert "https://shop.example/private" in hrefs, "a notrack link stays untagged"
    plan = next(h for h in hrefs if "/campaigns/spring/" in h and "#goals" in h)
    assert plan.startswith("https://intranet.example.com/playbook/campaigns/spring/?utm_source=newsletter")
    assert 'title="notrack"' not in html
    assert "<script" not in html and "<form" not in html


def test_html_has_inlined_css_media_queries_preheader_and_outlook_comments(newsletter_project):
    html = (built(newsletter_project()) / "issue-3" / "email.html").read_text()
    tree = lxml.html.document_fromstring(html)
    assert tree.get("lang") == "en" and tree.get("dir") == "ltr"
    assert tree.xpath("//td[contains(@class, 'content')]")[0].get("style"), "CSS is inlined"
    style = "".join(tree.xpath("//style/text()"))
    assert "@media" in style and "prefers-color-scheme: dark" in style
    assert "<!--[if mso]>" in html
    preheader = tree.xpath("//div[contains(@class, 'preheader')]")[0]
    assert preheader.text_content().startswith("Three things to do this spring.")
    assert "display:none" in preheader.get("style").replace(" ", "")
    assert not tree.xpath("//link[@rel='stylesheet']")
    card = tree.xpath("//table[contains(@class, 'card')]")[0]
    assert "Spring rides." in card.text_content()


def test_links_csv_lists_every_tracked_link_with_parseable_urls(newsletter_project):
    rows = list(csv.DictReader(io.StringIO((built(newsletter_project()) / "issue-3" / "links.csv").read_text())))
    assert [r["position"] for r in rows] == [str(n) for n in range(1, len(rows) + 1)]
    originals = [r["original_url"] for r in rows]
    assert "https://shop.example/spring?ref=nl#slots" in originals
    assert not any(o.startswith(("mailto:", "tel:")) or "private" in o for o in originals)
    for row in rows:
        query = parse_qs(urlsplit(row["tracked_url"]).query)
        expected_source = ["partner"] if "partner.example" in row["original_url"] else ["newsletter"]
        assert query["utm_source"] == expected_source, row
        assert query["utm_medium"] == ["email"], row
        assert query["utm_campaign"] == ["issue-3"], row
        assert query["utm_content"], row
    assert {"Web version", "Book now", "Spring"} <= {r["anchor_text"] for r in rows}


def test_plain_text_has_numbered_references_with_tracked_urls(newsletter_project):
    text = (built(newsletter_project()) / "issue-3" / "email.txt").read_text()
    assert "Book now [1]" in text
    assert "- one\n- two" in text
    refs = dict(line.split(" ", 1) for line in text.split("\nLinks\n", 1)[1].splitlines())
    assert parse_qs(urlsplit(refs["[1]"]).query)["utm_content"][0].startswith("book-now-")
    assert "leave quietly [" in text and "https://shop.example/private" in refs.values()
    assert "Unsubscribe: *|UNSUB|*" in text
    assert "<p>" not in text and "<a " not in text


def test_eml_parses_back_as_multipart_alternative(newsletter_project):
    data = (built(newsletter_project()) / "issue-3" / "message.eml").read_bytes()
    message = email.message_from_bytes(data, policy=default_policy)
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"] == "Spring is here"
    assert message["From"].addresses[0].addr_spec == "news@example.com"
    assert message["Reply-To"] == "team@example.com"
    assert message["Date"] is None and message["Message-ID"] is None and message["To"] is None, "set when sent"
    assert message["List-Unsubscribe"] == "<mailto:team@example.com?subject=unsubscribe>", "the service adds its own"
    assert message["List-Unsubscribe-Post"] is None, "one-click needs an https link"
    assert message["List-Id"] == "Example News <news.example.com>"
    plain, html = (part.get_content() for part in message.iter_parts())
    assert "Book now [1]" in plain
    assert "<!doctype html>" in html.lower()


def test_short_links_write_redirect_pages_and_a_manifest(newsletter_project):
    project = newsletter_project(short_links=True)
    built(project)
    rows = list(csv.DictReader(io.StringIO(project.read("newsletters/issue-3/links.csv"))))
    book = next(r for r in rows if r["anchor_text"] == "Book now")
    assert book["short_url"] == f"https://intranet.example.com/playbook/go/{book['short_code']}/"
    page = lxml.html.document_fromstring(project.read(f"site/go/{book['short_code']}/index.html"))
    assert page.xpath("//link[@rel='canonical']")[0].get("href") == book["tracked_url"]
    refresh = page.xpath("//meta[@http-equiv='refresh']")[0].get("content")
    assert refresh == f"0; url={book['tracked_url']}"
    assert page.xpath("//a")[0].get("href") == book["tracked_url"]
    manifest = list(csv.DictReader(io.StringIO(project.read("site/go/manifest.csv"))))
    assert {"code": book["short_code"], "target": book["tracked_url"]}.items() <= next(
        m for m in manifest if m["code"] == book["short_code"]
    ).items()
    assert book["short_url"] in project.read("newsletters/issue-3/email.html")


def test_archive_lists_issues_newest_first_with_an_atom_feed(newsletter_project):
    project = newsletter_project()
    project.page("newsletters/issue-4.md", "title: Issue 4\ntype: newsletter\nissue: 4\ndate: 2026-05-01", "Hi.\n")
    built(project)
    archive = lxml.html.document_fromstring(project.read("site/newsletters/index.html"))
    titles = [a.text_content() for a in archive.xpath("//ol[contains(@class, 'issue-list')]//h2/a")]
    assert titles == ["Issue 4", "Issue 3: Spring"]
    feed_link = archive.xpath("//link[@type='application/atom+xml']")[0].get("href")
    assert feed_link == "feed.xml"
    feed = ElementTree.fromstring(project.read("site/newsletters/feed.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert [e.find("a:title", ns).text for e in entries] == ["Issue 4", "Issue 3: Spring"]
    assert entries[1].find("a:link", ns).get("href") == "https://intranet.example.com/playbook/newsletters/issue-3/"
    assert "https://intranet.example.com/playbook/campaigns/spring/#goals" in entries[1].find("a:content", ns).text


def test_site_pages_have_share_links_tagged_per_network(newsletter_project):
    project = newsletter_project()
    project.write("playbook.yml", config() + "public: true\n")  # an internal site has none
    built(project)
    page = lxml.html.document_fromstring(project.read("site/campaigns/spring/index.html"))
    links = page.xpath("//aside[contains(@class, 'share')]//a")
    assert [a.text_content() for a in links] == ["LinkedIn", "X", "Facebook", "WhatsApp", "E-mail"]
    linkedin = parse_qs(urlsplit(links[0].get("href")).query)["url"][0]
    assert parse_qs(urlsplit(linkedin).query)["utm_source"] == ["linkedin"]
    assert parse_qs(urlsplit(linkedin).query)["utm_medium"] == ["social"]
    issue = lxml.html.document_fromstring(project.read("site/newsletters/issue-3/index.html"))
    shared = parse_qs(urlsplit(issue.xpath("//aside[contains(@class, 'share')]//a")[0].get("href")).query)["url"][0]
    assert parse_qs(urlsplit(shared).query)["utm_campaign"] == ["issue-3"]


def test_other_languages_go_into_their_own_folder(newsletter_project):
    project = newsletter_project()
    project.page("es/campaigns/spring.md", "title: Primavera\ntype: campaign\nstart: 2026-03-01\nend: 2026-05-31")
    project.page("es/newsletters/issue-3.md", ISSUE_FRONT.replace("Spring is here", "Llega la primavera"), "Hola.\n")
    out = built(project)
    message = email.message_from_bytes((out / "es" / "issue-3" / "message.eml").read_bytes(), policy=default_policy)
    assert message["Subject"] == "Llega la primavera"
    assert message["Content-Language"] == "es"
    assert 'lang="es"' in (out / "es" / "issue-3" / "email.html").read_text()


def test_missing_site_url_is_a_clear_error(newsletter_project):
    project = newsletter_project()
    project.write("playbook.yml", "site_name: Test\n")
    result = project.cli("build")
    assert result.exit_code == 1
    assert "content/newsletters/issue-3.md: site_url: newsletters need site_url" in result.output


def test_broken_featured_path_fails_with_file_and_line(newsletter_project):
    project = newsletter_project()
    project.page("newsletters/issue-3.md", ISSUE_FRONT.replace("campaigns/spring.md", "campaigns/nope.md"), "Hi\n")
    result = project.cli("build")
    assert result.exit_code == 1
    assert "content/newsletters/issue-3.md:9: featured[0]: no document 'campaigns/nope.md'" in result.output


def test_email_lint_reports_scripts_relative_urls_and_missing_preheader(newsletter_project):
    project = newsletter_project()
    front = ISSUE_FRONT.replace("preheader: Three things to do this spring.\n", "")
    body = (
        'Hi.\n\n<script>alert(1)</script>\n\n<p><a href="/local/page">x</a> <img src="https://cdn.example/a.png"></p>\n'
    )
    project.page("newsletters/issue-3.md", front, body)
    result = project.cli("check")
    assert result.exit_code == 1
    out = result.output
    assert "content/newsletters/issue-3.md: e-mail: <script> found" in out
    assert "e-mail: relative URL '/local/page'" in out
    assert "e-mail: image 'https://cdn.example/a.png' has no alt text" in out
    assert "preheader: warning: e-mail: no preheader" in out


def test_oversized_html_is_a_warning_naming_the_file(newsletter_project):
    project = newsletter_project()
    project.write("playbook.yml", config().replace("  unsubscribe:", "  max_html_kb: 5\n  unsubscribe:"))
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    assert "content/newsletters/issue-3.md: warning: e-mail: HTML is" in result.output
    assert "Gmail clips it" in result.output


CDN_LOGO = "https://cdn.example.com/brand/logo.png"


@pytest.mark.parametrize(
    ("logo", "on_home", "on_campaign", "in_email"),
    [
        (CDN_LOGO, CDN_LOGO, CDN_LOGO, CDN_LOGO),
        (
            "brand/logo.png",
            "brand/logo.png",
            "../../brand/logo.png",
            "https://intranet.example.com/playbook/brand/logo.png",
        ),
    ],
)
def test_logo_url_is_kept_when_absolute_and_made_relative_when_a_path(
    newsletter_project, logo, on_home, on_campaign, in_email
):
    project = newsletter_project()
    project.write("playbook.yml", project.read("playbook.yml") + f"logo: {logo}\n")
    built(project)

    def logo_src(rel: str) -> str:
        return lxml.html.fromstring(project.read(rel)).xpath("//a[@class='site-name']/img/@src")[0]

    assert logo_src("site/index.html") == on_home
    assert logo_src("site/campaigns/spring/index.html") == on_campaign
    email_html = lxml.html.fromstring(project.read("newsletters/issue-3/email.html"))
    assert email_html.xpath("//img[contains(@class, 'logo')]/@src") == [in_email]
