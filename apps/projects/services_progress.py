"""Posting a progress update: schedule status from the calendar, then each stakeholder's version on their channels."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.audit.services import record_event
from apps.core.numbers import round1
from apps.notifications.models import Channel, OutboxMessage, WebhookEventType
from apps.notifications.services import queue_message, stakeholder_recipient
from apps.notifications.webhooks import emit_event
from apps.projects import progress, progress_messages
from apps.projects.models import ProgressSettings, ProgressUpdate, Project

MAX_ITEMS = 20
MAX_ITEM_LENGTH = 300
LIST_FIELDS = ("achievements", "blockers", "upcoming")


def clean_items(items: list[str], field: str) -> list[str]:
    """Trim each line, drop empty ones, and refuse what no person would type (too many, too long, NUL)."""
    cleaned = [str(item).strip() for item in items if str(item).strip()]
    if len(cleaned) > MAX_ITEMS:
        raise ValidationError({field: f"At most {MAX_ITEMS} lines."})
    for item in cleaned:
        if len(item) > MAX_ITEM_LENGTH:
            raise ValidationError({field: f"Each line can have at most {MAX_ITEM_LENGTH} characters."})
        if "\x00" in item:
            raise ValidationError({field: "A line contains a character that is not allowed."})
    return cleaned


def project_days(project: Project, as_of: date) -> tuple[int, int]:
    """(elapsed, planned) days: from the kickoff's start (or the acceptance, before kickoff) to `as_of`."""
    start = (project.kickoff_started_at or project.accepted_at).date()
    return max((as_of - start).days, 0), project.timeline_weeks * 7


@transaction.atomic
def post_progress_update(
    *,
    actor: Any,
    project: Project,
    percent_complete: Decimal,
    achievements: list[str],
    blockers: list[str],
    upcoming: list[str],
    risk_level: str,
    source: str = "",
    as_of: date | None = None,
) -> ProgressUpdate:
    """Record an update and send it.

    1. Expected % and schedule status with the admin-edited thresholds (kept on the update with their version).
    2. Audit event; then one outbox row per stakeholder and chosen channel, in the version for their role.
    3. A `progress_update.created` event for the company's webhook endpoints.
    """
    settings_row = ProgressSettings.load()
    thresholds = settings_row.to_config()
    elapsed, planned = project_days(project, as_of or timezone.localdate())
    expected = progress.expected_percent(elapsed_days=elapsed, planned_days=planned)
    result = progress.schedule_status(percent_complete=percent_complete, expected=expected, thresholds=thresholds)
    update = ProgressUpdate(
        project=project,
        percent_complete=percent_complete,
        risk_level=risk_level,
        expected_percent=result.expected_percent,
        difference=result.difference,
        schedule_status=result.status.value,
        schedule_reason=result.reason[:300],
        priority=progress.is_priority(risk_level=risk_level, thresholds=thresholds),
        elapsed_days=elapsed,
        planned_days=planned,
        thresholds=settings_row.snapshot(),
        author=actor if getattr(actor, "is_authenticated", False) else None,
        source=source or getattr(actor, "email", "") or "system",
        **{
            field: clean_items(items, field)
            for field, items in zip(LIST_FIELDS, (achievements, blockers, upcoming), strict=True)
        },
    )
    update.full_clean()
    update.save()
    record_event(
        action="project.progress_update_posted",
        obj=project,
        actor=actor,
        customer_id=project.customer_id,
        actor_label=source,
        data={
            "update_id": update.pk,
            "percent_complete": round1(update.percent_complete),
            "schedule_status": update.schedule_status,
            "risk_level": risk_level,
        },
    )
    _send_to_stakeholders(update)
    emit_event(
        event_type=WebhookEventType.PROGRESS_UPDATE_CREATED,
        customer_id=project.customer_id,
        key=str(update.pk),
        data=webhook_data(update),
    )
    return update


def event_key(update: ProgressUpdate) -> str:
    return f"progress_update:{update.pk}"


def stakeholder_channels(stakeholder: Any) -> list[str]:
    """The stakeholder's channels for updates; signed webhooks go to the company's endpoints instead."""
    return [c for c in (stakeholder.channels or [Channel.EMAIL]) if c != Channel.WEBHOOK]


def _send_to_stakeholders(update: ProgressUpdate) -> None:
    for stakeholder in update.project.customer.stakeholders.all():
        recipient = stakeholder_recipient(stakeholder)
        for channel in stakeholder_channels(stakeholder):
            if (channel == Channel.IN_APP and recipient.user_id is None) or (
                channel not in (Channel.IN_APP, Channel.EMAIL) and not recipient.address_for(channel)
            ):
                continue
            queue_message(
                event_key=event_key(update),
                recipient=recipient,
                channel=channel,
                message=progress_messages.message_for(update, stakeholder.role, channel),
                customer_id=update.project.customer_id,
            )


def deliveries(update: ProgressUpdate) -> list[dict[str, Any]]:
    """Each stakeholder and chosen channel with the state of its message ("skipped" when it has no address)."""
    rows = OutboxMessage.objects.filter(event_key=event_key(update)).values_list("recipient_key", "channel", "status")
    status = {(key, channel): state for key, channel, state in rows}
    answer = []
    for stakeholder in update.project.customer.stakeholders.all():
        for channel in stakeholder_channels(stakeholder):
            state = status.get((f"stakeholder:{stakeholder.pk}", channel), "skipped")
            answer.append({"stakeholder_id": stakeholder.pk, "channel": channel, "status": state})
    return answer


def webhook_data(update: ProgressUpdate) -> dict[str, Any]:
    return {
        "id": update.pk,
        "project_id": update.project_id,
        "project": update.project.name,
        "percent_complete": round1(update.percent_complete),
        "expected_percent": update.expected_percent,
        "schedule_status": update.schedule_status,
        "risk_level": update.risk_level,
        "priority": update.priority,
        "achievements": update.achievements,
        "blockers": update.blockers,
        "upcoming": update.upcoming,
        "created_at": update.created_at,
    }
