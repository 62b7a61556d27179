"""Leads, their stored scores, and the closed-guarantee outcomes that calibrate the success probability.

The scoring configuration models live in `scoring/models.py`, next to the rules that read them; they are imported
here because Django finds an app's models through this module.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from apps.leads.scoring.facts import FACT_FIELDS, LeadFacts, facts_from
from apps.leads.scoring.models import (  # noqa: F401  (Django finds an app's models through this module)
    Approach,
    ComplexityDeduction,
    Criterion,
    CriterionBand,
    CriterionChoice,
    DisqualifierLabel,
    FeasibilityLevel,
    ProbabilityBand,
    QualificationLevel,
    RequirementMultiplier,
    RescoreRun,
    ScoringConfigVersion,
    ScoringSettings,
    ServiceTypeSetting,
    TeamScore,
    TimelineLimit,
)


class ServiceType(models.TextChoices):
    MVP_DEVELOPMENT = "mvp_development", "MVP development"
    LEGACY_MODERNIZATION = "legacy_modernization", "Legacy modernization"
    TEAM_AUGMENTATION = "team_augmentation", "Team augmentation"


class Complexity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


class Criticality(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class LeadQuerySet(models.QuerySet["Lead"]):
    def visible_to(self, user: Any) -> LeadQuerySet:
        """Leads are staff-only: every lead for staff, none for anyone else."""
        if not user.is_authenticated or not user.is_active or not user.is_staff:
            return self.none()
        return self

    def open(self) -> LeadQuerySet:
        """Leads still being qualified (not yet a proposal, won or lost): the ones a config change rescores."""
        return self.filter(status__in=Lead.OPEN_STATUSES)

    def with_scores(self) -> LeadQuerySet:
        return self.select_related("owner", "latest_score", "latest_score__config_version")


class Lead(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        SCORING = "scoring", "Scoring"
        QUALIFIED = "qualified", "Qualified"
        MODERATELY_QUALIFIED = "moderately_qualified", "Moderately qualified"
        UNQUALIFIED = "unqualified", "Unqualified"
        PROPOSAL = "proposal", "Proposal"
        WON = "won", "Won"
        LOST = "lost", "Lost"

    class Source(models.TextChoices):
        FORM = "form", "Staff form"
        API = "api", "API"
        DEMO = "demo", "Demo data"

    OPEN_STATUSES = (Status.NEW, Status.SCORING, Status.QUALIFIED, Status.MODERATELY_QUALIFIED, Status.UNQUALIFIED)

    organization_name = models.CharField(max_length=200)
    contact_name = models.CharField(max_length=150)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=40, blank=True)
    service_type = models.CharField(max_length=30, choices=ServiceType.choices)
    timeline_weeks = models.PositiveIntegerField(validators=[MinValueValidator(1)], help_text="Requested weeks.")
    complexity = models.CharField(max_length=20, choices=Complexity.choices)
    requirements = models.JSONField(default=list, blank=True, help_text="One requirement per item.")
    technology_preferences = models.JSONField(default=list, blank=True)
    compliance_requirements = models.JSONField(default=list, blank=True)
    required_integrations = models.JSONField(default=list, blank=True)
    budget_usd = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    business_criticality = models.CharField(max_length=20, choices=Criticality.choices)
    team_size = models.PositiveIntegerField(help_text="The customer's own developers.")
    has_ui_requirements = models.BooleanField(default=False)
    has_fallback_plan = models.BooleanField(default=False)
    answers = models.JSONField(default=dict, blank=True, help_text="Readiness answers; a missing key is unanswered.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_leads",
        limit_choices_to={"is_staff": True},
        help_text="The customer success manager who owns this lead.",
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FORM)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.NEW, db_index=True)
    lost_reason = models.TextField(blank=True)
    inputs_hash = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the facts the rules read.")
    latest_score = models.ForeignKey("LeadScore", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    probability_band = models.CharField(
        max_length=40, blank=True, help_text="Success-probability band at the latest scoring."
    )
    overridden_stops = models.JSONField(default=list, blank=True, help_text="Stops a CSM overrode.")
    override_reason = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        # The staff home counts each CSM's open leads.
        indexes = [models.Index(fields=["owner", "status"], name="lead_owner_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(timeline_weeks__gte=1),
                name="lead_timeline_at_least_one",
                violation_error_message="The timeline must be at least one week.",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_usd__gte=0),
                name="lead_budget_not_negative",
                violation_error_message="The budget cannot be negative.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="lost") | ~models.Q(lost_reason=""),
                name="lead_lost_needs_reason",
                violation_error_message="A lost lead needs a reason.",
            ),
        ]

    def __str__(self) -> str:
        return self.organization_name

    def facts(self) -> LeadFacts:
        """What the pure scoring rules read (raises ValueError on a value the rules refuse)."""
        return facts_from({name: getattr(self, name) for name in FACT_FIELDS})

    @property
    def score_pending(self) -> bool:
        """True until a score for the current inputs has landed."""
        score = self.latest_score
        return score is None or score.inputs_hash != self.inputs_hash

    @property
    def current_score(self) -> LeadScore | None:
        """The latest score when it matches the current inputs, else None (scoring pending)."""
        return None if self.score_pending else self.latest_score

    @property
    def stops(self) -> list[str]:
        score = self.current_score
        return list(score.stops) if score else []

    @property
    def open_stops(self) -> list[str]:
        """Stops (unqualified, infeasible) that hold and that no CSM has overridden."""
        return [stop for stop in self.stops if stop not in (self.overridden_stops or [])]

    @property
    def is_stopped(self) -> bool:
        return bool(self.open_stops)

    @property
    def is_overridden(self) -> bool:
        return bool(self.overridden_stops) and bool(set(self.stops) & set(self.overridden_stops))

    # Accessors the tiers app reads; each is None while scoring is pending.
    @property
    def qualification_level(self) -> str | None:
        score = self.current_score
        return score.qualification_level if score else None

    @property
    def disqualifier_codes(self) -> list[str]:
        score = self.current_score
        return list(score.disqualifiers) if score else []

    @property
    def estimated_weeks(self) -> Decimal | None:
        score = self.current_score
        return score.estimated_weeks if score else None

    @property
    def blocked_service_types(self) -> frozenset[str]:
        score = self.current_score
        return frozenset(score.blocked_service_types) if score else frozenset()

    @property
    def config_version_number(self) -> int | None:
        score = self.current_score
        return score.config_version.number if score else None


class LeadScore(models.Model):
    """One scoring of a lead with one configuration version: the headline numbers as columns, every part as JSON.

    The same lead, inputs and version are stored once, so scoring twice changes nothing.
    """

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="scores")
    config_version = models.ForeignKey(ScoringConfigVersion, on_delete=models.PROTECT, related_name="scores")
    inputs_hash = models.CharField(max_length=64)
    qualification_score = models.DecimalField(max_digits=4, decimal_places=1)
    qualification_level = models.CharField(max_length=40)
    feasibility_score = models.DecimalField(max_digits=4, decimal_places=1)
    feasibility_level = models.CharField(max_length=40)
    estimated_weeks = models.DecimalField(max_digits=10, decimal_places=4, help_text="Exact feasibility estimate.")
    disqualifiers = models.JSONField(default=list, help_text="Codes of the lead's own service type that hold.")
    blocked_service_types = models.JSONField(default=list, help_text="Service types a holding disqualifier blocks.")
    combined_score = models.DecimalField(max_digits=4, decimal_places=1)
    probability_band = models.CharField(max_length=40)
    probability_percent = models.DecimalField(max_digits=4, decimal_places=1, help_text="The band's default chance.")
    stops = models.JSONField(default=list, help_text="unqualified and/or infeasible.")
    qualification = models.JSONField(help_text="Every part of the qualification result.")
    feasibility = models.JSONField(help_text="Every part of the feasibility result.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "lead",
                "config_version",
                "inputs_hash",
                name="lead_score_unique_inputs_version",
                violation_error_message="This lead was already scored with these answers and this configuration.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lead_id}: {self.qualification_score} / {self.feasibility_score} (v{self.config_version_id})"

    @property
    def qualification_level_label(self) -> str:
        return self.qualification_level.replace("_", " ").capitalize()

    @property
    def feasibility_level_label(self) -> str:
        return self.feasibility_level.replace("_", " ").capitalize()

    @property
    def estimated_weeks_rounded_up(self) -> int:
        return int(self.feasibility["estimated_weeks_rounded_up"])

    @property
    def all_disqualifiers(self) -> list[str]:
        """Every disqualifier that holds, whichever service type it blocks."""
        return [item["code"] for item in self.qualification["all_disqualifiers"]]

    @property
    def service_fit(self) -> dict[str, dict[str, Any]]:
        """{service_type: {"fit", "blocked_by", "key_gaps"}} for every service type."""
        return {item["service_type"]: item for item in self.qualification["service_fit"]}


class GuaranteeOutcome(models.Model):
    """How a lead's guarantee closed, counted in the probability band the lead had when it was scored."""

    lead = models.OneToOneField(Lead, on_delete=models.CASCADE, related_name="guarantee_outcome")
    band = models.CharField(max_length=40, db_index=True)
    succeeded = models.BooleanField()
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.lead_id}: {'succeeded' if self.succeeded else 'failed'} ({self.band})"
