from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from apps.api.scopes import SCOPES, all_scopes


class ApiKey(models.Model):
    """A key for machines (CRMs, website forms, CI). Only its SHA-256 is stored; the key is shown once."""

    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True, help_text="First characters, to recognise a key.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    scopes = models.JSONField(
        default=all_scopes, blank=True, help_text="What the key may do (apps.api.scopes.SCOPES); new keys get all."
    )
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_keys",
        help_text="When set, the key sees and changes only this customer's objects (others are not found).",
    )
    expires_at = models.DateTimeField(null=True, blank=True, help_text="When set, the key stops working then.")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())

    def clean(self) -> None:
        unknown = sorted(set(self.scopes or []) - set(SCOPES)) if isinstance(self.scopes, list) else ["(not a list)"]
        if unknown:
            raise ValidationError({"scopes": f"Unknown scope(s): {', '.join(unknown)}."})
