from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from apps.core.scoping import client_scope


class CustomerQuerySet(models.QuerySet["Customer"]):
    def visible_to(self, user: Any) -> CustomerQuerySet:
        """Staff see every customer; a customer stakeholder sees only their own company."""
        return client_scope(self, user, "pk")


class Customer(models.Model):
    class Segment(models.TextChoices):
        STARTUP = "startup", "Startup"
        SMB = "smb", "Small and medium business"
        MID_MARKET = "mid_market", "Mid-market"
        ENTERPRISE = "enterprise", "Enterprise"

    class Size(models.TextChoices):
        S1_10 = "1-10", "1-10 employees"
        S11_50 = "11-50", "11-50 employees"
        S51_200 = "51-200", "51-200 employees"
        S201_1000 = "201-1000", "201-1,000 employees"
        S1000_PLUS = "1000+", "More than 1,000 employees"

    class Status(models.TextChoices):
        ONBOARDING = "onboarding", "Onboarding"
        ACTIVE = "active", "Active"
        AT_RISK = "at_risk", "At risk"
        CHURNED = "churned", "Churned"

    name = models.CharField(max_length=200)
    segment = models.CharField(max_length=20, choices=Segment.choices, default=Segment.SMB)
    industry = models.CharField(max_length=100, blank=True)
    size = models.CharField(max_length=10, choices=Size.choices, blank=True)
    website = models.URLField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_customers",
        limit_choices_to={"is_staff": True},
        help_text="The customer success manager who owns this account.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.ONBOARDING,
        db_index=True,
        help_text="Derived from data by the health computation; only 'churned' is set by a CSM.",
    )
    churned_on = models.DateField(null=True, blank=True)
    churn_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        # The customer list reads its first 25 rows in name order (the unique index is on the lower-cased name).
        indexes = [models.Index(fields=["name", "id"], name="customer_name_order")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="customer_name_unique_ci",
                violation_error_message="A customer with this name already exists.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class StakeholderQuerySet(models.QuerySet["Stakeholder"]):
    def visible_to(self, user: Any) -> StakeholderQuerySet:
        return client_scope(self, user)


class Stakeholder(models.Model):
    class Role(models.TextChoices):
        EXECUTIVE = "executive", "Executive"
        TECHNICAL_LEAD = "technical_lead", "Technical lead"
        PRODUCT_OWNER = "product_owner", "Product owner"
        OTHER = "other", "Other"

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SLACK = "slack", "Slack"
        TEAMS = "teams", "Microsoft Teams"
        WEBHOOK = "webhook", "Webhook"
        IN_APP = "in_app", "Client view"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(max_length=150)
    email = models.EmailField()
    title = models.CharField(max_length=150, blank=True, help_text="Job title, for example CTO.")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.OTHER)
    is_approver = models.BooleanField(default=False, help_text="Approvers sign off weekly milestones.")
    channels = models.JSONField(default=list, blank=True, help_text="Preferred channels, in order.")
    slack_webhook_url = models.URLField(blank=True)
    teams_webhook_url = models.URLField(blank=True)
    webhook_url = models.URLField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stakeholder",
    )
    last_active_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StakeholderQuerySet.as_manager()

    class Meta:
        ordering = ["customer__name", "name"]
        constraints = [
            models.UniqueConstraint(
                "customer",
                Lower("email"),
                name="stakeholder_email_unique_per_customer",
                violation_error_message="This customer already has a stakeholder with this email address.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()}, {self.customer})"

    @property
    def has_client_login(self) -> bool:
        return self.user_id is not None and self.user.has_usable_password()


class ClientInvite(models.Model):
    """A single-use, expiring link that lets a stakeholder set a password for the client view."""

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="invites")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invite for {self.stakeholder.email}"
