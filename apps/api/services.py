from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.api.models import ApiKey
from apps.audit.services import record_event

KEY_PREFIX = "csp_"


def hash_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


@transaction.atomic
def create_api_key(*, name: str, actor: Any = None) -> tuple[ApiKey, str]:
    """Returns the stored key and the raw key. The raw key is never stored: show it once."""
    raw_key = KEY_PREFIX + secrets.token_urlsafe(32)
    api_key = ApiKey(name=name, prefix=raw_key[:12], key_hash=hash_key(raw_key), created_by=actor)
    api_key.full_clean()
    api_key.save()
    record_event(action="api_key.created", obj=api_key, actor=actor, data={"name": name, "prefix": api_key.prefix})
    return api_key, raw_key


@transaction.atomic
def revoke_api_key(*, api_key: ApiKey, actor: Any = None) -> None:
    if ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
        record_event(action="api_key.revoked", obj=api_key, actor=actor, data={"prefix": api_key.prefix})


def authenticate_key(raw_key: str) -> ApiKey | None:
    api_key = ApiKey.objects.filter(key_hash=hash_key(raw_key), revoked_at__isnull=True).first()
    if api_key is None:
        return None
    now = timezone.now()
    # Marking use at most once a minute keeps a busy integration from writing on every request.
    if api_key.last_used_at is None or now - api_key.last_used_at > timedelta(minutes=1):
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    return api_key
