"""What the theme promises in the HTML itself: Markdown tables in focusable, labelled scroll
containers (e-mails keep them bare), a contents list nested down to level 4, no search UI
loaded before first use, share buttons only where outsiders can follow them, short-link
pages in the issue's language, and untranslated pages marked in the sidebar."""

from __future__ import annotations

import lxml.html

from generator.build.pipeline import build
from tests.conftest import BASIC_CONFIG, Project

MULTILINGUAL = BASIC_CONFIG + "languages: {en: English, es: Español}\n"


def html(project: Project, rel: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(project.read(f"site/{rel}"))


def test_markdown_tables_scroll_in_focusable_labelled_regions(project):
    project.page(
        "guide.md",
        "title: Guide",
        """
        | Channel | Posts |
        |---|---|
        | Instagram | 5 |

        ## Budget per channel

        | Channel | Budget |
        |---|---|
        | TikTok | 900 |
        """,
    )
    build(project.root)
    regions = html(project, "guide/index.html").xpath("//div[contains(@class, 'prose')]//div[@role='region']")
    assert [r.get("tabindex") for r in regions] == ["0", "0"]
    assert [r[0].tag for r in regions] == ["table", "table"]
    assert regions[0].get("aria-label") == "Channel, Posts", "without a heading, the columns name the table"
    assert regions[1].get("aria-labelledby") == "budget-per-channel"
    assert html(project, "guide/index.html").get_element_by_id("budget-per-channel").text_content() == (
        "Budget per channel"
    )


def test_an_email_keeps_its_tables_bare(make_project):
    project = make_project()
    project.page("index.md", "title: Home")
    project.page(
        "newsletters/issue-1.md",
        "title: Issue 1\ntype: newsletter\nissue: 1\ndate: 2026-03-01\nsubject: News\npreheader: Hello",
        "| Shop | Opens |\n|---|---|\n| Sofia | May |\n",
    )
    build(project.root)
    email = lxml.html.document_fromstring(project.read("newsletters/issue-1/email.html"))
    assert email.xpath("//table[.//th[normalize-space()='Shop']]")
    assert not email.xpath("//*[@role='region' or @tabindex]")


def test_contents_list_nests_headings_down_to_level_four(project):
    project.page(
        "guide.md",
        "title: Guide",
        "## Goals\n\n### Reach\n\n#### Instagram\n\n#### TikTok\n\n### Sales\n\n## People\n\n##### Too deep\n",
    )
    build(project.root)
    toc = html(project, "guide/index.html").xpath("//nav[@class='toc']")[0]
    top = toc.xpath("./ol/li")
    assert [li.xpath("string(./a)") for li in top] == ["Goals", "People"]
    assert [li.xpath("string(./a)") for li in top[0].xpath("./ol/li")] == ["Reach", "Sales"]
    assert [li.xpath("string(./a)") for li in top[0].xpath("./ol/li[1]/ol/li")] == ["Instagram", "TikTok"]
    assert toc.xpath(".//a[.='Instagram']/@href") == ["#instagram"]
    assert not toc.xpath(".//a[.='Too deep']")


def test_pages_load_no_search_ui_before_it_is_used(project):
    build(project.root)
    page = html(project, "index.html")
    sheets = page.xpath("//head/link[@rel='stylesheet']/@href")
    assert sheets and all(h.startswith("_playbook/") for h in sheets), "only the theme's stylesheets block rendering"
    assert not [s for s in page.xpath("//script/@src") if "pagefind" in s]
    box = page.xpath("//div[@class='site-search']")[0]
    assert box.get("data-bundle") == "pagefind/"
    assert box.xpath(".//form[@role='search']//input[@type='search']/@aria-label") == ["Search the playbook"]
    assert not box.xpath(".//fieldset"), "one language: no choice of languages to search"


def test_search_offers_this_language_or_all_languages(make_project):
    project = make_project(MULTILINGUAL)
    project.page("en/index.md", "title: Home")
    project.page("es/index.md", "title: Inicio")
    build(project.root)
    box = html(project, "es/index.html").xpath("//div[@class='site-search']")[0]
    assert box.get("data-languages") == '["en", "es"]'
    scope = box.xpath(".//fieldset[@class='search-scope']")[0]
    assert scope.get("aria-label") == "Buscar en"
    assert [label.text_content().strip() for label in scope.xpath("./label")] == ["Este idioma", "Todos los idiomas"]


def test_an_internal_site_has_no_share_buttons(make_project):
    project = make_project()
    project.page("campaigns/spring.md", "title: Spring\ntype: campaign\nstart: 2026-03-01\nend: 2026-05-31")
    build(project.root)
    assert not html(project, "campaigns/spring/index.html").xpath("//aside[contains(@class, 'share')]")
    assert project.read("site/robots.txt") == "User-agent: *\nDisallow: /\n"
    assert html(project, "index.html").xpath("//meta[@name='robots']/@content") == ["noindex, nofollow"]


def test_a_public_site_shares_its_pages_and_may_be_indexed(make_project):
    project = make_project(BASIC_CONFIG + "public: true\n")
    project.page("index.md", "title: Home", "Welcome.\n")
    project.page("guide.md", "title: Guide", "Read me.\n")
    build(project.root)
    shares = html(project, "guide/index.html").xpath("//aside[contains(@class, 'share')]//a/text()")
    assert shares == ["LinkedIn", "X", "Facebook", "WhatsApp", "E-mail"]
    assert project.read("site/robots.txt") == (
        "User-agent: *\nAllow: /\nSitemap: https://intranet.example.com/playbook/sitemap.xml\n"
    )
    assert not html(project, "index.html").xpath("//meta[@name='robots']")


def test_share_buttons_can_be_switched_either_way(make_project):
    public_without = make_project(BASIC_CONFIG + "public: true\ntracking: {share_pages: false}\n", name="a")
    internal_with = make_project(BASIC_CONFIG + "tracking: {share_pages: true}\n", name="b")
    for project in (public_without, internal_with):
        project.page("index.md", "title: Home", "Welcome.\n")
        project.page("guide.md", "title: Guide", "Read me.\n")
        build(project.root)
    assert not html(public_without, "guide/index.html").xpath("//aside[contains(@class, 'share')]")
    assert html(internal_with, "guide/index.html").xpath("//aside[contains(@class, 'share')]//a")


def test_short_link_pages_speak_the_language_of_their_issue(make_project):
    project = make_project(MULTILINGUAL + "tracking: {short_links: true}\n")
    project.page("en/index.md", "title: Home")
    project.page("es/index.md", "title: Inicio")
    project.page(
        "es/newsletters/numero-1.md",
        "title: Número 1\ntype: newsletter\nissue: 1\ndate: 2026-03-01\npreheader: Hola",
        "[Reserva](https://shop.example.com/reserva)\n",
    )
    build(project.root)
    code = next(p for p in (project.root / "site" / "go").iterdir() if p.is_dir()).name
    page = html(project, f"go/{code}/index.html")
    assert page.get("lang") == "es"
    assert page.xpath("string(//main/h1)") == "Redirigiendo…"
    assert page.xpath("string(//main/p)").startswith("Este enlace corto lleva a:")
    assert page.xpath("//main/p/a/@href")[0].startswith("https://shop.example.com/reserva?utm_source=")


def test_untranslated_pages_are_marked_in_the_sidebar(make_project):
    project = make_project(MULTILINGUAL)
    project.page("en/index.md", "title: Home")
    project.page("es/index.md", "title: Inicio")
    project.page("en/guides/travel.md", "title: Travel policy")
    project.page("en/guides/phones.md", "title: Phones")
    project.page("es/guides/phones.md", "title: Teléfonos")
    build(project.root)
    sidebar = html(project, "es/guides/phones/index.html").xpath("//nav[@id='sidebar']")[0]
    marked = sidebar.xpath(".//a[contains(@class, 'not-translated')]")
    assert [a.text_content() for a in marked] == ["Travel policy* (Aún sin traducir)"]
    assert not sidebar.xpath(".//a[normalize-space()='Teléfonos'][contains(@class, 'not-translated')]")
