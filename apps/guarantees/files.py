"""Evidence files: the type is read from the content (never the name), the size is limited, the bytes hashed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# PDF, images, Office and OpenDocument files, archives; plain text has no signature and is checked separately.
ALLOWED_TYPES = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/zip",
    "application/gzip",
    "application/x-tar",
    "application/x-7z-compressed",
}
TEXT_TYPE = "text/plain"
ALLOWED_DESCRIPTION = "PDF, images (PNG, JPEG, GIF, WebP), Office or OpenDocument files, plain text, or archives"


@dataclass(frozen=True)
class CheckedFile:
    upload: Any
    name: str
    content_type: str
    size: int
    sha256: str


def check_upload(upload: Any) -> CheckedFile:
    """Refuse a file that is empty, too large, or whose content is not an allowed type."""
    limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
    if upload.size == 0:
        raise ValidationError("The file is empty.")
    if upload.size > limit:
        raise ValidationError(f"The file is {filesizeformat(upload.size)}; the limit is {filesizeformat(limit)}.")
    content = b"".join(upload.chunks())
    upload.seek(0)
    content_type = _detect(content)
    if content_type is None:
        raise ValidationError(f"This file type is not accepted. Upload {ALLOWED_DESCRIPTION}.")
    name = (getattr(upload, "name", "") or "evidence").rsplit("/", 1)[-1][:200]
    return CheckedFile(upload, name, content_type, upload.size, hashlib.sha256(content).hexdigest())


def _detect(content: bytes) -> str | None:
    kind = filetype.guess(content)
    if kind is not None:
        return kind.mime if kind.mime in ALLOWED_TYPES else None
    return TEXT_TYPE if _is_text(content) else None


def _is_text(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
