from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.update(is_staff=True, is_superuser=True, role=User.Role.ADMIN)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: staff (CSM or admin) or a customer stakeholder bound to one company."""

    class Role(models.TextChoices):
        CSM = "csm", "Customer success manager"
        ADMIN = "admin", "Administrator"
        CLIENT = "client", "Customer stakeholder"

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.CSM)
    is_staff = models.BooleanField(
        default=False, help_text="Staff (CSMs and admins) use the portal; customers only the client view."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    team_lead = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_members",
        limit_choices_to={"is_staff": True},
        help_text="The staff user a failed week of this CSM's customers is escalated to (the admins when empty).",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        permissions = [("approve_refunds", "Can approve refunds and record payouts (finance)")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        if self.team_lead_id is not None and self.team_lead_id == self.pk:
            raise ValidationError({"team_lead": "A person cannot be their own team lead."})
        if self.team_lead is not None and not self.team_lead.is_staff:
            raise ValidationError({"team_lead": "The team lead must be a staff user."})

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]

    @cached_property
    def client_stakeholder(self):  # type: ignore[no-untyped-def]
        """The stakeholder record a client login belongs to (None for staff)."""
        if self.is_staff or not self.pk:
            return None
        from apps.customers.models import Stakeholder

        return Stakeholder.objects.select_related("customer").filter(user=self).first()

    @property
    def client_customer_id(self) -> int | None:
        stakeholder = self.client_stakeholder
        return stakeholder.customer_id if stakeholder else None
