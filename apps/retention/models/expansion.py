"""Expansion opportunities: identified from the health computation's expansion results or added by a CSM, then moved
identified -> qualified -> proposal -> negotiation -> won or lost (won records the signed value and date).

One open opportunity per customer and type, enforced by the database; every stage change is audited by the services.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from apps.core.scoping import client_scope


class OpportunityQuerySet(models.QuerySet["Opportunity"]):
    def visible_to(self, user: Any) -> OpportunityQuerySet:
        return client_scope(self, user).select_related("customer", "type", "owner")

    def open(self) -> OpportunityQuerySet:
        return self.filter(stage__in=Opportunity.OPEN_STAGES)


class Opportunity(models.Model):
    class Stage(models.TextChoices):
        IDENTIFIED = "identified", "Identified"
        QUALIFIED = "qualified", "Qualified"
        PROPOSAL = "proposal", "Proposal"
        NEGOTIATION = "negotiation", "Negotiation"
        WON = "won", "Won"
        LOST = "lost", "Lost"

    class Source(models.TextChoices):
        HEALTH = "health", "Identified by the portal"
        MANUAL = "manual", "Added by a CSM"

    OPEN_STAGES = ("identified", "qualified", "proposal", "negotiation")
    CLOSED_STAGES = ("won", "lost")

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="opportunities")
    type = models.ForeignKey("retention.ExpansionType", on_delete=models.PROTECT, related_name="opportunities")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.IDENTIFIED, db_index=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    triggers_met = models.JSONField(default=list, blank=True, help_text="The trigger keys met when last computed.")
    triggers_total = models.PositiveSmallIntegerField(default=0)
    probability = models.DecimalField(
        max_digits=4, decimal_places=3, default=0, help_text="Base probability x share of triggers met."
    )
    value = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Latest project value x the type's multiplier.",
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opportunities")
    note = models.TextField(blank=True, max_length=2000)
    won_value = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    won_on = models.DateField(null=True, blank=True)
    lost_reason = models.TextField(blank=True, max_length=2000)
    identified_at = models.DateTimeField()
    stage_changed_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = "expansion opportunity"
        verbose_name_plural = "expansion opportunities"
        ordering = ["-identified_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "type"],
                condition=Q(stage__in=["identified", "qualified", "proposal", "negotiation"]),
                name="opportunity_one_open_per_type",
                violation_error_message="This customer already has an open opportunity of this type.",
            ),
            models.CheckConstraint(
                condition=~Q(stage="won") | Q(won_value__isnull=False, won_on__isnull=False),
                name="opportunity_won_has_value_and_date",
                violation_error_message="A won opportunity records the signed value and date.",
            ),
            models.CheckConstraint(
                condition=~Q(stage="lost") | ~Q(lost_reason=""),
                name="opportunity_lost_has_reason",
                violation_error_message="A lost opportunity records why it was lost.",
            ),
        ]
        indexes = [models.Index(fields=["stage", "won_on"])]

    def __str__(self) -> str:
        label = self.type.label if self.type_id else "Opportunity"
        return f"{label} for {self.customer}" if self.customer_id else label

    @property
    def is_open(self) -> bool:
        return self.stage in self.OPEN_STAGES
