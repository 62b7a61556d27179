"""Service tiers and their recommendation settings (admin-edited configuration), stored recommendations,
and proposals with their versions and stakeholders."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from apps.customers.models import Stakeholder
from apps.leads.models import Complexity, ServiceType
from apps.leads.scoring.facts import COMPLEXITIES, SERVICE_TYPES
from apps.tiers import scoring

# The leads' labels ("MVP development"), not the code run through capfirst ("Mvp development").
SERVICE_TYPE_CHOICES = [(code, label) for code, label in ServiceType.choices if code in SERVICE_TYPES]
MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}
SHARE = {"max_digits": 4, "decimal_places": 3, "validators": [MinValueValidator(0), MaxValueValidator(1)]}


class Tier(models.Model):
    """A service tier as sold: its price and weeks ranges, team, guarantee, and the customer it suits best."""

    class ComplianceRule(models.TextChoices):
        NONE_REQUIRED = scoring.COMPLIANCE_NONE_REQUIRED, "Met when the lead has no compliance regime"
        AT_LEAST_ONE = scoring.COMPLIANCE_AT_LEAST_ONE, "Met when the lead has at least one compliance regime"
        ALWAYS = scoring.COMPLIANCE_ALWAYS, "Always met"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    service_type = models.CharField(max_length=30, choices=SERVICE_TYPE_CHOICES)
    price_min = models.DecimalField("minimum price (USD)", **MONEY)
    price_max = models.DecimalField("maximum price (USD)", **MONEY)
    weeks_min = models.PositiveSmallIntegerField("minimum weeks", validators=[MinValueValidator(1)])
    weeks_max = models.PositiveSmallIntegerField("maximum weeks", validators=[MinValueValidator(1)])
    developer_agents = models.PositiveSmallIntegerField()
    oversight = models.CharField(max_length=300, help_text="Human oversight, e.g. “full-time, dedicated CSM”.")
    guarantee_threshold = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Final validation score (0-100) the guarantee must reach.",
    )
    refund_cap = models.DecimalField("refund cap (USD)", **MONEY)
    budget_min = models.DecimalField("ideal budget from (USD)", **MONEY)
    budget_max = models.DecimalField("ideal budget up to (USD)", null=True, blank=True, **MONEY)
    team_min = models.PositiveIntegerField("ideal team size from")
    team_max = models.PositiveIntegerField("ideal team size up to", null=True, blank=True)
    complexities = models.JSONField(default=list, help_text=f"Ideal complexities, any of {', '.join(COMPLEXITIES)}.")
    compliance_rule = models.CharField(max_length=20, choices=ComplianceRule.choices)
    value_proposition = models.TextField(help_text="Why this tier, in words the customer reads on the proposal.")
    retired = models.BooleanField(
        default=False, help_text="Retired tiers are never recommended; old proposals keep them."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in lists.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "price_min", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_min__lte=F("price_max")),
                name="tier_price_range_ordered",
                violation_error_message="The lowest price must not be above the highest price.",
            ),
            models.CheckConstraint(
                condition=Q(weeks_min__lte=F("weeks_max")),
                name="tier_weeks_range_ordered",
                violation_error_message="The shortest duration must not be longer than the longest duration.",
            ),
            models.CheckConstraint(
                condition=Q(budget_max__isnull=True) | Q(budget_min__lte=F("budget_max")),
                name="tier_budget_range_ordered",
                violation_error_message="The lowest budget must not be above the highest budget.",
            ),
            models.CheckConstraint(
                condition=Q(team_max__isnull=True) | Q(team_min__lte=F("team_max")),
                name="tier_team_range_ordered",
                violation_error_message="The smallest team must not be larger than the largest team.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (retired)" if self.retired else self.name

    @property
    def complexity_labels(self) -> str:
        names = dict(Complexity.choices)
        return ", ".join(str(names.get(c, c)).lower() for c in self.complexities or [])

    def clean(self) -> None:
        unknown = [c for c in self.complexities or [] if c not in COMPLEXITIES]
        if not isinstance(self.complexities, list) or unknown:
            raise ValidationError({"complexities": f"Use a list of {', '.join(COMPLEXITIES)}."})
        try:
            self.to_spec()
        except (ValueError, TypeError) as exc:
            raise ValidationError(str(exc)) from exc

    def to_spec(self) -> scoring.TierSpec:
        return scoring.TierSpec(
            slug=self.slug,
            name=self.name,
            service_type=self.service_type,
            price_min=self.price_min,
            price_max=self.price_max,
            weeks_min=self.weeks_min,
            weeks_max=self.weeks_max,
            developer_agents=self.developer_agents,
            guarantee_threshold=self.guarantee_threshold,
            refund_cap=self.refund_cap,
            budget_min=self.budget_min,
            budget_max=self.budget_max,
            team_min=self.team_min,
            team_max=self.team_max,
            complexities=tuple(self.complexities),
            compliance_rule=self.compliance_rule,
            retired=self.retired,
        )

    @property
    def price_range(self) -> str:
        return f"{scoring.format_money(self.price_min)}–{scoring.format_money(self.price_max)}"


class TierSettings(models.Model):
    """The one row of recommendation weights, cuts and pricing shares, plus how long a proposal link lives.

    `version` goes up on every change to these settings or to a tier (see apps.tiers.admin), and each stored
    recommendation keeps the version it was computed with.
    """

    weight_service_type = models.DecimalField(**SHARE)
    weight_budget = models.DecimalField(**SHARE)
    weight_team = models.DecimalField(**SHARE)
    weight_complexity = models.DecimalField(**SHARE)
    weight_compliance = models.DecimalField(**SHARE)
    recommend_cut = models.DecimalField(**SHARE, help_text="Compatibility a tier needs to be recommended.")
    alternative_cut = models.DecimalField(**SHARE, help_text="Compatibility a tier of another service type needs.")
    position_low = models.DecimalField("price position: low complexity", **SHARE)
    position_medium = models.DecimalField("price position: medium complexity", **SHARE)
    position_high = models.DecimalField("price position: high complexity", **SHARE)
    position_very_high = models.DecimalField("price position: very high complexity", **SHARE)
    requirement_threshold = models.PositiveSmallIntegerField(help_text="Requirements included before each adds.")
    share_per_requirement = models.DecimalField(**SHARE, help_text="Share of the price range per extra requirement.")
    share_per_integration = models.DecimalField(**SHARE, help_text="Share of the price range per integration.")
    price_rounding_step = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(1)])
    proposal_link_days = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1)], help_text="How many days the emailed proposal link stays valid."
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "tier and proposal settings"
        verbose_name_plural = "tier and proposal settings"

    def __str__(self) -> str:
        return f"Tier and proposal settings (version {self.version})"

    def clean(self) -> None:
        weights = [self.weight_service_type, self.weight_budget, self.weight_team]
        weights += [self.weight_complexity, self.weight_compliance]
        if None not in weights and sum(weights) != 1:
            raise ValidationError(f"The five weights must add up to 1 (they add up to {sum(weights)}).")

    @classmethod
    def current(cls) -> TierSettings:
        return cls.objects.get(pk=1)

    def to_config(self) -> scoring.RecommendationConfig:
        """The settings as the rules take them; shares drop trailing zeros so reasons read 0.6, not 0.600."""

        def share(value: Decimal) -> Decimal:
            return value.normalize()

        positions = {"low": share(self.position_low), "medium": share(self.position_medium)}
        positions |= {"high": share(self.position_high), "very_high": share(self.position_very_high)}
        return scoring.RecommendationConfig(
            weight_service_type=share(self.weight_service_type),
            weight_budget=share(self.weight_budget),
            weight_team=share(self.weight_team),
            weight_complexity=share(self.weight_complexity),
            weight_compliance=share(self.weight_compliance),
            recommend_cut=share(self.recommend_cut),
            alternative_cut=share(self.alternative_cut),
            complexity_positions=positions,
            requirement_threshold=self.requirement_threshold,
            share_per_requirement=share(self.share_per_requirement),
            share_per_integration=share(self.share_per_integration),
            price_rounding_step=self.price_rounding_step,
        )


class Recommendation(models.Model):
    """A lead's tier recommendation as last computed: every tier's evaluation (best first), its inputs, and the
    settings version it used. Recomputed whenever the lead is rescored."""

    lead = models.OneToOneField("leads.Lead", on_delete=models.CASCADE, related_name="tier_recommendation")
    config_version = models.PositiveIntegerField(help_text="Tier settings version used.")
    lead_config_version = models.PositiveIntegerField(null=True, blank=True, help_text="Lead scoring version used.")
    inputs = models.JSONField(help_text="The lead profile the rules read.")
    results = models.JSONField(help_text="Every tier's evaluation with its parts, recommended tiers first.")
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-computed_at"]

    def __str__(self) -> str:
        return f"Tier recommendation for lead {self.lead_id} (v{self.config_version})"

    @property
    def recommended(self) -> list[dict[str, Any]]:
        return [r for r in self.results if r["recommended"]]

    @property
    def not_recommended(self) -> list[dict[str, Any]]:
        return [r for r in self.results if not r["recommended"]]

    def result_for(self, slug: str) -> dict[str, Any] | None:
        return next((r for r in self.results if r["tier"] == slug), None)


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def visible_to(self, user: Any) -> ProposalQuerySet:
        """Proposals are staff work; the customer reads theirs only through the signed link."""
        if not user.is_authenticated or not user.is_active or not user.is_staff:
            return self.none()
        return self

    def with_parts(self) -> ProposalQuerySet:
        return self.select_related("lead", "tier", "created_by", "customer").prefetch_related("stakeholders")


class Proposal(models.Model):
    """One version of the proposal to a lead. Editing a sent version makes a new one and supersedes the old."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        SUPERSEDED = "superseded", "Superseded by a newer version"

    OPEN_STATUSES = (Status.DRAFT, Status.SENT)

    lead = models.ForeignKey("leads.Lead", on_delete=models.PROTECT, related_name="proposals")
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_version"
    )
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="proposals")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    price = models.DecimalField("price (USD)", **MONEY)
    recommended_price = models.DecimalField(null=True, blank=True, **MONEY)
    price_breakdown = models.JSONField(default=list, blank=True, help_text="[{label, amount}] adding up to price.")
    timeline_weeks = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    scope_notes = models.TextField(blank=True)
    guarantee_amount = models.DecimalField("guarantee amount (USD)", **MONEY)
    guarantee_threshold = models.DecimalField(max_digits=4, decimal_places=1)
    compatibility = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    reasoning = models.JSONField(default=list, blank=True)
    config_version = models.PositiveIntegerField(null=True, blank=True)
    contact_name = models.CharField(max_length=150)
    contact_email = models.EmailField()
    token_nonce = models.CharField(max_length=32, blank=True, help_text="Changes at each sending; old links die.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by_name = models.CharField(max_length=150, blank=True)
    decision_comment = models.TextField(blank=True)
    accepted_offline = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["lead", "version"],
                name="proposal_version_unique_per_lead",
                violation_error_message="This lead already has a proposal with this version number.",
            ),
            # One live proposal per lead, and never two acceptances: the database enforces both.
            models.UniqueConstraint(
                fields=["lead"],
                condition=Q(status__in=["draft", "sent"]),
                name="proposal_one_open_per_lead",
                violation_error_message="This lead already has a draft or sent proposal; withdraw it first.",
            ),
            models.UniqueConstraint(
                fields=["lead"],
                condition=Q(status="accepted"),
                name="proposal_one_accepted_per_lead",
                violation_error_message="This lead has already accepted a proposal.",
            ),
            models.CheckConstraint(
                condition=Q(guarantee_amount__lte=F("price")),
                name="proposal_guarantee_le_price",
                violation_error_message="The guarantee amount cannot be more than the price.",
            ),
        ]

    def __str__(self) -> str:
        return f"Proposal v{self.version} to {self.lead}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def link_expired(self) -> bool:
        from django.utils import timezone

        return self.status == self.Status.SENT and self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def display_status(self) -> str:
        return "Link expired" if self.link_expired else self.get_status_display()

    @property
    def status_key(self) -> str:
        return "expired" if self.link_expired else self.status


class ProposalStakeholder(models.Model):
    """A person at the customer named on a proposal; becomes a Stakeholder when the proposal is accepted."""

    class Background(models.TextChoices):
        TECHNICAL = "technical", "Technical"
        BUSINESS = "business", "Business"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(max_length=150)
    email = models.EmailField()
    title = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, choices=Stakeholder.Role.choices, default=Stakeholder.Role.OTHER)
    background = models.CharField(max_length=10, choices=Background.choices, default=Background.BUSINESS)
    is_approver = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["proposal", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                "proposal",
                Lower("email"),
                name="proposal_stakeholder_email_unique",
                violation_error_message="This proposal already lists a stakeholder with this email address.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


def json_ready(value: Any) -> Any:
    """Decimals to strings, recursively, so stored parts read back exactly."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    return value
