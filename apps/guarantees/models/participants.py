"""Who is asked to answer a criterion: UAT participants and satisfaction-survey respondents, named when invited."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.guarantees.models.guarantee import MilestoneCriterion


class Participant(models.Model):
    """A stakeholder invited to answer one criterion; the criterion's denominator is everyone invited."""

    criterion = models.ForeignKey(MilestoneCriterion, on_delete=models.CASCADE, related_name="participants")
    stakeholder = models.ForeignKey("customers.Stakeholder", on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["criterion", "stakeholder__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "stakeholder"],
                name="participant_once_per_criterion",
                violation_error_message="This stakeholder is already invited to this criterion.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder_id} invited to {self.criterion}"
