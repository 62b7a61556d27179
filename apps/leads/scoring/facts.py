"""What the scoring rules read about a lead: `LeadFacts` and its `Answers`, validated on construction.

No Django: `Lead.facts()` builds these from a row, and the batched rescore builds them from plain values with
`facts_from()`, so both go through the same checks. A bad value fails where it was made, not deep inside a rule.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from apps.leads.scoring.jsonable import to_jsonable

SERVICE_TYPES = ("mvp_development", "legacy_modernization", "team_augmentation")
COMPLEXITIES = ("low", "medium", "high", "very_high")
CRITICALITIES = ("low", "medium", "high", "critical")

# Allowed values of the multiple-choice answers; the boolean and integer answers are checked by type.
ANSWER_CHOICES: dict[str, tuple[str, ...]] = {
    "project_documentation": ("comprehensive", "partial", "none"),
    "requirements_clarity": ("very_clear", "mostly_clear", "somewhat_clear", "vague"),
    "timeline_urgency": ("urgent", "moderate", "flexible"),
    "stakeholder_alignment": ("excellent", "good", "fair", "poor"),
    "budget_status": ("approved", "preliminary", "undefined"),
    "decision_authority": ("full", "partial", "none"),
    "change_readiness": ("enthusiastic", "open", "cautious", "resistant"),
    "team_availability": ("full", "partial", "limited"),
    "communication_structure": ("excellent", "good", "fair", "poor"),
}


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name}: {value!r} is not one of {allowed}")


def _check_answer(name: str, value: Any) -> None:
    if name in ANSWER_CHOICES:
        _check_choice(name, value, ANSWER_CHOICES[name])
    elif name == "contract_timeline_weeks":
        # bool is an int subclass; True weeks is a bug, not an answer.
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError("contract_timeline_weeks must be a whole number >= 0")
    elif not isinstance(value, bool):
        raise ValueError(f"{name} must be True, False or None")


@dataclass(frozen=True)
class Answers:
    """The readiness answers of a lead; every one is optional and None means unanswered."""

    existing_codebase: bool | None = None
    project_documentation: str | None = None
    infrastructure_plan: bool | None = None
    requirements_clarity: str | None = None
    timeline_urgency: str | None = None
    stakeholder_alignment: str | None = None
    success_criteria_defined: bool | None = None
    change_management_experience: bool | None = None
    budget_status: str | None = None
    decision_authority: str | None = None
    contract_timeline_weeks: int | None = None
    payment_terms_acceptable: bool | None = None
    change_readiness: str | None = None
    team_availability: str | None = None
    communication_structure: str | None = None
    high_priority: bool | None = None

    def __post_init__(self) -> None:
        for name, value in self.__dict__.items():
            if value is not None:
                _check_answer(name, value)


@dataclass(frozen=True)
class LeadFacts:
    """Everything the rules know about a lead (no contact details: they never change a score)."""

    service_type: str
    timeline_weeks: int
    complexity: str
    budget_usd: Decimal
    team_size: int
    business_criticality: str
    requirements: tuple[str, ...] = ()
    technology_preferences: tuple[str, ...] = ()
    compliance_requirements: tuple[str, ...] = ()
    required_integrations: tuple[str, ...] = ()
    has_ui_requirements: bool = False
    has_fallback_plan: bool = False
    answers: Answers = field(default_factory=Answers)

    def __post_init__(self) -> None:
        _check_choice("service_type", self.service_type, SERVICE_TYPES)
        _check_choice("complexity", self.complexity, COMPLEXITIES)
        _check_choice("business_criticality", self.business_criticality, CRITICALITIES)
        if self.timeline_weeks < 1:
            raise ValueError("timeline_weeks must be >= 1")
        if self.team_size < 0:
            raise ValueError("team_size must be >= 0")
        # Floats would bring binary noise into money; the model layer hands over Decimal.
        if not isinstance(self.budget_usd, Decimal) or self.budget_usd < 0:
            raise ValueError("budget_usd must be a Decimal >= 0")


# Names a criterion's `source` may use: an answer, or a fact of the lead.
ANSWER_KEYS = tuple(item.name for item in fields(Answers))
FACT_SOURCES = tuple(item.name for item in fields(LeadFacts) if item.name != "answers")
# The lead columns the facts are made of (a rescore loads just these).
FACT_FIELDS = (*FACT_SOURCES, "answers")
_LIST_FACTS = ("requirements", "technology_preferences", "compliance_requirements", "required_integrations")


def facts_from(values: Mapping[str, Any]) -> LeadFacts:
    """LeadFacts from a lead's stored values (JSON lists and the answers dict); ValueError on a refused value."""
    kwargs = {name: values[name] for name in FACT_SOURCES}
    kwargs["budget_usd"] = Decimal(values["budget_usd"])
    for name in _LIST_FACTS:
        kwargs[name] = tuple(values[name] or ())
    return LeadFacts(**kwargs, answers=Answers(**(values["answers"] or {})))


# The lead columns stored as JSON (a rescore reads them as text and parses each distinct text once).
JSON_FACTS = (*_LIST_FACTS, "answers")


class FactsReader:
    """`facts_from` for rows whose JSON columns come as text, for a batch of many leads.

    Answers and lists recur from lead to lead (the same questionnaire answers, the same stack), so each distinct
    text is parsed, and its answers checked, once: the leads share the resulting `Answers` and tuples, which are
    immutable. The result is what `facts_from` gives for the parsed values.
    """

    LIMIT = 10_000  # distinct texts kept per column (free text could grow the memo without end)

    def __init__(self) -> None:
        self.memos: dict[str, dict[str | None, Any]] = {name: {} for name in JSON_FACTS}

    def _parsed(self, name: str, text: str | None) -> Any:
        memo = self.memos[name]
        value = memo.get(text, memo)
        if value is memo:
            loaded = None if text is None else json.loads(text)
            # As facts_from: a missing list is empty and missing answers are none given (a refused answer raises).
            value = Answers(**(loaded or {})) if name == "answers" else tuple(loaded or ())
            if len(memo) >= self.LIMIT:
                memo.clear()
            memo[text] = value
        return value

    def facts(self, values: Mapping[str, Any], texts: Mapping[str, str | None]) -> LeadFacts:
        """LeadFacts from a row's plain values (every FACT_SOURCES name but the lists) and its JSON_FACTS texts."""
        kwargs = {name: values[name] for name in FACT_SOURCES if name not in _LIST_FACTS}
        kwargs["budget_usd"] = Decimal(values["budget_usd"])
        for name in _LIST_FACTS:
            kwargs[name] = self._parsed(name, texts[name])
        return LeadFacts(**kwargs, answers=self._parsed("answers", texts["answers"]))


def facts_hash(facts: LeadFacts) -> str:
    """SHA-256 of everything the rules read from a lead: equal hashes score equally under one config."""
    text = json.dumps(to_jsonable(facts), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
