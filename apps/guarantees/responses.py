"""The customer's voice: what each stakeholder answers for the five stakeholder methods, who may answer, and how
the answers (the latest per stakeholder) become the method's evidence.

Pure: no Django, no clock. Declared once here; the client form, the CSM's on-behalf form and the service all check
an answer with `check_answer`, so every door refuses the same nonsense (9 of 7 planned features, a rating of 11).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.core.numbers import HUNDRED, ZERO
from apps.guarantees.methods_base import as_number

TEN = Decimal(10)


class Who:
    """Who may answer a method: every stakeholder of the customer, its approvers, or those invited to it."""

    STAKEHOLDERS = "stakeholders"
    APPROVERS = "approvers"
    INVITED = "invited"


@dataclass(frozen=True)
class AnswerField:
    name: str
    label: str
    kind: str  # "yes_no", "rating" (whole 1-10), "count"
    minimum: int = 0


@dataclass(frozen=True)
class ResponseSpec:
    method: str
    who: str
    fields: tuple[AnswerField, ...]
    summary: Callable[[Mapping[str, Any]], str]  # one answer in words, for pages and the API


def _yes_no(value: object) -> str:
    return "yes" if value else "no"


RESPONSES: dict[str, ResponseSpec] = {
    spec.method: spec
    for spec in (
        ResponseSpec(
            "stakeholder_sign_off",
            Who.APPROVERS,
            (AnswerField("approved", "Do you approve this deliverable?", "yes_no"),),
            lambda a: "Approved" if a.get("approved") else "Not approved",
        ),
        ResponseSpec(
            "stakeholder_feedback",
            Who.STAKEHOLDERS,
            (AnswerField("rating", "Your rating (1 = poor, 10 = excellent)", "rating"),),
            lambda a: f"Rating {a.get('rating')}/10",
        ),
        ResponseSpec(
            "stakeholder_demo",
            Who.STAKEHOLDERS,
            (
                AnswerField("features_demonstrated", "Features you saw demonstrated", "count"),
                AnswerField("features_planned", "Features planned for the demo", "count", minimum=1),
            ),
            lambda a: f"{a.get('features_demonstrated')} of {a.get('features_planned')} planned features demonstrated",
        ),
        ResponseSpec(
            "user_testing",
            Who.INVITED,
            (AnswerField("approves", "Do you accept it after testing?", "yes_no"),),
            lambda a: f"Accepts: {_yes_no(a.get('approves'))}",
        ),
        ResponseSpec(
            "satisfaction_survey",
            Who.INVITED,
            (AnswerField("score", "How satisfied are you (1 = not at all, 10 = fully)?", "rating"),),
            lambda a: f"Satisfaction {a.get('score')}/10",
        ),
    )
}

WHO_REFUSAL = {
    Who.APPROVERS: "Only the customer's approvers can give an approval.",
    Who.INVITED: "Only stakeholders invited to this criterion can answer it.",
    Who.STAKEHOLDERS: "Only a stakeholder of this customer can answer it.",
}


def is_response_method(method: str) -> bool:
    return method in RESPONSES


def may_answer(method: str, *, is_approver: bool, is_invited: bool) -> bool:
    who = RESPONSES[method].who
    if who == Who.APPROVERS:
        return is_approver
    if who == Who.INVITED:
        return is_invited
    return True


def check_answer(method: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """One stakeholder's answer, checked and normalised (whole numbers as int, yes/no as bool); ValueError else."""
    spec = RESPONSES.get(method)
    if spec is None:
        raise ValueError("This criterion's evidence is not given by stakeholders.")
    names = [f.name for f in spec.fields]
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise ValueError(f"Unknown answer field(s): {', '.join(unknown)}. Expected: {', '.join(names)}.")
    answer: dict[str, Any] = {}
    for field in spec.fields:
        if field.name not in values or values[field.name] in (None, ""):
            raise ValueError(f"{field.label} is required.")
        answer[field.name] = _checked(field, values[field.name])
    if method == "stakeholder_demo" and answer["features_demonstrated"] > answer["features_planned"]:
        raise ValueError(
            f"Features demonstrated ({answer['features_demonstrated']}) cannot exceed features planned "
            f"({answer['features_planned']})."
        )
    return answer


def _checked(field: AnswerField, raw: object) -> Any:
    if field.kind == "yes_no":
        if isinstance(raw, bool):
            return raw
        if raw in ("yes", "no"):
            return raw == "yes"
        raise ValueError(f"{field.label} Answer yes or no.")
    value = as_number(raw, field.label)
    if value != value.to_integral_value():
        raise ValueError(f"{field.label}: a whole number, please (got {raw!r}).")
    whole = int(value)
    if field.kind == "rating" and not 1 <= whole <= 10:
        raise ValueError(f"{field.label}: a whole number from 1 to 10 (got {raw!r}).")
    if whole < field.minimum:
        raise ValueError(f"{field.label} must be at least {field.minimum} (got {whole}).")
    return whole


def merge(earlier: Iterable[Mapping[str, Any]], entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The latest answer per stakeholder: `entry` replaces only its own stakeholder's earlier answer."""
    kept = [dict(c) for c in earlier if c.get("stakeholder_id") != entry["stakeholder_id"]]
    return [*kept, dict(entry)]


def evidence_data(
    method: str,
    answers: Iterable[Mapping[str, Any]],
    *,
    approver_ids: Iterable[int] = (),
    invited_ids: Iterable[int] = (),
) -> dict[str, Any]:
    """The method's evidence fields computed from the answers that count; ValueError when nothing can be measured.

    - sign-off: approvals of approvers / every approver of the customer;
    - feedback: every rating; demo: the confirmations summed (a single confirmation is itself);
    - UAT: approving votes / every invited participant (one who has not voted counts as not approving);
    - survey: mean answer of invited stakeholders and the response rate responders / invited x 100.
    """
    answers = list(answers)
    if method == "stakeholder_sign_off":
        approvers = set(approver_ids)
        if not approvers:
            raise ValueError("This customer has no approver yet: name one on the customer's page first.")
        approved = sum(1 for a in answers if a.get("approved") and a["stakeholder_id"] in approvers)
        return {"approved": approved, "required": len(approvers)}
    if method == "stakeholder_feedback":
        return {"ratings": [str(a["rating"]) for a in answers]}
    if method == "stakeholder_demo":
        return {
            "features_demonstrated": sum(int(a["features_demonstrated"]) for a in answers),
            "features_planned": sum(int(a["features_planned"]) for a in answers),
            "confirmed_by": ", ".join(a["name"] for a in answers),
        }
    invited = set(invited_ids)
    if not invited:
        raise ValueError("Nobody is invited to answer this criterion yet.")
    counted = [a for a in answers if a["stakeholder_id"] in invited]
    if method == "user_testing":
        approving = sum(1 for a in counted if a.get("approves"))
        return {"participants_approving": approving, "participants_total": len(invited)}
    if method == "satisfaction_survey":
        if not counted:
            raise ValueError("No invited stakeholder has answered the survey yet.")
        mean = sum((Decimal(a["score"]) for a in counted), ZERO) / len(counted)
        rate = Decimal(len(counted)) / Decimal(len(invited)) * HUNDRED
        return {"score": str(mean), "response_rate_percent": str(rate)}
    raise ValueError(f"{method} is not given by stakeholders.")
