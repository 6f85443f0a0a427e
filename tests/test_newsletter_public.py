"""Customer newsletters and the public archive: public links only (errors name file and line),
web versions, an index and a feed per language, short links and images on the public host,
image sizes, one heading level 1, and staff issues that stay internal."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import lxml.html
import pytest

from generator.build.pipeline import BuildOptions
from generator.newsletter.emails import absolute_body, make_issue
from generator.newsletter.images import Size, fitted, image_size
from tests.context_fixture import context_of
from tests.newsletter_fixture import config

PUBLIC = "https://news.example.com/"
SETTINGS = f"  public_url: {PUBLIC}\n  unsubscribe_url: https://news.example.com/u?t={{token}}\n"
INTERNAL = "https://intranet.example.com/playbook/"
CAMPAIGN = "title: Spring\ntype: campaign\nsummary: Spring rides.\nstart: 2026-03-01\nend: 2026-05-31"
ISSUE = "title: Issue 3\ntype: newsletter\nissue: 3\ndate: 2026-04-01\nsubject: Spring\npreheader: Hi.\nsummary: Three."


def png(width: int, height: int) -> bytes:
    """A real (tiny-palette, all-black) PNG of the given size."""
    rows = b"".join(b"\x00" + b"\x00" * width for _ in range(height))
    chunk = lambda kind, data: (  # noqa: E731
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture
def customer_project(make_project):
    def make(short_links: bool = True):
        project = make_project(config=config(short_links).replace('  unsubscribe: "*|UNSUB|*"\n', SETTINGS))
        project.page("index.md", "title: Home", "Welcome.\n")
        project.page("campaigns/spring.md", CAMPAIGN + "\npublic_url: https://shop.example/spring/", "## Goals\n")
        project.page("guidelines/rules.md", "title: Staff rules\ntype: guideline", "Internal.\n")
        return project

    return make


def build(project):
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    return result


def test_customer_issue_links_to_internal_pages_are_errors_with_file_and_line(customer_project):
    project = customer_project()
    body = f"Hello.\n\nSee [the rules](../guidelines/rules.md).\n\nOr [this]({INTERNAL}campaigns/spring/).\n"
    project.page("newsletters/issue-3.md", ISSUE + "\nfeatured: [campaigns/spring.md, guidelines/rules.md]", body)
    result = project.cli("build")
    assert result.exit_code == 1
    out = result.output
    assert "issue-3.md:13: link: customer newsletter: '../guidelines/rules.md' is an internal page" in out
    assert "give it a public address (`public_url: https://...` in its front matter)" in out
    assert f"content/newsletters/issue-3.md:15: link: customer newsletter: '{INTERNAL}campaigns/spring/'" in out
    assert "content/newsletters/issue-3.md:9: featured[1]: customer newsletter: featured 'guidelines/rules.md'" in out
    assert "or mark this issue `audience: staff`" in out


def test_customer_issue_uses_public_addresses_for_everything(customer_project):
    project = customer_project()
    project.write("content/img/route.png", "")
    (project.root / "content/img/route.png").write_bytes(png(1200, 800))
    body = (
        "# Spring is here\n\nRead [the plan](../campaigns/spring.md#goals) and [more](https://shop.example/more).\n\n"
        "![Our route](../img/route.png)\n\n# A second big heading\n\nBye.\n"
    )
    project.page("newsletters/issue-3.md", ISSUE + "\nfeatured: [campaigns/spring.md]", body)
    build(project)
    html = project.read("newsletters/issue-3/email.html")
    tree = lxml.html.document_fromstring(html)
    assert [h.text_content() for h in tree.xpath("//h1")] == ["Spring is here"]
    assert "A second big heading" in [h.text_content() for h in tree.xpath("//h2")]
    assert tree.xpath("//span[@class='site-name']")[0].text_content() == "Example News"
    hrefs = tree.xpath("//a/@href")
    assert not [h for h in hrefs if "intranet.example.com" in h]
    short = [h for h in hrefs if h.startswith(f"{PUBLIC}go/")]
    assert len(short) >= 4, hrefs
    targets = {}
    for href in short:
        page = lxml.html.document_fromstring(project.read(f"public/{urlsplit(href).path.lstrip('/')}index.html"))
        targets[href] = page.xpath("//link[@rel='canonical']/@href")[0]
    assert any(t.startswith("https://shop.example/spring/?utm_source=newsletter") for t in targets.values())
    assert any(t.startswith(f"{PUBLIC}issue-3/?utm_source=newsletter") for t in targets.values()), "web version"
    image = tree.xpath("//img[@alt='Our route']")[0]
    assert image.get("src") == f"{PUBLIC}files/img/route.png"
    assert (image.get("width"), image.get("height")) == ("552", "368")
    assert (project.root / "public/files/img/route.png").read_bytes() == png(1200, 800)
    share = parse_qs(urlsplit(tree.xpath("//a[@class='share-link']/@href")[0]).query)["url"][0]
    assert share.startswith(f"{PUBLIC}issue-3/?utm_source=linkedin")
    assert "intranet.example.com" not in project.read("newsletters/issue-3/email.txt")


def test_public_archive_has_web_versions_an_index_and_a_feed_per_language(customer_project):
    project = customer_project()
    project.page("newsletters/issue-3.md", ISSUE, "## Plan\n\nHello [plan](../campaigns/spring.md).\n")
    issue_4 = ISSUE.replace("3", "4").replace("04-01", "05-01")
    project.page("newsletters/issue-4.md", issue_4, "See [the last issue](issue-3.md#plan).\n")
    staff = "title: Staff news\ntype: newsletter\naudience: staff"
    project.page("newsletters/staff-1.md", staff, "[rules](../guidelines/rules.md)\n\n![Shop](shop.gif)\n")
    (project.root / "content/newsletters/shop.gif").write_bytes(b"GIF89a" + struct.pack("<HH", 40, 30) + b"\0" * 8)
    project.page("es/newsletters/issue-3.md", ISSUE.replace("Issue 3", "Número 3"), "Hola.\n")
    build(project)
    index = lxml.html.document_fromstring(project.read("public/index.html"))
    assert [a.text_content() for a in index.xpath("//ol//h2/a")] == ["Issue 4", "Issue 3"]
    assert index.xpath("//ol//h2/a/@href") == [f"{PUBLIC}issue-4/", f"{PUBLIC}issue-3/"]
    assert not index.xpath("//meta[@name='robots']"), "indexable"
    spanish = lxml.html.document_fromstring(project.read("public/es/index.html"))
    assert spanish.xpath("//ol//h2/a/@href") == [f"{PUBLIC}es/issue-3/"]
    feed = ElementTree.fromstring(project.read("public/feed.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.find("a:link", ns).get("href") for e in feed.findall("a:entry", ns)] == [
        f"{PUBLIC}issue-4/",
        f"{PUBLIC}issue-3/",
    ]
    assert "https://shop.example/spring/" in feed.findall("a:entry", ns)[1].find("a:content", ns).text
    web = lxml.html.document_fromstring(project.read("public/issue-3/index.html"))
    assert web.xpath("//link[@rel='canonical']/@href") == [f"{PUBLIC}issue-3/"]
    assert not web.xpath("//meta[@name='robots']")
    links = web.xpath("//a/@href")
    assert not [h for h in links if "intranet.example.com" in h or "/u?t=" in h], "no internal links, no unsubscribe"
    plan = next(h for h in links if h.startswith("https://shop.example/spring/"))
    assert parse_qs(urlsplit(plan).query)["utm_medium"] == ["web"]
    assert f"{PUBLIC}issue-3/#plan" in project.read("newsletters/issue-4/links.csv"), "a web version"
    assert "Disallow: /go/" in project.read("public/robots.txt") and "Allow: /" in project.read("public/robots.txt")
    assert not (project.root / "public/staff-1").exists(), "a staff issue stays internal"
    staff_links = project.read("newsletters/staff-1/links.csv")
    assert f"{INTERNAL}guidelines/rules/" in staff_links, "staff issues may link the intranet"
    staff_email = lxml.html.document_fromstring(project.read("newsletters/staff-1/email.html"))
    assert f"{INTERNAL}go/" in staff_email.xpath("//a/@href")[0], "with short links on the site"
    image = staff_email.xpath("//img[@alt='Shop']")[0]
    assert image.get("src") == f"{INTERNAL}newsletters/shop.gif"
    assert (image.get("width"), image.get("height")) == ("40", "30")
    assert (project.root / "site/newsletters/staff-1/index.html").is_file(), "the internal archive keeps every issue"
    assert (project.root / "site/newsletters/issue-3/index.html").is_file()


def reshaped_issue(customer_project):
    """A customer issue whose e-mail takes its first heading out, demotes the second and sizes its image."""
    project = customer_project()
    (project.root / "content/img").mkdir()
    (project.root / "content/img/route.png").write_bytes(png(1200, 800))
    body = "# Spring is here\n\n![Our route](../img/route.png)\n\n# A second big heading\n\nBye.\n"
    project.page("newsletters/issue-3.md", ISSUE, body)
    return project


def test_feeds_show_the_body_as_written_while_the_email_and_web_version_reshape_it(customer_project):
    project = reshaped_issue(customer_project)
    build(project)
    for page in ("newsletters/issue-3/email.html", "public/issue-3/index.html"):
        shaped = lxml.html.document_fromstring(project.read(page))
        assert [h.text_content() for h in shaped.xpath("//h1")] == ["Spring is here"], page
        assert "A second big heading" in [h.text_content() for h in shaped.xpath("//h2")], page
        assert shaped.xpath("//img[@alt='Our route']/@width") == ["552"], page
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for feed in ("public/feed.xml", "site/newsletters/feed.xml"):
        content = ElementTree.fromstring(project.read(feed)).find("a:entry/a:content", ns).text
        written = lxml.html.fragment_fromstring(content, create_parent="div")
        assert [h.text_content() for h in written.xpath("//h1")] == ["Spring is here", "A second big heading"], feed
        assert written.xpath("//img[@alt='Our route']/@width") == [], feed


def test_the_parse_an_issue_shares_gives_the_same_files_in_any_order(customer_project):
    project = reshaped_issue(customer_project)
    options = BuildOptions(build_date=dt.date(2026, 11, 20))
    feed_first, email_first = context_of(project.root, options), context_of(project.root, options)
    doc = next(d for d in feed_first.playbook.documents if d.source.endswith("issue-3.md"))
    feed = absolute_body(feed_first, doc, public=True)
    files, _ = make_issue(feed_first, doc)
    other_files, _ = make_issue(email_first, doc)
    assert [f.data for f in files] == [f.data for f in other_files]
    assert absolute_body(email_first, doc, public=True) == feed


def test_without_a_public_host_customer_issues_warn(make_project):
    project = make_project(config=config())
    project.page("newsletters/issue-3.md", ISSUE, "Hi.\n")
    result = build(project)
    assert "content/newsletters/issue-3.md: audience: warning: customer newsletters need newsletter.public_url" in (
        result.output
    )
    assert not (project.root / "public").exists()


def test_unsubscribe_url_without_a_token_is_an_error_naming_its_line(make_project):
    settings = config().replace('  unsubscribe: "*|UNSUB|*"\n', "  unsubscribe_url: https://news.example.com/u\n")
    project = make_project(config=settings)
    result = project.cli("build")
    assert result.exit_code == 1
    assert "playbook.yml:9: newsletter.unsubscribe_url: must be an https URL with {token}" in result.output


@pytest.mark.parametrize(
    ("data", "size"),
    [
        (png(1200, 800), Size(1200, 800)),
        (b"GIF89a" + struct.pack("<HH", 40, 30) + b"\x00" * 8, Size(40, 30)),
        (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150"/>', Size(300, 150)),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="64px" height="32"/>', Size(64, 32)),
        (b"not an image", None),
    ],
)
def test_image_sizes_are_read_from_the_file(data, size):
    assert image_size(data) == size


def test_images_wider_than_the_column_are_scaled_down_keeping_their_shape():
    assert fitted(Size(1200, 800)) == Size(552, 368)
    assert fitted(Size(300, 200)) == Size(300, 200)
