from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from apps.accounts.models import User

FINANCE_GROUP = "Finance"


@transaction.atomic
def create_staff_user(
    *, email: str, full_name: str, password: str | None, admin: bool = False, finance: bool = False
) -> User:
    user = User(
        email=email.lower(),
        full_name=full_name,
        role=User.Role.ADMIN if admin else User.Role.CSM,
        is_staff=True,
        is_superuser=admin,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    if finance:
        grant_finance(user=user)
    return user


def grant_finance(*, user: User) -> None:
    group, _ = Group.objects.get_or_create(name=FINANCE_GROUP)
    permission = Permission.objects.get(codename="approve_refunds", content_type__app_label="accounts")
    group.permissions.add(permission)
    user.groups.add(group)
