"""Education plans: pick content by role and background, schedule it over the plan's days, deliver it through
the outbox (email with the content, a calendar invite for a video call, a link for an interactive demo), and let
the stakeholder mark each item done."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone
from django_q.tasks import async_task

from apps.audit.services import record_event
from apps.customers.models import Stakeholder
from apps.education.calendar import calendar_invite
from apps.education.models import Audience, ContentItem, EducationPlan, EducationSettings, Method, PlanItem
from apps.notifications.models import Channel
from apps.notifications.services import Message, Recipient, queue_message


def pick_items(*, role: str, background: str, service_type: str) -> list[ContentItem]:
    """The active content for a stakeholder: their audience or everyone's, their role (or any), the service type."""
    items = ContentItem.objects.filter(active=True, audience__in=[Audience.ALL, background])
    return [
        item
        for item in items
        if (not item.roles or role in item.roles) and (not item.service_types or service_type in item.service_types)
    ]


def item_timing(item: ContentItem, starts_at: datetime, config: EducationSettings) -> tuple[datetime, datetime]:
    """(send_at, scheduled_for) of an item, its day kept within the plan's days.

    Emails and demo links go out on their day, at the hour the plan started. A video call is booked on its day at
    the call hour (never sooner than the notice allows) and its invitation goes out at once.
    """
    offset = timedelta(days=min(item.day, config.plan_days) - 1)
    if item.method != Method.VIDEO_CALL:
        return starts_at + offset, starts_at + offset
    local = timezone.localtime(starts_at + offset)
    call = local.replace(hour=config.call_hour, minute=0, second=0, microsecond=0)
    while call < starts_at + timedelta(hours=config.call_notice_hours):
        call += timedelta(days=1)
    return starts_at, call


@transaction.atomic
def schedule_plan(
    *,
    actor: Any,
    stakeholder: Stakeholder,
    background: str,
    service_type: str,
    source_key: str,
    starts_at: datetime | None = None,
) -> EducationPlan | None:
    """Give a stakeholder their plan for one agreement; None when no content fits them. Safe to call twice."""
    existing = EducationPlan.objects.filter(stakeholder=stakeholder, source_key=source_key).first()
    if existing is not None:
        return existing
    items = pick_items(role=stakeholder.role, background=background, service_type=service_type)
    if not items:
        return None
    starts_at = starts_at or timezone.now()
    config = EducationSettings.current()
    plan = EducationPlan(
        stakeholder=stakeholder,
        customer_id=stakeholder.customer_id,
        background=background,
        service_type=service_type,
        source_key=source_key,
        starts_at=starts_at,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    plan.full_clean()
    plan.save()
    rows = []
    for item in items:
        send_at, scheduled_for = item_timing(item, starts_at, config)
        rows.append(
            PlanItem(
                plan=plan,
                content=item,
                method=item.method,
                day=min(item.day, config.plan_days),
                send_at=send_at,
                scheduled_for=scheduled_for,
            )
        )
    PlanItem.objects.bulk_create(rows)
    record_event(
        action="education.plan_scheduled",
        obj=plan,
        actor=actor,
        customer_id=stakeholder.customer_id,
        data={"stakeholder_id": stakeholder.pk, "background": background, "items": [i.slug for i in items]},
    )
    transaction.on_commit(lambda: async_task("apps.education.tasks.send_due_items"))
    return plan


def due_item_ids(now: datetime | None = None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(PlanItem.objects.due_to_send(now).order_by("send_at").values_list("pk", flat=True)[:limit])


@transaction.atomic
def send_item(*, item_id: int) -> bool:
    """Queue one due item's message. The claim is a conditional update, so a second run sends nothing."""
    now = timezone.now()
    if not PlanItem.objects.due_to_send(now).filter(pk=item_id).update(queued_at=now):
        return False
    item = PlanItem.objects.select_related("content", "plan__stakeholder__customer__owner").get(pk=item_id)
    stakeholder = item.plan.stakeholder
    queue_message(
        event_key=f"education:item:{item.pk}",
        recipient=Recipient(key=f"stakeholder:{stakeholder.pk}", email=stakeholder.email),
        channel=Channel.EMAIL,
        message=_message(item),
        customer_id=stakeholder.customer_id,
    )
    return True


def item_url(item: PlanItem) -> str:
    return settings.SITE_URL + reverse("client_education:item", args=[item.pk])


def _message(item: PlanItem) -> Message:
    content, stakeholder = item.content, item.plan.stakeholder
    csm = stakeholder.customer.owner
    link = content.link_url if item.method == Method.INTERACTIVE_DEMO and content.link_url else item_url(item)
    context = {
        "item": item,
        "content": content,
        "stakeholder": stakeholder,
        "csm": csm,
        "link": link,
        "page": item_url(item),
    }
    body = render_to_string(f"education/email_{item.method}.txt", context)
    if item.method == Method.VIDEO_CALL:
        when = dateformat.format(timezone.localtime(item.scheduled_for), "j F Y, H:i T")
        invite = calendar_invite(
            uid=f"education-item-{item.pk}@{_host()}",
            start=item.scheduled_for,
            minutes=content.minutes,
            summary=content.title,
            description=f"{content.summary}\n\n{item_url(item)}",
            url=item_url(item),
            organizer=(csm.get_full_name(), csm.email),
            attendee=(stakeholder.name, stakeholder.email),
        )
        attachment = {"filename": "invite.ics", "content": invite, "mimetype": "text/calendar; method=REQUEST"}
        return Message(subject=f"Invitation: {content.title} ({when})", body=body, attachments=(attachment,))
    if item.method == Method.INTERACTIVE_DEMO:
        return Message(subject=f"Try it yourself: {content.title}", body=body, url=link)
    return Message(subject=f"{content.title} ({content.minutes}-minute read)", body=body, url=item_url(item))


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "portal"


@transaction.atomic
def mark_item(*, actor: Any, item: PlanItem, done: bool) -> PlanItem:
    """The stakeholder marks an item done (or not done after all)."""
    completed_at = timezone.now() if done else None
    changed = PlanItem.objects.filter(pk=item.pk, completed_at__isnull=done).update(completed_at=completed_at)
    item.refresh_from_db()
    if changed:
        record_event(
            action="education.item_done" if done else "education.item_reopened",
            obj=item,
            actor=actor,
            customer_id=item.plan.customer_id,
            data={"content": item.content.slug},
        )
    return item
