"""Request and response shapes of the lead API. Inputs are strict: wrong types, unknown values and unknown keys
answer 422 with a message per field, before anything is written."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool, StrictInt, field_validator

from apps.api.schemas import PlainText, Text
from apps.leads.bounds import MAX_CONTRACT_WEEKS, MAX_LINE_LENGTH, MAX_LIST_ITEMS, MAX_TEAM_SIZE, MAX_TIMELINE_WEEKS

ServiceTypeIn = Literal["mvp_development", "legacy_modernization", "team_augmentation"]
ComplexityIn = Literal["low", "medium", "high", "very_high"]
CriticalityIn = Literal["low", "medium", "high", "critical"]
Rating = Literal["excellent", "good", "fair", "poor"]


Line = Annotated[PlainText, Field(min_length=1, max_length=MAX_LINE_LENGTH)]
Lines = Annotated[list[Line], Field(max_length=MAX_LIST_ITEMS)]
Weeks = Annotated[StrictInt, Field(ge=1, le=MAX_TIMELINE_WEEKS)]
TeamSize = Annotated[StrictInt, Field(ge=0, le=MAX_TEAM_SIZE)]
Budget = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2, allow_inf_nan=False)]


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


def _no_default(schema: dict) -> None:
    schema.pop("default", None)


def omittable():  # noqa: ANN201 (a pydantic FieldInfo)
    """A PATCH key that may be left out but is never null: the schema says exactly that (no `null` in its type),
    so a null answers 422 from the schema check, as the document promises, instead of slipping through to the model.
    """
    return Field(default=None, json_schema_extra=_no_default)


class ContactIn(_Strict):
    name: Annotated[Text, Field(min_length=1, max_length=150)]
    email: Annotated[Text, Field(max_length=254)]
    phone: Annotated[Text, Field(max_length=40)] = ""

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        try:
            validate_email(value)
        except DjangoValidationError as exc:
            raise ValueError("Enter a valid email address.") from exc
        return value.lower()


class ProjectIn(_Strict):
    timeline_weeks: Weeks
    complexity: ComplexityIn
    requirements: Lines = []
    technology_preferences: Lines = []
    budget_usd: Budget
    compliance_requirements: Lines = []
    required_integrations: Lines = []
    business_criticality: CriticalityIn
    team_size: TeamSize
    has_ui_requirements: StrictBool = False
    has_fallback_plan: StrictBool = False


class AnswersIn(_Strict):
    existing_codebase: StrictBool | None = None
    project_documentation: Literal["comprehensive", "partial", "none"] | None = None
    infrastructure_plan: StrictBool | None = None
    requirements_clarity: Literal["very_clear", "mostly_clear", "somewhat_clear", "vague"] | None = None
    timeline_urgency: Literal["urgent", "moderate", "flexible"] | None = None
    stakeholder_alignment: Rating | None = None
    success_criteria_defined: StrictBool | None = None
    change_management_experience: StrictBool | None = None
    budget_status: Literal["approved", "preliminary", "undefined"] | None = None
    decision_authority: Literal["full", "partial", "none"] | None = None
    contract_timeline_weeks: Annotated[StrictInt, Field(ge=0, le=MAX_CONTRACT_WEEKS)] | None = None
    payment_terms_acceptable: StrictBool | None = None
    change_readiness: Literal["enthusiastic", "open", "cautious", "resistant"] | None = None
    team_availability: Literal["full", "partial", "limited"] | None = None
    communication_structure: Rating | None = None
    high_priority: StrictBool | None = None


class LeadIn(_Strict):
    organization_name: Annotated[Text, Field(min_length=1, max_length=200)]
    contact: ContactIn
    service_type: ServiceTypeIn
    project: ProjectIn
    answers: AnswersIn = AnswersIn()


class ContactPatch(_Strict):
    """Only the keys sent change; `{}` changes nothing. A phone sent as null is cleared; name and email cannot be."""

    name: Annotated[Text, Field(min_length=1, max_length=150)] = omittable()
    email: Annotated[Text, Field(max_length=254)] = omittable()
    phone: Annotated[Text, Field(max_length=40)] | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return value if value is None else ContactIn._email(value)


class ProjectPatch(_Strict):
    timeline_weeks: Weeks = omittable()
    complexity: ComplexityIn = omittable()
    requirements: Lines = omittable()
    technology_preferences: Lines = omittable()
    budget_usd: Budget = omittable()
    compliance_requirements: Lines = omittable()
    required_integrations: Lines = omittable()
    business_criticality: CriticalityIn = omittable()
    team_size: TeamSize = omittable()
    has_ui_requirements: StrictBool = omittable()
    has_fallback_plan: StrictBool = omittable()


class LeadPatch(_Strict):
    """Only the keys sent change; an answer sent as null becomes unanswered. `contact`, `project` and `answers` sent
    as null or `{}` change nothing; any other key sent as null is a 422."""

    organization_name: Annotated[Text, Field(min_length=1, max_length=200)] = omittable()
    contact: ContactPatch | None = None
    service_type: ServiceTypeIn = omittable()
    project: ProjectPatch | None = None
    answers: AnswersIn | None = None


class LeadQuery(Schema):
    status: (
        Literal["new", "scoring", "qualified", "moderately_qualified", "unqualified", "proposal", "won", "lost"] | None
    ) = None
    level: Literal["highly_qualified", "qualified", "moderately_qualified", "unqualified", "pending"] | None = None
    service_type: ServiceTypeIn | None = None
    search: Annotated[Text, Field(max_length=100)] | None = None
    created_from: date | None = None
    created_to: date | None = None
    sort: Literal[
        "created",
        "-created",
        "organization",
        "-organization",
        "qualification",
        "-qualification",
        "feasibility",
        "-feasibility",
        "status",
    ] = "-created"
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    offset: Annotated[int, Field(ge=0, le=1_000_000_000)] = 0  # beyond 64 bits the database refuses the OFFSET


# ---------------------------------------------------------------- responses


class LeadCreated(Schema):
    id: int
    status: str


class DimensionOut(Schema):
    points: float
    max: float
    percent: float


class CriterionOut(Schema):
    key: str
    dimension: str
    answer: str | None
    points: float
    max: float
    reason: str


class FitOut(Schema):
    fit: Literal["ideal", "fit", "weak", "blocked"]
    key_gaps: list[str]


class QualificationOut(Schema):
    score: float
    level: str
    dimensions: dict[str, DimensionOut]
    criteria: list[CriterionOut]
    disqualifiers: list[str]
    service_fit: dict[str, FitOut]
    next_steps: list[str]
    config_version: int


class RiskOut(Schema):
    code: str
    impact: float
    text: str


class FeasibilityOut(Schema):
    score: float
    level: str
    technical: float
    timeline: float
    resource: float
    estimated_weeks: float
    success_probability: float
    risk_factors: list[RiskOut]
    blockers: list[str]
    recommended_approach: str


class ContactOut(Schema):
    name: str
    email: str
    phone: str


class LeadOut(Schema):
    id: int
    organization_name: str
    contact: ContactOut
    service_type: str
    project: dict[str, object]
    answers: dict[str, object]
    status: str
    lost_reason: str
    owner: str | None
    stops: list[str]
    stopped: bool
    overridden: bool
    created_at: datetime
    updated_at: datetime
    qualification: QualificationOut | None
    feasibility: FeasibilityOut | None


class LeadPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LeadOut]
