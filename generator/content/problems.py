"""Turn pydantic validation errors into located Problems (file, line, field, message).

Every message quotes what was written and shows the form to write instead, in the words of
the content model, never pydantic's. Values YAML could not read were reported by the reader
and are skipped here, so one mistake gives one message. The field checks that playbook.yml
and front matter share (a currency code) live here too.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Annotated, get_args

from pydantic import AfterValidator, BaseModel, ValidationError, create_model

from generator.content.yamlsource import BadValue, KeyPath, LocatedYaml, WrittenFloat
from generator.errors import Problem, Severity

FORMS = {
    "budget": "{amount: 12500, currency: EUR} (or budget: 12500 in the site's currency)",
    "review": "{every: monthly, last: TODAY}",
    "objectives": "[{goal: More visits, metric: Visits, target: 5000}]",
    "actions": "[{action: Post twice a week, owner: ana, status: planned}]",
    "tags": "[launch, spring]",
    "team": "[ana, ben]",
    "channels": "[Instagram, LinkedIn]",
    "featured": "[../campaigns/spring-launch.md]",
    "audience": "[all staff, managers]",
}
NUMBER = re.compile(r"^\s*(?P<symbol>[€$£]?)\s*(?P<number>[+-]?\d[\d.,'\u00a0 ]*)\s*(?P<code>[A-Za-z]{3})?\s*$")
SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP"}
THOUSANDS = re.compile(r"^\d{1,3}([,.' \u00a0]\d{3})+$")


def iso_currency(value: str) -> str:
    """An ISO 4217 code Babel knows, as written or in capitals (` eur` is `EUR`)."""
    from babel.numbers import list_currencies

    value = value.strip().upper()
    if value not in list_currencies():
        raise ValueError(f"'{value}' is not an ISO 4217 currency code (e.g. EUR, USD, BGN)")
    return value


CurrencyCode = Annotated[str, AfterValidator(iso_currency)]


def field_name(loc: KeyPath) -> str:
    """`("objectives", 0, "target")` -> `objectives[0].target`."""
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name


def _model_at(model: type[BaseModel] | None, loc: KeyPath) -> type[BaseModel] | None:
    """The nested model that holds the key at `loc` (list indexes are skipped)."""
    for part in loc[:-1]:
        if model is None or isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        model = submodel(field.annotation) if field else None
    return model


def submodel(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = submodel(argument)
        if found is not None:
            return found
    return None


def number_written(text: str) -> Decimal | None:
    """The number someone meant by `5,000`, `12 500` or `12,5` (None: not a number)."""
    match = NUMBER.match(text)
    if match is None:
        return None
    digits = match["number"].strip()
    if THOUSANDS.match(digits.lstrip("+-")):
        digits = re.sub(r"[,.' \u00a0]", "", digits)
    else:
        digits = re.sub(r"['\u00a0 ]", "", digits)
        if "," in digits and "." in digits:
            digits = digits.replace(",", "") if digits.rfind(".") > digits.rfind(",") else digits.replace(".", "")
        digits = digits.replace(",", ".")
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _currency_written(text: str) -> str | None:
    match = NUMBER.match(text)
    if match is None:
        return None
    return (match["code"] or "").upper() or SYMBOLS.get(match["symbol"])


def _number_message(key: str, value: object) -> str:
    if isinstance(value, str) and (number := number_written(value)) is not None:
        return f"{value!r} is not a number YAML can read: write {key}: {number} (digits only, no thousands separator)"
    return f"expected a number, got {_shown(value)}: write {key}: 5000"


def _budget_message(value: object) -> str:
    if isinstance(value, str) and (number := number_written(value)) is not None:
        currency = _currency_written(value) or "EUR"
        return (
            f"{value!r} is not a budget YAML can read: write budget: {{amount: {number}, currency: {currency}}}"
            f" (or budget: {number} in the site's currency)"
        )
    return f"expected a budget, got {_shown(value)}: write budget: {FORMS['budget']}"


def _mapping_message(key: str, value: object, today: dt.date) -> str:
    if key == "review" and isinstance(value, str):
        return (
            f"{value!r} also needs the day of the last review: write review: {{every: {value.strip()}, "
            f"last: {today.isoformat()}}}"
        )
    form = FORMS.get(key, "{key: value}").replace("TODAY", today.isoformat())
    return f"expected a mapping such as {key}: {form}, got {_shown(value)}"


PLAIN_MESSAGES = {
    "missing": "is required",
    "invalid_key": "{value} is not a key: inside {{...}} a comma separates entries, so write numbers without a "
    "thousands separator (5000, not 5,000)",
    "string_type": "expected text, got {value}",
    "bool_type": "expected true or false, got {value}",
    "bool_parsing": "expected true or false, got {value}",
    "greater_than_equal": "must be {ge} or more, got {value}",
    "greater_than": "must be more than {gt}, got {value}",
    "string_too_short": "must not be empty",
    "string_too_long": "is longer than {max_length} characters",
    "string_pattern_mismatch": "{value} does not have the expected form",
    "literal_error": "{value} is not one of: {expected}",
}
"""Messages for pydantic's error types that need only the value and the error's context."""


def _message(error: dict, model: type[BaseModel] | None, loc: KeyPath, today: dt.date) -> str:
    kind = error["type"]
    value = error.get("input")
    key = next((str(part) for part in reversed(loc) if isinstance(part, str)), "value")
    if kind in PLAIN_MESSAGES:
        context = {name: str(item).replace("'", "") for name, item in error.get("ctx", {}).items()}
        return PLAIN_MESSAGES[kind].format(value=_shown(value), **context)
    if kind == "extra_forbidden":
        return _unknown_nested_key(model, loc)
    if kind == "budget_form":
        return _budget_message(value)
    if kind.startswith("date") and kind.endswith(("_type", "_parsing")):
        return f"expected a date as YYYY-MM-DD, got {_shown(value)}"
    if kind.startswith(("int_", "float_", "decimal_")) and kind != "decimal_max_digits":
        return _number_message(key, value)
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _mapping_message(key, value, today)
    if kind == "list_type":
        return f"expected a list such as {key}: {FORMS.get(key, '[first, second]')}, got {_shown(value)}"
    message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return message[:1].lower() + message[1:]


def _unknown_nested_key(model: type[BaseModel] | None, loc: KeyPath) -> str:
    holder = _model_at(model, loc)
    known = sorted(holder.model_fields) if holder else []
    guess = difflib.get_close_matches(str(loc[-1]), known, n=1) if loc else []
    if guess:
        return f"unknown key; did you mean '{guess[0]}'?"
    return f"unknown key; expected one of: {', '.join(known)}" if known else "unknown key"


UNION_MARKERS = frozenset({"int", "float", "str", "number", "mapping"})


def _shown(value: object) -> str:
    """A short description of the value a user wrote, for 'expected X, got Y' messages."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, WrittenFloat):
        return value.text
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _clean_loc(loc: tuple) -> KeyPath:
    """Drop pydantic's union/tag markers such as 'function-after[...]', 'int' or a schema's Tag names."""
    return tuple(part for part in loc if isinstance(part, int) or ("[" not in part and part not in UNION_MARKERS))


def problems_from(
    exc: ValidationError,
    located: LocatedYaml,
    path: str,
    *,
    model: type[BaseModel] | None = None,
    fallback_line: int | None = None,
    severity: Severity = "error",
    today: dt.date | None = None,
) -> list[Problem]:
    """One Problem per pydantic error, each on the line of its key; errors about a value YAML
    could not read are left out (the reader reported them)."""
    found: list[Problem] = []
    for error in exc.errors():
        loc = _clean_loc(tuple(error["loc"]))
        if isinstance(error.get("input"), BadValue) or located.is_unread(loc):
            continue
        if error["type"] == "invalid_key":
            loc = loc[:-1]
        line = located.line_of(loc, fallback_line)
        message = _message(error, model, loc, today or dt.date.today())
        found.append(Problem(path, line, field_name(loc) or None, message, severity))
    return found


_UNCHECKED: set[type[BaseModel]] = set()


@cache
def unchecked(schema: type[BaseModel]) -> type[BaseModel]:
    """`schema` with its required keys made optional: what is left of a document whose
    required keys were wrong, so that its other keys can still be checked."""
    optional = {
        name: (field.annotation | None, None)  # type: ignore[operator]
        for name, field in schema.model_fields.items()
        if field.is_required()
    }
    model = create_model(f"Unchecked{schema.__name__}", __base__=schema, **optional)  # type: ignore[call-overload]
    _UNCHECKED.add(model)
    return model


def is_salvaged(meta: BaseModel) -> bool:
    """True for what `salvaged` kept of a document with errors: a stand-in that links may
    point at, never something to compute figures from or to publish."""
    return type(meta) in _UNCHECKED


def salvaged(schema: type[BaseModel], data: dict, exc: ValidationError) -> BaseModel | None:
    """The document without the values `exc` found wrong: first only the wrong keys inside
    list items, then the whole top-level keys that still fail. None if nothing is left."""
    kept = copy.deepcopy(data)
    errors = [_clean_loc(tuple(error["loc"])) for error in exc.errors()]
    for loc in errors:
        if not loc:
            return None
        _drop_leaf(kept, loc)
    for _attempt in range(2):
        try:
            return unchecked(schema).model_validate(kept)
        except ValidationError as again:
            tops = {loc[0] for loc in (_clean_loc(tuple(e["loc"])) for e in again.errors())}
            if not tops or "" in tops:
                return None
            for top in tops:
                kept.pop(top, None)
    return None


def _drop_leaf(data: dict, loc: KeyPath) -> None:
    """Remove the key at `loc` when it sits in a mapping inside a list (keeping the list's
    indexes, which line numbers depend on); otherwise the top-level key."""
    holder: object = data
    for part in loc[:-1]:
        holder = holder[part] if isinstance(holder, dict | list) and _has(holder, part) else None
    if len(loc) > 2 and isinstance(holder, dict) and any(isinstance(part, int) for part in loc[:-1]):
        holder.pop(loc[-1], None)
    else:
        data.pop(loc[0], None)


def _has(holder: dict | list, part: str | int) -> bool:
    if isinstance(holder, dict):
        return part in holder
    return isinstance(part, int) and 0 <= part < len(holder)
