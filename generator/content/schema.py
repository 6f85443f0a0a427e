"""Front matter schemas: one pydantic model per document type, and people.yml entries.
Which `type:` value picks which model is declared in `generator.content.doctypes`.

Field checks that need only the field itself live here (types, formats, ranges). Checks
across documents (unknown people, duplicate URLs) belong to the model assembly.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationInfo,
    field_validator,
)

from generator.content.problems import CurrencyCode
from generator.content.yamlsource import WrittenFloat

REVIEW_DAYS = {"weekly": 7, "monthly": 30, "quarterly": 91, "yearly": 365}
DUE_SOON_DAYS = 7
SLUG_PATTERN = re.compile(r"^[^\W_]+(?:-[^\W_]+)*$")
PUBLIC_URL_PATTERN = r'^https?://[^/\s"<>]+[^\s"<>]*$'  # `public_url:` a public address (https://...)
ACTION_STATUSES = ("planned", "in-progress", "done", "blocked")
NEWSLETTER_CADENCES = ("weekly", "fortnightly", "monthly")

ObjectiveState = Literal["off-track", "in-progress", "on-track", "done", "not-measured"]


def word_form(word: str) -> str:
    """What two spellings of one word of a closed list share: `In progress`, `in-progress`
    and `in_progress` are one word."""
    return re.sub(r"[\s_-]+", "", word.casefold())


def canonical_word(value: str, words: tuple[str, ...]) -> str | None:
    """The word of `words` that `value` spells, ignoring case, spaces, hyphens and underscores."""
    form = word_form(value)
    return next((word for word in words if word_form(word) == form), None)


def unknown_word(value: str, words: tuple[str, ...]) -> str:
    """The message for a word that is not in a closed list, with the closest one."""
    guess = difflib.get_close_matches(word_form(value), [word_form(w) for w in words], n=1, cutoff=0.5)
    hint = f"; did you mean '{canonical_word(guess[0], words)}'?" if guess else ""
    return f"{value!r} is not one of: {', '.join(words)}{hint}"


def vocabulary(*words: str) -> Any:
    """A closed list of words as a field type; any spelling `canonical_word` accepts is kept
    as the listed word."""

    def canonical(value: object) -> object:
        if not isinstance(value, str):
            return value
        found = canonical_word(value, words)
        if found is None:
            raise ValueError(unknown_word(value, words))
        return found

    return Annotated[Literal[words], BeforeValidator(canonical)]  # type: ignore[valid-type]


def as_written(value: object) -> object:
    """A number where text is expected is the text as written: `version: 1.10` is "1.10"."""
    if isinstance(value, WrittenFloat):
        return value.text
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def comma_list(value: object) -> object:
    """`tags: a, b` is the list [a, b]."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def one_or_many(value: object) -> object:
    """A single value where a list is expected is a list of one."""
    return [value] if isinstance(value, str | int | float) and not isinstance(value, bool) else value


Text = Annotated[
    str, BeforeValidator(as_written), StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
]
PersonId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
TagText = Annotated[
    str, BeforeValidator(as_written), StringConstraints(strip_whitespace=True, min_length=1, max_length=60)
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Review(Strict):
    """`review: {every: monthly, last: 2026-10-01}`: when the page must be looked at again."""

    every: vocabulary(*REVIEW_DAYS)
    last: dt.date

    @property
    def due(self) -> dt.date:
        return self.last + dt.timedelta(days=REVIEW_DAYS[self.every])

    def status_on(self, today: dt.date) -> Literal["ok", "soon", "overdue"]:
        if today > self.due:
            return "overdue"
        if (self.due - today).days <= DUE_SOON_DAYS:
            return "soon"
        return "ok"


ObjectiveId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class Objective(Strict):
    id: ObjectiveId | None = None
    """What a report's `objective:` may call it instead of the goal; unique in its document."""
    goal: Text
    metric: Text
    target: float
    actual: float | None = None
    unit: str | None = None

    @property
    def progress(self) -> float | None:
        """Share of the target reached (0.0-1.0+), or None when there is no actual yet."""
        if self.actual is None or self.target == 0:
            return None
        return self.actual / self.target

    def measured(self, actual: float) -> Objective:
        """The same objective with `actual` measured (a follow-up report's figure)."""
        return self.model_copy(update={"actual": actual})

    def names(self) -> tuple[str, ...]:
        """What a report's `objective:` may call it: its id, or its goal."""
        return (self.id, self.goal) if self.id else (self.goal,)

    def state(self, expected: float | None) -> ObjectiveState:
        """Where the goal stands when `expected` of its target is due by now (the share of a
        campaign's period that has passed). `None`: its document has no period (a strategy),
        so a goal short of its target is simply in progress, neither on nor off track."""
        progress = self.progress
        if progress is None:
            return "not-measured"
        if progress >= 1:
            return "done"
        if expected is None:
            return "in-progress"
        return "on-track" if progress >= expected else "off-track"


def _distinct_ids(objectives: list[Objective]) -> list[Objective]:
    """Reports name objectives by id, so two objectives of one document cannot share one."""
    seen: set[str] = set()
    for objective in objectives:
        if objective.id in seen:
            raise ValueError(f"two objectives have the id {objective.id!r}; give each its own")
        if objective.id:
            seen.add(objective.id)
    return objectives


Objectives = Annotated[list[Objective], AfterValidator(_distinct_ids)]


class Action(Strict):
    action: Text
    owner: PersonId | None = None
    due: dt.date | None = None
    status: vocabulary(*ACTION_STATUSES) = "planned"


def _end_not_before_start(end: dt.date, info: ValidationInfo) -> dt.date:
    start = info.data.get("start")
    if start is not None and end < start:
        raise ValueError(f"end ({end}) is before start ({start})")
    return end


EndDate = Annotated[dt.date, AfterValidator(_end_not_before_start)]
"""The `end` of a period: not before the `start` written above it."""

Amount = Annotated[Decimal, Field(ge=0, max_digits=15)]


class Budget(Strict):
    amount: Amount
    currency: CurrencyCode


def _budget_form(value: object) -> str | None:
    """Which of the two budget forms a value is written in (None: neither)."""
    if isinstance(value, dict | Budget):
        return "mapping"
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return "number"
    return None


class Page(BaseModel):
    """Keys every document may have. Unknown keys are kept and reported as warnings."""

    model_config = ConfigDict(extra="allow", frozen=True)

    title: Text
    type: str = "page"
    summary: Annotated[str, BeforeValidator(as_written)] = ""
    tags: Annotated[list[TagText], BeforeValidator(comma_list)] = []
    owner: PersonId | None = None
    lang: str | None = None
    order: float | None = None
    draft: bool = False
    review: Review | None = None
    slug: str | None = None
    public_url: Annotated[str, Field(pattern=PUBLIC_URL_PATTERN)] | None = None

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str | None) -> str | None:
        if value is not None and not (SLUG_PATTERN.match(value) and value == value.lower()):
            raise ValueError(
                f"'{value}' is not a valid slug: use lowercase letters, digits and '-' only (no '/', '..' or spaces)"
            )
        return value

    @field_validator("order", mode="before")
    @classmethod
    def _order_is_number(cls, value: object) -> object:
        if isinstance(value, bool) or (value is not None and not isinstance(value, int | float)):
            raise ValueError(f"must be a number, got {value!r}")
        return value

    def people_ids(self) -> list[tuple[tuple[str | int, ...], str]]:
        """(field path, person id) for every person this document names."""
        return [(("owner",), self.owner)] if self.owner else []

    def elapsed_on(self, today: dt.date) -> float | None:
        """Share of the document's period passed by `today`; None: it has no period."""
        return None


class Strategy(Page):
    objectives: Objectives = []
    actions: list[Action] = []

    def people_ids(self) -> list[tuple[tuple[str | int, ...], str]]:
        named = super().people_ids()
        named += [(("actions", i, "owner"), a.owner) for i, a in enumerate(self.actions) if a.owner]
        return named


class Guideline(Page):
    audience: Annotated[list[Text], BeforeValidator(one_or_many)] = []
    version: Annotated[str, BeforeValidator(as_written)] | None = None
    effective: dt.date | None = None


class Campaign(Page):
    start: dt.date
    end: EndDate
    budget: (
        Annotated[
            Annotated[Budget, Tag("mapping")] | Annotated[Amount, Tag("number")],
            Discriminator(
                _budget_form,
                custom_error_type="budget_form",
                custom_error_message="expected a number or {amount, currency}",
            ),
        ]
        | None
    ) = None
    team: Annotated[list[PersonId], BeforeValidator(one_or_many)] = []
    channels: Annotated[list[Text], BeforeValidator(comma_list)] = []
    objectives: Objectives = []

    def status_on(self, today: dt.date) -> Literal["planned", "running", "ended"]:
        if today < self.start:
            return "planned"
        if today > self.end:
            return "ended"
        return "running"

    @property
    def days(self) -> int:
        """How many days the campaign runs, the first and the last included."""
        return (self.end - self.start).days + 1

    def day_on(self, today: dt.date) -> int:
        """Which day of the campaign `today` is: 1 on the launch day."""
        return (today - self.start).days + 1

    def days_to_start(self, today: dt.date) -> int:
        return (self.start - today).days

    def elapsed_on(self, today: dt.date) -> float:
        """Share of the campaign period that has passed: 0.0 before the start, 1.0 after the end."""
        return min(max(self.day_on(today) / self.days, 0.0), 1.0)

    def budget_in(self, default_currency: str) -> Budget | None:
        if self.budget is None or isinstance(self.budget, Budget):
            return self.budget
        return Budget(amount=self.budget, currency=default_currency)

    def people_ids(self) -> list[tuple[tuple[str | int, ...], str]]:
        named = super().people_ids()
        return named + [(("team", i), person) for i, person in enumerate(self.team)]


class Newsletter(Page):
    issue: Annotated[int, Field(ge=0)] | None = None
    date: dt.date | None = None
    subject: str | None = None
    preheader: str | None = None
    featured: Annotated[list[Text], BeforeValidator(one_or_many)] = []
    audience: Literal["customers", "staff"] = "customers"

    @property
    def for_customers(self) -> bool:
        """Customer issues link only to public addresses; staff issues may link the internal site."""
        return self.audience == "customers"

    @property
    def subject_line(self) -> str:
        return self.subject or self.title


class Period(Strict):
    """`period: {start, end}`: the days a follow-up report covers."""

    start: dt.date
    end: EndDate


class Measurement(Strict):
    """`{objective: social-sessions, actual: 31250}`: an objective (its id or goal) and its figure."""

    objective: Text
    actual: float


class Report(Page):
    """A follow-up (iteration) report on a strategy or campaign: `strategy` is its path,
    resolved like a Markdown link from the report's file."""

    strategy: Text
    period: Period
    measurements: list[Measurement] = []
    decisions: list[Action] = []

    def people_ids(self) -> list[tuple[tuple[str | int, ...], str]]:
        named = super().people_ids()
        named += [(("decisions", i, "owner"), d.owner) for i, d in enumerate(self.decisions) if d.owner]
        return named


DERIVED_KEYS = {
    ("campaign", "status"): "its status (planned, running or ended) follows from its start and end dates",
    ("strategy", "status"): "each of its actions has a status (actions: [{action: ..., status: done}])",
}
"""Keys a type does not have because what they would say follows from others."""


class PersonEntry(Strict):
    name: Text
    role: Text
    email: Annotated[str, Field(pattern=r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")] | None = None
    team: str | None = None
