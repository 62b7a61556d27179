"""Logging filters named in settings.LOGGING."""

from __future__ import annotations

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """Keep a 4xx from django.request to its one warning line ("Forbidden (Permission denied): /path").

    Django attaches the PermissionDenied (or Http404) to the record, so every refused page printed a full traceback;
    a refusal is the portal working as designed, not a bug. Server errors (5xx) keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
