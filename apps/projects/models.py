"""Projects (from an accepted proposal), their kickoff phases, team, environments and the team templates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from apps.core.scoping import client_scope


class ServiceType(models.TextChoices):
    MVP_DEVELOPMENT = "mvp_development", "MVP development"
    LEGACY_MODERNIZATION = "legacy_modernization", "Legacy modernization"
    TEAM_AUGMENTATION = "team_augmentation", "Team augmentation"


class ProjectQuerySet(models.QuerySet["Project"]):
    def visible_to(self, user: Any) -> ProjectQuerySet:
        """Staff see every project; a customer stakeholder only their own company's."""
        return client_scope(self, user)


class Project(models.Model):
    class Status(models.TextChoices):
        KICKOFF_PENDING = "kickoff_pending", "Kickoff pending"
        KICKOFF_RUNNING = "kickoff_running", "Kickoff running"
        KICKOFF_FAILED = "kickoff_failed", "Kickoff needs attention"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="projects")
    name = models.CharField(max_length=200)
    service_type = models.CharField(max_length=30, choices=ServiceType.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.KICKOFF_PENDING, db_index=True)
    tier = models.ForeignKey("tiers.Tier", null=True, blank=True, on_delete=models.PROTECT, related_name="projects")
    # The tier as it was when the proposal was accepted: a later tier edit never changes a running project.
    tier_slug = models.SlugField(max_length=60)
    tier_name = models.CharField(max_length=120)
    developer_agents = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    price = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    timeline_weeks = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    guarantee_amount = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    guarantee_threshold = models.DecimalField(max_digits=5, decimal_places=1, validators=[MinValueValidator(0)])
    has_ui_requirements = models.BooleanField(default=False)
    has_compliance_requirements = models.BooleanField(default=False)
    source_lead = models.ForeignKey(
        "leads.Lead",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
        help_text="The lead this came from.",
    )
    source_proposal = models.OneToOneField(
        "tiers.Proposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project",
        help_text="The accepted proposal; one project per proposal.",
    )
    accepted_at = models.DateTimeField(help_text="When the customer accepted the proposal.")
    standup_time = models.TimeField(null=True, blank=True, help_text="Daily stand-up time, set at launch.")
    kickoff_started_at = models.DateTimeField(null=True, blank=True)
    kickoff_completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(guarantee_threshold__lte=100),
                name="project_threshold_le_100",
                violation_error_message="The guarantee threshold cannot be above 100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.customer})" if self.customer_id else self.name


class KickoffPhase(models.Model):
    """One of the six kickoff phases of a project, with its real start and end and what it produced."""

    class Key(models.TextChoices):
        PROJECT_SETUP = "project_setup", "Project setup"
        TEAM_ASSEMBLY = "team_assembly", "Team assembly"
        ENVIRONMENT_PROVISIONING = "environment_provisioning", "Environment provisioning"
        STAKEHOLDER_ONBOARDING = "stakeholder_onboarding", "Stakeholder onboarding"
        GUARANTEE_ACTIVATION = "guarantee_activation", "Guarantee activation"
        LAUNCH = "launch", "Launch"

    class Status(models.TextChoices):
        PENDING = "pending", "Not started"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        WAITING = "waiting", "Waiting"
        SUCCEEDED = "succeeded", "Done"
        FAILED = "failed", "Failed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="phases")
    key = models.CharField(max_length=30, choices=Key.choices)
    position = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["project", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "key"],
                name="kickoff_phase_once_per_project",
                violation_error_message="This project already has this kickoff phase.",
            ),
            models.UniqueConstraint(
                fields=["project", "position"],
                name="kickoff_phase_position_unique",
                violation_error_message="Another kickoff phase of this project already has this position.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()} of {self.project_id}: {self.get_status_display()}"

    @property
    def duration(self) -> Any:
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class TeamTemplate(models.Model):
    """The roles a project of one service type gets at team assembly; edited in the admin."""

    service_type = models.CharField(max_length=30, choices=ServiceType.choices, unique=True)
    default_standup_time = models.TimeField(help_text="Suggested daily stand-up time at launch.")

    class Meta:
        ordering = ["service_type"]

    def __str__(self) -> str:
        return f"Team for {self.get_service_type_display()}"


class TeamTemplateRole(models.Model):
    class Condition(models.TextChoices):
        ALWAYS = "always", "Always"
        UI_REQUIREMENTS = "ui_requirements", "When the project has UI requirements"
        COMPLIANCE_REQUIREMENTS = "compliance_requirements", "When the project has compliance requirements"

    template = models.ForeignKey(TeamTemplate, on_delete=models.CASCADE, related_name="roles")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=100)
    allocation = models.DecimalField(
        max_digits=4, decimal_places=2, validators=[MinValueValidator(0)], help_text="Full-time equivalents."
    )
    from_developer_pool = models.BooleanField(
        default=False, help_text="Allocation comes from the tier's developer agents instead of the number above."
    )
    condition = models.CharField(max_length=30, choices=Condition.choices, default=Condition.ALWAYS)

    class Meta:
        ordering = ["template", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "title"],
                name="team_role_title_unique",
                violation_error_message="This team template already has a role with this title.",
            )
        ]

    def __str__(self) -> str:
        return self.title


class TeamMember(models.Model):
    """A role on a project's team, assembled from the template at kickoff."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="team")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=100)
    allocation = models.DecimalField(max_digits=4, decimal_places=2)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["project", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "title"],
                name="team_member_title_unique",
                violation_error_message="This project already has a team member with this title.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} x {self.allocation}"


class Environment(models.Model):
    """One line of the environment checklist, marked ready by a CSM or by the API."""

    class Name(models.TextChoices):
        REPOSITORY = "repository", "Repository"
        CI = "ci", "Continuous integration"
        DEVELOPMENT = "development", "Development"
        STAGING = "staging", "Staging"
        PRODUCTION = "production", "Production"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="environments")
    name = models.CharField(max_length=20, choices=Name.choices)
    position = models.PositiveSmallIntegerField(default=0)
    ready = models.BooleanField(default=False)
    url = models.URLField(blank=True)
    note = models.CharField(max_length=300, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    marked_by = models.CharField(max_length=254, blank=True, help_text="Who marked it ready: a person or an API key.")

    class Meta:
        ordering = ["project", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"],
                name="environment_once_per_project",
                violation_error_message="This project already has an environment with this name.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_name_display()}: {'ready' if self.ready else 'not ready'}"


# Progress updates live in their own module; importing them here registers them with the app.
from apps.projects.models_progress import ProgressSettings, ProgressUpdate, RiskLevel  # noqa: E402, F401
from apps.projects.models_quality import QualityGate, QualityGateRun, QualityGateSettings  # noqa: E402, F401
