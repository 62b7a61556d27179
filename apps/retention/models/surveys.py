"""Surveys: NPS and CSAT questions sent to chosen stakeholders; each answers once; answers are append-only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from apps.core.scoping import client_scope


class AppendOnlyError(Exception):
    """Survey answers are a record: never changed or removed."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be deleted.")


class SurveyQuerySet(models.QuerySet["Survey"]):
    def visible_to(self, user: Any) -> SurveyQuerySet:
        return client_scope(self, user)


class Survey(models.Model):
    class Purpose(models.TextChoices):
        MANUAL = "manual", "Sent by the CSM"
        SCHEDULED = "scheduled", "Scheduled (every 90 days)"
        SUPPORT = "support", "After a recovery action or claim"
        GUARANTEE = "guarantee", "Week 4 of a guarantee (its satisfaction criterion)"

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="surveys")
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.MANUAL)
    criterion = models.ForeignKey(
        "guarantees.MilestoneCriterion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
        help_text="The guarantee week's satisfaction criterion its answers are evidence for.",
    )
    occasion = models.CharField(
        max_length=80,
        blank=True,
        help_text="What sent it, each at most once: a guarantee week's criterion, a recovery action or a claim.",
    )
    questions = models.JSONField(default=list, help_text="Question kinds asked: nps, csat.")
    message = models.TextField(blank=True, help_text="A note from the CSM shown above the questions.")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["customer", "sent_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["occasion"],
                condition=~Q(occasion=""),
                name="survey_once_per_occasion",
                violation_error_message="A survey was already sent for this occasion.",
            )
        ]

    def __str__(self) -> str:
        return f"Survey #{self.pk} for {self.customer}"


class InvitationQuerySet(models.QuerySet["SurveyInvitation"]):
    def visible_to(self, user: Any) -> InvitationQuerySet:
        """Staff see all; a stakeholder sees only their own invitations (not a colleague's)."""
        qs = client_scope(self, user)
        if user.is_authenticated and not user.is_staff:
            qs = qs.filter(stakeholder__user=user)
        return qs.select_related("survey__customer", "stakeholder")


class SurveyInvitation(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    stakeholder = models.ForeignKey("customers.Stakeholder", on_delete=models.CASCADE, related_name="invitations")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="survey_invitations")
    sent_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "stakeholder"],
                name="survey_invite_once",
                violation_error_message="This stakeholder is already invited to this survey.",
            )
        ]
        indexes = [models.Index(fields=["customer", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.stakeholder} invited to survey #{self.survey_id}"


class SurveyAnswer(models.Model):
    """One answer per invitation, enforced by the database; never changed or removed."""

    invitation = models.OneToOneField(SurveyInvitation, on_delete=models.PROTECT, related_name="answer")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="survey_answers")
    purpose = models.CharField(max_length=20, choices=Survey.Purpose.choices)
    nps = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(10)])
    csat = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    comment = models.TextField(blank=True, max_length=4000)
    via = models.CharField(max_length=10, choices=[("client", "Client view"), ("link", "Emailed link"), ("api", "API")])
    answered_at = models.DateTimeField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-answered_at", "-id"]
        indexes = [models.Index(fields=["customer", "answered_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(nps__isnull=True) | Q(nps__lte=10),
                name="answer_nps_range",
                violation_error_message="An NPS answer is from 0 to 10.",
            ),
            models.CheckConstraint(
                condition=Q(csat__isnull=True) | Q(csat__gte=1, csat__lte=10),
                name="answer_csat_range",
                violation_error_message="A CSAT answer is from 1 to 10.",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to survey invitation {self.invitation_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Survey answers cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Survey answers cannot be deleted.")
