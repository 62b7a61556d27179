"""Password-reset throttling: at most N reset e-mails per address and M reset requests per IP in a window.

Counts live in Django's cache (CACHES, from CACHE_URL). The default local-memory cache counts per process, so with
several web processes each allows the limit; point CACHE_URL at the database cache or Redis to share the counts.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from apps.accounts.login_names import normalise_login_name


def _hit(key: str, limit: int) -> bool:
    """Count one request under `key`; True while the count is within `limit` for the current window."""
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)  # starts the window; a no-op while one is open
    try:
        count = cache.incr(key)
    except ValueError:  # the window closed between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def allow_password_reset(*, email: str, ip: str | None) -> bool:
    """Count a reset request for this address and this IP; False when either is over its limit."""
    address = hashlib.sha256(normalise_login_name(email).encode()).hexdigest()
    by_ip = _hit(f"password-reset:ip:{ip or 'unknown'}", settings.PASSWORD_RESET_LIMIT_PER_IP)
    by_address = _hit(f"password-reset:address:{address}", settings.PASSWORD_RESET_LIMIT_PER_ADDRESS)
    return by_ip and by_address
