"""`campaigns.ics`: an iCalendar feed with each campaign's launch and end, per language,
that Outlook or Google Calendar can subscribe to. Event UIDs are stable across builds so
subscribed calendars update events instead of duplicating them.

icalendar (with dateutil, a tenth of a second to load) is loaded only by sites that have
campaigns: a handbook never pays for it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from generator.build import depends
from generator.content.model import Document, Playbook
from generator.i18n import Localizer
from generator.site.context import OutputFile, SiteContext
from generator.site.views.campaigns import CALENDAR, meta
from generator.urls import absolute

if TYPE_CHECKING:
    from icalendar import Event

PRODID = "-//Playbook//Campaign calendar//EN"


def event_uid(doc: Document, kind: str, host: str) -> str:
    return f"{kind}/{doc.lang}/{doc.key}@{host}"


def campaign_events(doc: Document, i18n: Localizer, site_url: str | None, host: str) -> list[Event]:
    """Two all-day events: the launch day and the last day of the campaign."""
    from icalendar import Event

    campaign = meta(doc)
    stamp = doc.changed.astimezone(dt.UTC)
    events = []
    for kind, day, summary in (
        ("launch", campaign.start, i18n.gettext("Launch: %(title)s", title=doc.title)),
        ("end", campaign.end, i18n.gettext("End: %(title)s", title=doc.title)),
    ):
        event = Event()
        event.add("uid", event_uid(doc, kind, host))
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("summary", summary)
        event.add("transp", "TRANSPARENT")
        if campaign.summary:
            event.add("description", campaign.summary)
        if campaign.channels:
            event.add("categories", campaign.channels)
        if site_url:
            event.add("url", absolute(site_url, doc.url))
        events.append(event)
    return events


def campaign_calendar(playbook: Playbook, lang: str, i18n: Localizer) -> bytes:
    from icalendar import Calendar

    config = playbook.config
    host = urlsplit(config.site_url).hostname if config.site_url else None
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{config.site_name}: {i18n.gettext('Campaigns')}")
    for doc in playbook.campaigns(lang):
        for event in campaign_events(doc, i18n, config.site_url, host or "playbook.invalid"):
            cal.add_component(event)
    return cal.to_ical()


class CampaignCalendar:
    """`campaigns.ics` under every language prefix."""

    def generate(self, site: SiteContext) -> Iterator[OutputFile]:
        playbook = site.playbook
        for lang in playbook.languages:
            campaigns = playbook.campaigns(lang)
            inputs = depends.calendar(lang, campaigns)
            yield from site.remembered(f"calendar:{lang}", inputs, lambda lang=lang: self.calendar(site, lang)).files

    @staticmethod
    def calendar(site: SiteContext, lang: str) -> tuple[list[OutputFile], None]:
        playbook = site.playbook
        data = campaign_calendar(playbook, lang, site.localizers[lang])
        return [OutputFile(playbook.prefixes[lang] + CALENDAR, data, f"campaign calendar ({lang})")], None
