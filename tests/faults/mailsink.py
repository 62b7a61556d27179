"""A mail server for the fault tests: it takes a while per message and appends each message's Message-ID to a file.

The file outlives the worker, so after a SIGKILL the test can count what the far end actually received.
"""

from __future__ import annotations

import os
import time

from django.core.mail.backends.base import BaseEmailBackend

SECONDS_PER_MESSAGE = 0.15


class SlowSinkBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        path = os.environ["FAULTS_MAIL_SINK"]
        for message in email_messages:
            time.sleep(SECONDS_PER_MESSAGE)
            with open(path, "a", encoding="utf-8") as sink:
                sink.write(f"{message.extra_headers['Message-ID']}\n")
                sink.flush()
                os.fsync(sink.fileno())
        return len(email_messages)


def received(path: str) -> list[str]:
    """The Message-IDs the sink accepted, one per delivery, in order."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as sink:
        return [line.strip() for line in sink if line.strip()]
