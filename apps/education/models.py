"""Education content (admin-edited), each stakeholder's plan, and the plan's scheduled items."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.leads.scoring.facts import SERVICE_TYPES


class Audience(models.TextChoices):
    TECHNICAL = "technical", "Technical"
    BUSINESS = "business", "Business"
    ALL = "all", "Everyone"


class Method(models.TextChoices):
    EMAIL = "email", "Email"
    VIDEO_CALL = "video_call", "Video call (calendar invite)"
    INTERACTIVE_DEMO = "interactive_demo", "Interactive demo (link)"


class ContentItem(models.Model):
    """One piece of education: what it says, who it is for, how and on which day of the plan it is delivered."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, help_text="One line shown in lists and at the top of the email.")
    body = models.TextField(help_text="Plain text; blank lines separate paragraphs, lines starting with - are lists.")
    minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.ALL)
    roles = models.JSONField(
        default=list, blank=True, help_text="Stakeholder roles it is for (executive, technical_lead, …); empty: all."
    )
    service_types = models.JSONField(
        default=list, blank=True, help_text=f"Service types it is for ({', '.join(SERVICE_TYPES)}); empty: all."
    )
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.EMAIL)
    day = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1)], help_text="Day of the plan it is delivered on (1 = start)."
    )
    interactive_elements = models.JSONField(default=list, blank=True, help_text="e.g. demo video, milestone tracker.")
    link_url = models.URLField(blank=True, help_text="Interactive demos: where the link goes (blank: the client view).")
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["day", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    def paragraphs(self) -> list[dict[str, Any]]:
        """The body as blocks for templates: {"text": ...} paragraphs and {"lines": [...]} lists.

        The list key is not "items": a template's `block.items` would find the dict's own items() method on
        every paragraph block and print its key-value pairs.
        """
        blocks: list[dict[str, Any]] = []
        for chunk in self.body.replace("\r\n", "\n").split("\n\n"):
            lines = [line.strip() for line in chunk.strip().splitlines() if line.strip()]
            if lines and all(line.startswith("- ") for line in lines):
                blocks.append({"lines": [line[2:] for line in lines]})
            elif lines:
                blocks.append({"text": " ".join(lines)})
        return blocks


class EducationSettings(models.Model):
    """The one row of plan settings: how long a plan runs and when its video calls are held."""

    plan_days = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)], help_text="Length of a plan.")
    call_hour = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(23)], help_text="Hour of day (portal time zone) video calls start."
    )
    call_notice_hours = models.PositiveSmallIntegerField(
        help_text="A call is never booked sooner than this many hours after the plan starts."
    )

    class Meta:
        verbose_name = verbose_name_plural = "education settings"

    def __str__(self) -> str:
        return "Education settings"

    @classmethod
    def current(cls) -> EducationSettings:
        return cls.objects.get(pk=1)


class EducationPlanQuerySet(models.QuerySet["EducationPlan"]):
    def visible_to(self, user: Any) -> EducationPlanQuerySet:
        """Staff see every plan; a stakeholder sees only their own plans (not a colleague's)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self
        if not user.client_customer_id:
            return self.none()
        return self.filter(stakeholder__user=user, customer_id=user.client_customer_id)


class EducationPlan(models.Model):
    """The education one stakeholder gets after an agreement, picked by their role and background."""

    stakeholder = models.ForeignKey("customers.Stakeholder", on_delete=models.CASCADE, related_name="education_plans")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="education_plans")
    background = models.CharField(max_length=10, choices=[c for c in Audience.choices if c[0] != Audience.ALL])
    service_type = models.CharField(max_length=30, blank=True)
    source_key = models.CharField(max_length=100, help_text="What started it, e.g. proposal:12; one plan per source.")
    starts_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EducationPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["stakeholder", "source_key"],
                name="education_plan_once_per_source",
                violation_error_message="This stakeholder already has an education plan from this source.",
            )
        ]

    def __str__(self) -> str:
        return f"Education for {self.stakeholder.name}"


class PlanItemQuerySet(models.QuerySet["PlanItem"]):
    def visible_to(self, user: Any) -> PlanItemQuerySet:
        return self.filter(plan__in=EducationPlan.objects.visible_to(user))

    def due_to_send(self, now: Any) -> PlanItemQuerySet:
        return self.filter(queued_at__isnull=True, send_at__lte=now)


class PlanItem(models.Model):
    """One content item in a plan: when it is sent, when it happens (a call's time), and when it was done."""

    plan = models.ForeignKey(EducationPlan, on_delete=models.CASCADE, related_name="items")
    content = models.ForeignKey(ContentItem, on_delete=models.PROTECT, related_name="plan_items")
    method = models.CharField(max_length=20, choices=Method.choices)
    day = models.PositiveSmallIntegerField()
    send_at = models.DateTimeField(db_index=True, help_text="When the email (with content, invite or link) goes out.")
    scheduled_for = models.DateTimeField(help_text="When it happens: the call's start, or the email's day.")
    queued_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "day", "scheduled_for", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "content"],
                name="plan_item_content_once",
                violation_error_message="This content item is already in the plan.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.content} for plan {self.plan_id}"

    @property
    def done(self) -> bool:
        return self.completed_at is not None
