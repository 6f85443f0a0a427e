"""The campaigns view: an index table (sortable and filterable in the browser), an SVG
timeline of campaigns by month with today marked, and budgets per currency and quarter.

The geometry of the timeline and the budget sums are pure functions of the campaigns and
the build date; the template only draws them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from generator.content.model import Document, Person, Playbook
from generator.content.schema import Budget, Campaign
from generator.site.context import OutputFile, SiteContext, ViewLink
from generator.site.views import view_page
from generator.urls import absolute

CAMPAIGNS = "campaigns/"
CALENDAR = "campaigns.ics"
STATUS_ORDER = {"running": 0, "planned": 1, "ended": 2}

LABEL_WIDTH = 190
MONTH_WIDTH = 48
AXIS_HEIGHT = 44
ROW_HEIGHT = 32
BAR_HEIGHT = 20
LABEL_CHARS = 26


def meta(doc: Document) -> Campaign:
    assert isinstance(doc.meta, Campaign)
    return doc.meta


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of every month from first's month to last's month, both included."""
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


@dataclass(frozen=True)
class Month:
    start: dt.date
    x: float
    show_year: bool


@dataclass(frozen=True)
class Bar:
    doc: Document
    status: str
    label: str
    x: float
    y: float
    width: float


@dataclass(frozen=True)
class Gantt:
    """Campaign bars on a month axis, in SVG user units."""

    months: list[Month]
    bars: list[Bar]
    width: float
    height: float
    today: dt.date
    today_x: float | None
    bar_height: float = BAR_HEIGHT

    @property
    def first(self) -> dt.date:
        return self.months[0].start

    @property
    def last(self) -> dt.date:
        return self.months[-1].start


def short_label(title: str, limit: int = LABEL_CHARS) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def gantt(campaigns: list[Document], today: dt.date) -> Gantt | None:
    """The timeline of `campaigns` (sorted by start), one bar each; None when there are none."""
    if not campaigns:
        return None
    first = min(meta(doc).start for doc in campaigns)
    last = max(meta(doc).end for doc in campaigns)
    months = months_between(first, last)
    origin = months[0]

    def x_of(day: dt.date) -> float:
        index = (day.year - origin.year) * 12 + day.month - origin.month
        days = calendar.monthrange(day.year, day.month)[1]
        return LABEL_WIDTH + (index + (day.day - 1) / days) * MONTH_WIDTH

    axis = [Month(m, x_of(m), i == 0 or m.month == 1) for i, m in enumerate(months)]
    offset = (ROW_HEIGHT - BAR_HEIGHT) / 2
    bars = [
        Bar(
            doc,
            meta(doc).status_on(today),
            short_label(doc.title),
            x_of(meta(doc).start),
            AXIS_HEIGHT + i * ROW_HEIGHT + offset,
            x_of(meta(doc).end + dt.timedelta(days=1)) - x_of(meta(doc).start),
        )
        for i, doc in enumerate(campaigns)
    ]
    width = LABEL_WIDTH + len(months) * MONTH_WIDTH
    today_x = x_of(today) if months[0] <= today < next_month(months[-1]) else None
    return Gantt(axis, bars, width, AXIS_HEIGHT + len(campaigns) * ROW_HEIGHT + 8, today, today_x)


@dataclass(frozen=True)
class BudgetTable:
    """Budgets summed per launch quarter (rows) and currency (columns); amounts never mix currencies."""

    currencies: list[str]
    rows: list[tuple[dt.date, list[Decimal | None]]]
    totals: list[Decimal]


def budget_table(campaigns: list[Document], default_currency: str) -> BudgetTable:
    sums: dict[tuple[dt.date, str], Decimal] = {}
    for doc in campaigns:
        budget = meta(doc).budget_in(default_currency)
        if budget is not None:
            key = (quarter_start(meta(doc).start), budget.currency)
            sums[key] = sums.get(key, Decimal(0)) + budget.amount
    currencies = sorted({currency for _, currency in sums})
    quarters = sorted({quarter for quarter, _ in sums})
    rows = [(q, [sums.get((q, c)) for c in currencies]) for q in quarters]
    totals = [sum((sums.get((q, c), Decimal(0)) for q in quarters), Decimal(0)) for c in currencies]
    return BudgetTable(currencies, rows, totals)


@dataclass(frozen=True)
class CampaignRow:
    doc: Document
    status: str
    budget: Budget | None
    owner: Person | None

    @property
    def meta(self) -> Campaign:
        return meta(self.doc)

    @property
    def status_rank(self) -> int:
        return STATUS_ORDER[self.status]


@dataclass(frozen=True)
class Filters:
    """The choices of the table's filters: only values that occur."""

    statuses: list[str]
    channels: list[str]
    owners: list[Person]


def campaign_rows(playbook: Playbook, campaigns: list[Document]) -> list[CampaignRow]:
    today, currency = playbook.build_date, playbook.config.currency
    return [
        CampaignRow(doc, meta(doc).status_on(today), meta(doc).budget_in(currency), playbook.person(doc.meta.owner))
        for doc in campaigns
    ]


def filters(rows: list[CampaignRow]) -> Filters:
    statuses = sorted({row.status for row in rows}, key=STATUS_ORDER.__getitem__)
    channels = sorted({c for row in rows for c in row.meta.channels}, key=str.casefold)
    owners = {row.owner.id: row.owner for row in rows if row.owner}
    return Filters(statuses, channels, sorted(owners.values(), key=lambda p: p.name.casefold()))


def subscribe_url(site_url: str | None, calendar_url: str) -> str | None:
    """The webcal: address calendar apps subscribe to (needs the site's absolute URL)."""
    if not site_url:
        return None
    return "webcal:" + absolute(site_url, calendar_url).split(":", 1)[1]


class CampaignsView:
    """`campaigns/` in every language: intro (the folder's index.md), table, timeline, budgets."""

    view_link = ViewLink("Campaigns", CAMPAIGNS)
    claims = (CAMPAIGNS,)

    def generate(self, site: SiteContext) -> Iterator[OutputFile]:
        playbook = site.playbook
        for lang in playbook.languages:
            campaigns = playbook.campaigns(lang)
            rows = campaign_rows(playbook, campaigns)
            intro = playbook.document(lang, CAMPAIGNS + "index.md")
            yield view_page(
                site,
                lang,
                CAMPAIGNS,
                intro.title if intro else site.localizers[lang].gettext("Campaigns"),
                "campaigns.html",
                doc_intro=intro,
                intro=site.body(intro) if intro else None,
                rows=rows,
                filters=filters(rows),
                gantt=gantt(campaigns, playbook.build_date),
                budgets=budget_table(campaigns, playbook.config.currency),
                calendar_url=playbook.prefixes[lang] + CALENDAR,
                subscribe_url=subscribe_url(playbook.config.site_url, playbook.prefixes[lang] + CALENDAR),
            )
