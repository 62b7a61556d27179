"""How a method declares its fields, once: each evidence field is a dataclass field carrying a `FieldSpec`; the
questions a stakeholder answers (client form) are `AnswerField`s.

    @dataclass(frozen=True)
    class AutomatedTestingEvidence(MethodEvidence):
        coverage_percent: Decimal = percent_field("Coverage %")
        tests_passed: int = count_field("Tests passed", not_above="tests_total")
        tests_total: int = count_field("Tests in total", positive=True)

From this one declaration come the evidence's own checks (on construction, in field order, ValueError with a
message naming the field), the stored JSON (`to_json` / `from_json`), the staff form (`apps.guarantees.forms`) and
the API schema (`apps.guarantees.api`). Pure: no Django, no clock.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.core.numbers import HUNDRED, ZERO
from apps.core.text import has_control_character
from apps.guarantees.methods.base import (
    MAX_ITEMS,
    MAX_NAME_LENGTH,
    MAX_NUMBER,
    as_number,
    count,
    human,
    not_above,
    number,
    text,
)

TEN = Decimal(10)
RATING_MIN = Decimal(1)
_SPEC = "evidence_field"


@dataclass(frozen=True)
class FieldSpec:
    kind: str  # count, number, text, yes_no, checks, ratings
    label: str  # what the staff form shows; error messages name the field itself ("Tests total")
    positive: bool = False  # count: at least 1 (a ratio over nothing measures nothing); number: above 0
    minimum: Decimal = ZERO
    maximum: Decimal = MAX_NUMBER
    not_above: str = ""  # the field this one cannot exceed (passed <= total)
    required: bool = True  # text
    max_length: int | None = None  # text, on the form
    multiline: bool = False  # text, on the form
    help_text: str = ""
    configured: str = ""  # percent: left out, the MethodSettings value of that name applies; it may be raised only


def _declare(spec: FieldSpec, **default: Any) -> Any:
    return dataclasses.field(metadata={_SPEC: spec}, **default)


def count_field(label: str = "", *, positive: bool = False, not_above: str = "") -> Any:
    """A whole number from 0 (from 1 with `positive`) up to MAX_COUNT."""
    return _declare(FieldSpec("count", label, positive=positive, not_above=not_above))


def number_field(
    label: str = "",
    *,
    minimum: Decimal = ZERO,
    maximum: Decimal = MAX_NUMBER,
    positive: bool = False,
    help_text: str = "",
) -> Any:
    """A finite decimal within [minimum, maximum]; `positive` also refuses 0 (a target to divide by)."""
    spec = FieldSpec("number", label, positive=positive, minimum=minimum, maximum=maximum, help_text=help_text)
    return _declare(spec)


def percent_field(label: str = "", *, positive: bool = False, configured: str = "", help_text: str = "0-100") -> Any:
    spec = FieldSpec("number", label, positive=positive, maximum=HUNDRED, help_text=help_text, configured=configured)
    return _declare(spec)


def text_field(
    label: str = "", *, required: bool = True, max_length: int | None = None, multiline: bool = False
) -> Any:
    spec = FieldSpec("text", label, required=required, max_length=max_length, multiline=multiline)
    return _declare(spec) if required else _declare(spec, default="")


def yes_no_field(label: str = "") -> Any:
    return _declare(FieldSpec("yes_no", label))


def checks_field(label: str = "", *, help_text: str = "") -> Any:
    """Named pass/fail checks: (name, passed) pairs; stored and posted as [{name, passed}]."""
    return _declare(FieldSpec("checks", label, help_text=help_text))


def ratings_field(label: str = "") -> Any:
    """One 1-10 rating per stakeholder; stored as a list of strings."""
    return _declare(FieldSpec("ratings", label))


class Who:
    """Who may answer a stakeholder method: every stakeholder of the customer, its approvers, or those invited."""

    STAKEHOLDERS = "stakeholders"
    APPROVERS = "approvers"
    INVITED = "invited"


@dataclass(frozen=True)
class AnswerField:
    """One question a stakeholder answers in the client view (and a CSM on their behalf)."""

    name: str
    label: str
    kind: str  # "yes_no", "rating" (whole 1-10), "count"
    minimum: int = 0
    not_above: str = ""  # another answer this one cannot exceed (features demonstrated <= planned)


def spec_of(field: dataclasses.Field) -> FieldSpec:
    return field.metadata[_SPEC]


def declared(evidence_class: type) -> list[tuple[str, FieldSpec]]:
    """The evidence class's fields in declaration order, with their specs."""
    return [(f.name, spec_of(f)) for f in dataclasses.fields(evidence_class)]


def optional_names(evidence_class: type) -> set[str]:
    """Fields stored data may leave out (they have a default)."""
    return {f.name for f in dataclasses.fields(evidence_class) if f.default is not dataclasses.MISSING}


@dataclass(frozen=True)
class MethodEvidence:
    """Base of every evidence dataclass: checks each declared field on construction, in declaration order.

    A `not_above` pair is checked as soon as both of its fields are, so the first message is about the first
    field that is wrong.
    """

    def __post_init__(self) -> None:
        checked: set[str] = set()
        pairs = [(name, spec.not_above) for name, spec in declared(type(self)) if spec.not_above]
        for name, spec in declared(type(self)):
            _CHECKS[spec.kind](self, name, spec)
            checked.add(name)
            for part, whole in pairs:
                if name in (part, whole) and {part, whole} <= checked:
                    not_above(self, part, whole)


def _check_count(obj: Any, name: str, spec: FieldSpec) -> None:
    count(obj, name, positive=spec.positive)


def _check_number(obj: Any, name: str, spec: FieldSpec) -> None:
    if number(obj, name, minimum=spec.minimum, maximum=spec.maximum) == 0 and spec.positive:
        raise ValueError(f"{human(name)} must be above 0.")


def _check_text(obj: Any, name: str, spec: FieldSpec) -> None:
    text(obj, name, required=spec.required)


def _check_yes_no(obj: Any, name: str, spec: FieldSpec) -> None:
    value = getattr(obj, name)
    if not isinstance(value, bool):
        raise ValueError(f"{human(name)} must be true or false, not {value!r}.")


def _check_checks(obj: Any, name: str, spec: FieldSpec) -> None:
    raw = getattr(obj, name)
    if isinstance(raw, str) or not isinstance(raw, tuple | list) or not raw:
        raise ValueError("At least one named check with its pass/fail result is needed.")
    if len(raw) > MAX_ITEMS:
        raise ValueError(f"At most {MAX_ITEMS} checks in one piece of evidence (got {len(raw):,}).")
    checks = tuple(_check(item) for item in raw)
    names = [check_name for check_name, _ in checks]
    duplicates = sorted({check_name for check_name in names if names.count(check_name) > 1})
    if duplicates:
        raise ValueError(f"Each check must be listed once; repeated: {', '.join(duplicates)}.")
    object.__setattr__(obj, name, checks)


def _check(item: object) -> tuple[str, bool]:
    # JSON brings pairs as lists; a string "false" must not count as a pass, so the flag must be a bool.
    if not isinstance(item, tuple | list) or len(item) != 2:
        raise ValueError(f"A check must be a (name, passed) pair, not {item!r}.")
    name, passed = item
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"A check needs a name (got {name!r}).")
    if len(name) > MAX_NAME_LENGTH or has_control_character(name):
        raise ValueError(f"A check name must be plain text of at most {MAX_NAME_LENGTH} characters.")
    if not isinstance(passed, bool):
        raise ValueError(f"Check {name!r} must be passed true or false, not {passed!r}.")
    return name, passed


def _check_ratings(obj: Any, name: str, spec: FieldSpec) -> None:
    ratings = getattr(obj, name)
    if isinstance(ratings, str) or not isinstance(ratings, tuple | list):
        raise ValueError("Ratings must be a list of numbers from 1 to 10.")
    if not ratings:
        raise ValueError("At least one rating is needed.")
    if len(ratings) > MAX_ITEMS:
        raise ValueError(f"At most {MAX_ITEMS} ratings in one piece of evidence.")
    object.__setattr__(obj, name, tuple(_rating(value, i) for i, value in enumerate(ratings, 1)))


def _rating(value: object, position: int) -> Decimal:
    try:
        return as_number(value, f"Rating {position}", minimum=RATING_MIN, maximum=TEN)
    except ValueError:
        raise ValueError(f"Rating {position} must be a number from 1 to 10 (got {value!r}).") from None


_CHECKS = {
    "count": _check_count,
    "number": _check_number,
    "text": _check_text,
    "yes_no": _check_yes_no,
    "checks": _check_checks,
    "ratings": _check_ratings,
}


def to_json(spec: FieldSpec, value: Any) -> Any:
    """A checked value as stored JSON: Decimals as exact strings, checks as {name, passed} objects."""
    if spec.kind == "checks":
        return [{"name": name, "passed": passed} for name, passed in value]
    if spec.kind == "ratings":
        return [str(rating) for rating in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


def from_json(spec: FieldSpec, raw: Any) -> Any:
    """Stored or posted JSON back to what the evidence class checks: {name, passed} objects become pairs."""
    if spec.kind != "checks":
        return raw
    if not isinstance(raw, list):
        raise ValueError("Checks must be a list of {name, passed} objects.")
    pairs = []
    for item in raw:
        if not isinstance(item, dict) or set(item) != {"name", "passed"}:
            raise ValueError(f"Each check needs exactly a name and passed (got {item!r}).")
        pairs.append((item["name"], item["passed"]))
    return tuple(pairs)
