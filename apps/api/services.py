from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.api.models import ApiKey
from apps.api.scopes import all_scopes
from apps.audit.services import record_event

KEY_PREFIX = "csp_"


def hash_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def _settings(api_key: ApiKey) -> dict[str, Any]:
    return {
        "scopes": list(api_key.scopes),
        "customer_id": api_key.customer_id,
        "expires_at": api_key.expires_at.isoformat() if api_key.expires_at else None,
    }


@transaction.atomic
def create_api_key(
    *,
    name: str,
    actor: Any = None,
    scopes: list[str] | None = None,
    customer: Any = None,
    expires_at: datetime | None = None,
) -> tuple[ApiKey, str]:
    """Returns the stored key and the raw key. The raw key is never stored: show it once.

    Without `scopes` the key holds every scope; with a `customer` it sees only that customer's objects.
    """
    raw_key = KEY_PREFIX + secrets.token_urlsafe(32)
    api_key = ApiKey(
        name=name,
        prefix=raw_key[:12],
        key_hash=hash_key(raw_key),
        created_by=actor,
        scopes=list(scopes) if scopes else all_scopes(),
        customer=customer,
        expires_at=expires_at,
    )
    api_key.full_clean()
    api_key.save()
    data = {"name": name, "prefix": api_key.prefix, **_settings(api_key)}
    record_event(action="api_key.created", obj=api_key, actor=actor, data=data)
    return api_key, raw_key


@transaction.atomic
def update_api_key(
    *, api_key: ApiKey, actor: Any, name: str, scopes: list[str], customer: Any, expires_at: datetime | None
) -> ApiKey:
    """Rename a key or change what it may do; a change of scope, customer or expiry is audited."""
    # From the database: an admin form has already copied the new values onto `api_key`.
    before = _settings(ApiKey.objects.get(pk=api_key.pk))
    api_key.name, api_key.scopes, api_key.customer, api_key.expires_at = name, list(scopes), customer, expires_at
    api_key.full_clean()
    api_key.save(update_fields=["name", "scopes", "customer", "expires_at"])
    if _settings(api_key) != before:
        record_event(action="api_key.changed", obj=api_key, actor=actor, data={"before": before, **_settings(api_key)})
    return api_key


@transaction.atomic
def revoke_api_key(*, api_key: ApiKey, actor: Any = None) -> None:
    if ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
        record_event(action="api_key.revoked", obj=api_key, actor=actor, data={"prefix": api_key.prefix})


def authenticate_key(raw_key: str) -> ApiKey | None:
    now = timezone.now()
    api_key = (
        ApiKey.objects.filter(key_hash=hash_key(raw_key), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if api_key is None:
        return None
    # Marking use at most once a minute keeps a busy integration from writing on every request.
    if api_key.last_used_at is None or now - api_key.last_used_at > timedelta(minutes=1):
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    return api_key
