"""Webhook secrets: made in the Standard Webhooks form (`whsec_` + base64 of 32 random bytes), kept encrypted.

The encryption key comes from WEBHOOK_ENCRYPTION_KEYS (comma-separated Fernet keys, newest first, so a key can be
rotated: old ciphertexts still decrypt). Without it, a key derived from SECRET_KEY is used (documented in the README).
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

SECRET_PREFIX = "whsec_"
__all__ = ["Fernet", "InvalidToken", "decrypt", "encrypt", "new_secret"]


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _fernet() -> MultiFernet:
    keys = [key.strip() for key in settings.WEBHOOK_ENCRYPTION_KEYS if key.strip()]
    if not keys:
        derived = hashlib.sha256(f"webhook-secrets:{settings.SECRET_KEY}".encode()).digest()
        keys = [base64.urlsafe_b64encode(derived).decode()]
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()
