"""The lead-scoring configuration admins edit (the draft), the published versions scores refer to, and rescore runs.

Rows here are the *draft*: editing them changes nothing until an admin publishes, which snapshots them into a
`ScoringConfigVersion` and rescores the open leads. No numbers live in code: the data migration seeds DOMAIN.md's
defaults. Keys that other code or the API enumerates (levels, service types, disqualifier codes) are fixed rows
whose numbers and labels are edited, never renamed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.leads.scoring.config import CRITERION_KINDS, DISQUALIFIER_CODES, SUB_SCORE_KEYS
from apps.leads.scoring.facts import ANSWER_KEYS, COMPLEXITIES, FACT_SOURCES, SERVICE_TYPES

ZERO_TO_ONE = [MinValueValidator(0), MaxValueValidator(1)]
ZERO_TO_HUNDRED = [MinValueValidator(0), MaxValueValidator(100)]
NOT_NEGATIVE = [MinValueValidator(0)]


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(value, value.replace("_", " ").capitalize()) for value in values]


def split_words(text: str) -> tuple[str, ...]:
    """'hipaa, sox ,pci' -> ('hipaa', 'sox', 'pci'): comma-separated keywords as admins type them."""
    return tuple(word.strip() for word in text.split(",") if word.strip())


def split_lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class ScoringSettings(models.Model):
    """The single row of scalar settings: qualification extras, feasibility numbers, probability weights, stops."""

    biggest_gaps_count = models.PositiveSmallIntegerField(help_text="How many costliest criteria the page names.")
    key_gap_fraction = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        validators=ZERO_TO_ONE,
        help_text="A service type's key factor earning under this share of its points is a key gap.",
    )
    qualification_stop_below = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=ZERO_TO_HUNDRED,
        help_text="A lead stops (unqualified) when its qualification score is under this.",
    )
    feasibility_stop_below = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=ZERO_TO_HUNDRED,
        help_text="A lead stops (infeasible) when its feasibility score is under this.",
    )
    risky_technology_keywords = models.CharField(max_length=300, help_text="Comma-separated, case-insensitive.")
    risky_technology_deduction = models.DecimalField(max_digits=5, decimal_places=1, validators=NOT_NEGATIVE)
    integration_deduction = models.DecimalField(max_digits=5, decimal_places=1, validators=NOT_NEGATIVE)
    integration_deduction_cap = models.DecimalField(max_digits=5, decimal_places=1, validators=NOT_NEGATIVE)
    compliance_keywords = models.CharField(max_length=300, help_text="Comma-separated, case-insensitive.")
    compliance_deduction = models.DecimalField(max_digits=5, decimal_places=1, validators=NOT_NEGATIVE)
    estimate_base_weeks = models.DecimalField(max_digits=6, decimal_places=2, validators=NOT_NEGATIVE)
    estimate_weeks_per_requirement = models.DecimalField(max_digits=6, decimal_places=3, validators=NOT_NEGATIVE)
    budget_low_usd = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(1)])
    budget_low_score = models.DecimalField(max_digits=4, decimal_places=1, validators=ZERO_TO_HUNDRED)
    budget_high_usd = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(1)])
    budget_high_score = models.DecimalField(max_digits=4, decimal_places=1, validators=ZERO_TO_HUNDRED)
    technical_weight = models.DecimalField(max_digits=4, decimal_places=3, validators=ZERO_TO_ONE)
    timeline_weight = models.DecimalField(max_digits=4, decimal_places=3, validators=ZERO_TO_ONE)
    resource_weight = models.DecimalField(max_digits=4, decimal_places=3, validators=ZERO_TO_ONE)
    blocker_threshold = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=ZERO_TO_HUNDRED,
        help_text="A feasibility sub-score under this is a potential blocker.",
    )
    feasibility_weight = models.DecimalField(
        max_digits=4, decimal_places=3, validators=ZERO_TO_ONE, help_text="Share of feasibility in the combined score."
    )
    qualification_weight = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        validators=ZERO_TO_ONE,
        help_text="Share of qualification in the combined score.",
    )
    min_observed_sample = models.PositiveIntegerField(
        help_text="Closed guarantees a probability band needs before its observed success rate is shown."
    )

    class Meta:
        verbose_name = verbose_name_plural = "scoring settings"

    def __str__(self) -> str:
        return "Scoring settings"

    def clean(self) -> None:
        if self.budget_low_usd and self.budget_high_usd and self.budget_high_usd <= self.budget_low_usd:
            raise ValidationError({"budget_high_usd": "Must be above the low budget breakpoint."})
        weights = (self.technical_weight, self.timeline_weight, self.resource_weight)
        if None not in weights and sum(weights) != 1:
            raise ValidationError("The technical, timeline and resource weights must add up to 1.")
        pair = (self.feasibility_weight, self.qualification_weight)
        if None not in pair and sum(pair) != 1:
            raise ValidationError("The feasibility and qualification weights must add up to 1.")
        if self.min_observed_sample is not None and self.min_observed_sample < 1:
            raise ValidationError(
                {"min_observed_sample": "At least 1: an observed success rate needs at least one closed guarantee."}
            )


class Criterion(models.Model):
    """A qualification criterion: points, where its answer comes from, and how the answer becomes a fraction."""

    position = models.PositiveSmallIntegerField(help_text="Display order; also breaks ties between equal gaps.")
    key = models.SlugField(max_length=60, unique=True)
    dimension = models.SlugField(max_length=40, help_text="technical, business, financial or organizational.")
    label = models.CharField(max_length=120)
    points = models.DecimalField(max_digits=5, decimal_places=1, validators=NOT_NEGATIVE)
    source = models.CharField(max_length=60, choices=_choices(ANSWER_KEYS + FACT_SOURCES))
    kind = models.CharField(max_length=20, choices=_choices(CRITERION_KINDS))
    fallback_fraction = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=0,
        validators=ZERO_TO_ONE,
        help_text="Fraction when no band matches (at_least / at_most).",
    )
    answer_template = models.CharField(
        max_length=200, default="{label}: {answer}", help_text="How the answer reads; {label} and {answer} fill in."
    )

    class Meta:
        ordering = ["position", "key"]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        try:
            self.answer_template.format(label="x", answer="y")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValidationError({"answer_template": f"Only {{label}} and {{answer}} may be used ({exc})."}) from exc


class CriterionChoice(models.Model):
    """An answer of a choice / non_empty criterion and the share of points it earns (booleans are yes/no)."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(default=0)
    value = models.CharField(max_length=40)
    fraction = models.DecimalField(max_digits=4, decimal_places=3, validators=ZERO_TO_ONE)
    label = models.CharField(max_length=80)

    class Meta:
        ordering = ["criterion", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                "criterion",
                "value",
                name="leads_choice_unique_value",
                violation_error_message="This criterion already has an answer with this value.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion.key}: {self.value}"


class CriterionBand(models.Model):
    """A numeric band of an at_least / at_most criterion (team size, contract weeks)."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="bands")
    limit = models.DecimalField(max_digits=8, decimal_places=2)
    fraction = models.DecimalField(max_digits=4, decimal_places=3, validators=ZERO_TO_ONE)

    class Meta:
        ordering = ["criterion", "limit"]
        constraints = [
            models.UniqueConstraint(
                "criterion",
                "limit",
                name="leads_band_unique_limit",
                violation_error_message="This criterion already has a band with this limit.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion.key}: {self.limit}"


class QualificationLevel(models.Model):
    """A qualification level: reached at >= minimum (rounded score); next steps one per line."""

    key = models.SlugField(max_length=40, unique=True)
    minimum = models.DecimalField(max_digits=4, decimal_places=1, validators=ZERO_TO_HUNDRED)
    label = models.CharField(max_length=80)
    next_steps = models.TextField(help_text="One step per line, in order.")

    class Meta:
        ordering = ["-minimum"]

    def __str__(self) -> str:
        return self.label


class DisqualifierLabel(models.Model):
    """The words shown for a disqualifier code (the rules decide when it holds)."""

    code = models.CharField(max_length=60, unique=True, choices=_choices(DISQUALIFIER_CODES))
    label = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label


class TimelineLimit(models.Model):
    """unrealistic_timeline holds when a lead of this complexity asks for fewer weeks than the minimum."""

    complexity = models.CharField(max_length=20, unique=True, choices=_choices(COMPLEXITIES))
    minimum_weeks = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["minimum_weeks"]

    def __str__(self) -> str:
        return f"{self.complexity}: {self.minimum_weeks} weeks"


class ServiceTypeSetting(models.Model):
    """How a lead fits a service type: minimum and ideal scores, key factors, blocking disqualifiers."""

    service_type = models.CharField(max_length=40, unique=True, choices=_choices(SERVICE_TYPES))
    minimum = models.DecimalField(max_digits=4, decimal_places=1, validators=ZERO_TO_HUNDRED)
    ideal = models.DecimalField(max_digits=4, decimal_places=1, validators=ZERO_TO_HUNDRED)
    key_factors = models.ManyToManyField(Criterion, related_name="+", help_text="The criteria that matter most.")
    blocking_codes = models.JSONField(default=list, blank=True, help_text="Disqualifier codes that block this type.")

    class Meta:
        ordering = ["service_type"]

    def __str__(self) -> str:
        return self.get_service_type_display()

    def clean(self) -> None:
        if self.minimum is not None and self.ideal is not None and self.ideal < self.minimum:
            raise ValidationError({"ideal": "The ideal floor cannot be under the minimum."})
        unknown = set(self.blocking_codes or []) - set(DISQUALIFIER_CODES)
        if unknown:
            raise ValidationError({"blocking_codes": f"Unknown codes: {', '.join(sorted(unknown))}."})


class ComplexityDeduction(models.Model):
    complexity = models.CharField(max_length=20, unique=True, choices=_choices(COMPLEXITIES))
    points = models.DecimalField(max_digits=5, decimal_places=1, validators=NOT_NEGATIVE)

    class Meta:
        ordering = ["points"]

    def __str__(self) -> str:
        return f"{self.complexity}: -{self.points}"


class RequirementMultiplier(models.Model):
    """The timeline estimate is multiplied when there are more than `more_than` requirements (highest wins)."""

    more_than = models.PositiveSmallIntegerField(unique=True)
    multiplier = models.DecimalField(max_digits=5, decimal_places=3, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["-more_than"]

    def __str__(self) -> str:
        return f"> {self.more_than}: x {self.multiplier}"


class TeamScore(models.Model):
    """Resource team score for a team of at least `minimum` developers (highest matching minimum wins)."""

    minimum = models.PositiveSmallIntegerField(unique=True)
    score = models.DecimalField(max_digits=4, decimal_places=1, validators=ZERO_TO_HUNDRED)

    class Meta:
        ordering = ["-minimum"]

    def __str__(self) -> str:
        return f">= {self.minimum}: {self.score}"


class FeasibilityLevel(models.Model):
    key = models.SlugField(max_length=40, unique=True)
    minimum = models.DecimalField(max_digits=4, decimal_places=1, validators=ZERO_TO_HUNDRED)
    label = models.CharField(max_length=80)

    class Meta:
        ordering = ["-minimum"]

    def __str__(self) -> str:
        return self.label


class Approach(models.Model):
    """The recommended approach when this feasibility sub-score is the weakest (ties: lowest position)."""

    sub_score = models.CharField(max_length=20, unique=True, choices=_choices(SUB_SCORE_KEYS))
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)

    class Meta:
        verbose_name_plural = "approaches"
        ordering = ["position", "sub_score"]

    def __str__(self) -> str:
        return f"{self.sub_score}: {self.text}"


class ProbabilityBand(models.Model):
    """Default success chance for combined scores >= minimum; outcomes are counted per band key."""

    key = models.SlugField(max_length=40, unique=True)
    minimum = models.DecimalField(max_digits=4, decimal_places=1, validators=ZERO_TO_HUNDRED)
    percent = models.DecimalField(max_digits=4, decimal_places=1, validators=ZERO_TO_HUNDRED)
    label = models.CharField(max_length=80)

    class Meta:
        ordering = ["-minimum"]

    def __str__(self) -> str:
        return f"{self.label} ({self.percent}%)"


class ScoringConfigVersion(models.Model):
    """A published, frozen copy of the whole configuration. Scores keep a reference, so old ones stay explainable."""

    number = models.PositiveIntegerField(unique=True)
    snapshot = models.JSONField()
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the snapshot.")
    note = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = "scoring configuration version"

    def __str__(self) -> str:
        return f"Version {self.number}"


class RescoreRun(models.Model):
    """A batched rescore of the open leads after a publish, with its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    version = models.ForeignKey(ScoringConfigVersion, on_delete=models.PROTECT, related_name="rescore_runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    level_changes = models.PositiveIntegerField(default=0, help_text="Leads whose qualification level changed.")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Rescore for {self.version}: {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(self.done * 100 / self.total)
