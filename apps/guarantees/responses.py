"""The customer's voice: checking a stakeholder's answer, who may answer, and how the answers (the latest per
stakeholder) become the method's evidence.

Pure: no Django, no clock. What is asked is declared once, in each stakeholder method's module (`questions`); the
client form, the CSM's on-behalf form and the service all check an answer with `check_answer`, so every door refuses
the same nonsense (9 of 7 planned features, a rating of 11).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from apps.guarantees.methods import METHODS, Method
from apps.guarantees.methods.base import as_number, values_not_above
from apps.guarantees.methods.fields import AnswerField, Who

__all__ = ["RESPONSES", "WHO_REFUSAL", "AnswerField", "Who", "check_answer", "evidence_data", "may_answer", "merge"]

# The methods each stakeholder answers; each declares its `who`, `questions`, `summary` and `evidence_from_answers`.
RESPONSES: dict[str, Method] = {key: method for key, method in METHODS.items() if method.stakeholder_supplied}

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
    names = [f.name for f in spec.questions]
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise ValueError(f"Unknown answer field(s): {', '.join(unknown)}. Expected: {', '.join(names)}.")
    answer: dict[str, Any] = {}
    for field in spec.questions:
        if field.name not in values or values[field.name] in (None, ""):
            raise ValueError(f"{field.label} is required.")
        answer[field.name] = _checked(field, values[field.name])
    for field in spec.questions:
        if field.not_above:
            values_not_above(field.name, answer[field.name], field.not_above, answer[field.not_above])
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

    The answers that count are those of the people the method asks: its approvers (sign-off: approvals of approvers
    / every approver), those invited (UAT, survey: over everyone invited, so one who has not answered counts), or
    every stakeholder (feedback, demo). The method's `evidence_from_answers` does the arithmetic.
    """
    spec = RESPONSES.get(method)
    if spec is None:
        raise ValueError(f"{method} is not given by stakeholders.")
    answers = list(answers)
    if spec.who == Who.APPROVERS:
        asked = set(approver_ids)
        if not asked:
            raise ValueError("This customer has no approver yet: name one on the customer's page first.")
    elif spec.who == Who.INVITED:
        asked = set(invited_ids)
        if not asked:
            raise ValueError("Nobody is invited to answer this criterion yet.")
    else:
        return spec.evidence_from_answers(answers, len(answers))
    return spec.evidence_from_answers([a for a in answers if a["stakeholder_id"] in asked], len(asked))
