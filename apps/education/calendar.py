"""A minimal iCalendar (RFC 5545) meeting request: one event, one organiser, one attendee."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone

UTC_FORMAT = "%Y%m%dT%H%M%SZ"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, chunk = [], b""
    for char in line:
        piece = char.encode()
        if len(chunk) + len(piece) > (75 if not parts else 74):
            parts.append(chunk.decode())
            chunk = b""
        chunk += piece
    parts.append(chunk.decode())
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(UTC_FORMAT)


def calendar_invite(
    *,
    uid: str,
    start: datetime,
    minutes: int,
    summary: str,
    description: str,
    url: str,
    organizer: tuple[str, str],
    attendee: tuple[str, str],
) -> str:
    """The text of an .ics meeting request; `organizer` and `attendee` are (name, email)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Success Portal//Education//EN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(start + timedelta(minutes=minutes))}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{url}",
        f"ORGANIZER;CN={_escape(organizer[0])}:mailto:{organizer[1]}",
        f"ATTENDEE;CN={_escape(attendee[0])};ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:{attendee[1]}",
        "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
