"""The people directory: everyone in people.yml, and a page per person listing what they
own, the campaigns they are on and the actions assigned to them (a strategy's, and the
decisions of follow-up reports): who does what.

The who-owns-what index is built once per language in one pass over the documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.content.model import Document, Person, Playbook
from generator.content.schema import Action, Campaign
from generator.site.context import OutputFile, SiteContext, ViewLink
from generator.site.views import view_page
from generator.urls import person_url

PEOPLE = "people/"
OPEN_ACTIONS = frozenset({"planned", "in-progress", "blocked"})


@dataclass
class PersonWork:
    person: Person
    owns: list[Document] = field(default_factory=list)
    campaigns: list[Document] = field(default_factory=list)
    actions: list[AssignedAction] = field(default_factory=list)

    @property
    def open_actions(self) -> int:
        return sum(1 for item in self.actions if item.action.status in OPEN_ACTIONS)


@dataclass(frozen=True)
class AssignedAction:
    """An action someone owns: one of a strategy's, or a decision of a report on `doc`."""

    doc: Document
    action: Action
    report: Document | None


def people_work(playbook: Playbook, lang: str) -> dict[str, PersonWork]:
    """Person id -> their work in the documents of `lang`, everyone in people.yml included."""
    work = {pid: PersonWork(person) for pid, person in playbook.people.items()}
    for doc in sorted(playbook.in_language(lang), key=lambda d: d.title.casefold()):
        meta = doc.meta
        if meta.owner in work:
            work[meta.owner].owns.append(doc)
        if isinstance(meta, Campaign):
            for pid in dict.fromkeys([*([meta.owner] if meta.owner else []), *meta.team]):
                if pid in work:
                    work[pid].campaigns.append(doc)
    for follow_up in playbook.follow_ups_in(lang):
        for planned in follow_up.actions:
            if planned.action.owner in work:
                item = AssignedAction(follow_up.subject, planned.action, planned.report)
                work[planned.action.owner].actions.append(item)
    for entry in work.values():
        entry.campaigns.sort(key=lambda d: (d.meta.start, d.title.casefold()))  # type: ignore[attr-defined]
    return work


def by_team(work: dict[str, PersonWork]) -> list[tuple[str | None, list[PersonWork]]]:
    """People grouped by team (teams alphabetically, people without a team last)."""
    teams: dict[str | None, list[PersonWork]] = {}
    for entry in sorted(work.values(), key=lambda w: w.person.name.casefold()):
        teams.setdefault(entry.person.team, []).append(entry)
    return sorted(teams.items(), key=lambda item: (item[0] is None, (item[0] or "").casefold()))


class PeopleView:
    """`people/` and `people/<id>/` in every language."""

    view_link = ViewLink("People", PEOPLE)

    def generate(self, site: SiteContext) -> Iterator[OutputFile]:
        playbook = site.playbook
        for lang in playbook.languages:
            work = people_work(playbook, lang)
            title = site.localizers[lang].gettext("People")
            yield view_page(site, lang, PEOPLE, title, "people.html", teams=by_team(work))
            prefix = playbook.prefixes[lang]
            for entry in work.values():
                suffix = person_url(prefix, entry.person.id).removeprefix(prefix)
                yield view_page(site, lang, suffix, entry.person.name, "person.html", work=entry)
