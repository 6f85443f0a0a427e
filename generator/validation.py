"""Turn pydantic validation errors into located Problems (file, line, field, message), and
the field checks that playbook.yml and front matter share."""

from __future__ import annotations

import difflib
from typing import Annotated, get_args

from pydantic import AfterValidator, BaseModel, ValidationError

from generator.errors import Problem, Severity
from generator.yamlsource import KeyPath, LocatedYaml


def iso_currency(value: str) -> str:
    """`value` itself when it is an ISO 4217 code Babel knows."""
    from babel.numbers import list_currencies

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
        model = _submodel(field.annotation) if field else None
    return model


def _submodel(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _submodel(argument)
        if found is not None:
            return found
    return None


def _message(error: dict, model: type[BaseModel] | None, loc: KeyPath) -> str:
    kind = error["type"]
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        holder = _model_at(model, loc)
        known = sorted(holder.model_fields) if holder else []
        guess = difflib.get_close_matches(str(loc[-1]), known, n=1) if loc else []
        if guess:
            return f"unknown key; did you mean '{guess[0]}'?"
        return f"unknown key; expected one of: {', '.join(known)}" if known else "unknown key"
    if kind.startswith("date") and kind.endswith(("_type", "_parsing")):
        return f"expected a date as YYYY-MM-DD, got {_shown(error.get('input'))}"
    message = str(error["msg"])
    if kind.endswith(("_type", "_parsing")):
        message += f", got {_shown(error.get('input'))}"
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if message.startswith("Assertion failed, "):
        message = message[len("Assertion failed, ") :]
    return message[:1].lower() + message[1:]


UNION_MARKERS = frozenset({"int", "float", "str", "number", "mapping"})


def _shown(value: object) -> str:
    """A short description of the value a user wrote, for 'expected X, got Y' messages."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
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
) -> list[Problem]:
    """One Problem per pydantic error, each on the line of its key."""
    found: list[Problem] = []
    for error in exc.errors():
        loc = _clean_loc(tuple(error["loc"]))
        line = located.line_of(loc, fallback_line)
        found.append(Problem(path, line, field_name(loc) or None, _message(error, model, loc), severity))
    return found
