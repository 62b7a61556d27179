"""Education plans: content picked by role and background, scheduled over the plan's days, delivered once each
through the outbox (email with the content, an .ics invite for a call, a link for a demo), marked done."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.education import services
from apps.education.calendar import calendar_invite
from apps.education.models import ContentItem, EducationSettings, Method, PlanItem
from apps.education.tasks import send_due_items
from apps.notifications.models import OutboxMessage
from tests.education.factories import plan_for

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")


def _item(**overrides):
    values = {
        "slug": "api-tour",
        "title": "API tour",
        "summary": "The API.",
        "body": "Read this.",
        "minutes": 20,
        "audience": "technical",
        "method": Method.INTERACTIVE_DEMO,
        "day": 3,
        "link_url": "https://demo.example/api",
    }
    return ContentItem.objects.create(**(values | overrides))


def test_the_two_default_items_are_seeded_and_written_out():
    delivery = ContentItem.objects.get(slug="how-our-delivery-works")
    guarantee = ContentItem.objects.get(slug="the-30-day-success-guarantee")
    assert (delivery.minutes, guarantee.minutes) == (15, 10)
    assert "Days 3 to 21" in delivery.body
    assert "Days 29 and 30" in delivery.body
    assert "full refund" in guarantee.body
    assert "days 7, 14, 21 and 28" in guarantee.body
    assert EducationSettings.current().plan_days == 3


def test_content_is_picked_by_background_role_and_service_type():
    _item()
    _item(slug="exec-brief", audience="all", roles=["executive"], method=Method.EMAIL)
    _item(slug="legacy-only", audience="all", service_types=["legacy_modernization"], method=Method.EMAIL)

    def slugs(role, background):
        items = services.pick_items(role=role, background=background, service_type="mvp_development")
        return {item.slug for item in items}

    defaults = {"how-our-delivery-works", "the-30-day-success-guarantee"}
    assert slugs("technical_lead", "technical") == defaults | {"api-tour"}
    assert slugs("executive", "business") == defaults | {"exec-brief"}
    assert slugs("product_owner", "business") == defaults


def test_items_are_spread_over_the_plan_days_and_a_call_is_booked_at_the_call_hour(stakeholder_a):
    _item()
    start = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    plan = plan_for(stakeholder_a, background="technical", starts_at=start)
    items = {item.content.slug: item for item in plan.items.all()}
    call = items["how-our-delivery-works"]
    assert call.send_at == start  # the invitation goes out at once
    assert timezone.localtime(call.scheduled_for).hour == 15
    assert call.scheduled_for.date() == start.date()
    assert items["the-30-day-success-guarantee"].send_at == start + timedelta(days=1)
    assert items["api-tour"].send_at == start + timedelta(days=2)


def test_a_call_is_never_booked_sooner_than_the_notice_allows(stakeholder_a):
    start = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # one hour before the call hour, notice is two
    plan = plan_for(stakeholder_a, starts_at=start)
    call = plan.items.get(content__slug="how-our-delivery-works")
    assert call.scheduled_for == datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


def test_an_item_day_beyond_the_plan_is_kept_within_it(stakeholder_a):
    _item(audience="all", day=9)
    plan = plan_for(stakeholder_a, starts_at=datetime(2026, 3, 2, 9, tzinfo=UTC))
    assert plan.items.get(content__slug="api-tour").day == 3


def test_scheduling_twice_for_the_same_source_keeps_one_plan(stakeholder_a):
    first = plan_for(stakeholder_a)
    assert plan_for(stakeholder_a) == first
    assert first.items.count() == 2


def test_no_plan_is_made_when_no_content_fits():
    ContentItem.objects.update(active=False)
    from tests.customers.factories import StakeholderFactory

    stakeholder = StakeholderFactory()
    assert (
        services.schedule_plan(
            actor=None, stakeholder=stakeholder, background="business", service_type="mvp_development", source_key="x"
        )
        is None
    )


def test_due_items_are_sent_once_and_later_days_wait(stakeholder_a, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        plan = plan_for(stakeholder_a)
    assert plan.items.filter(queued_at__isnull=False).count() == 1  # the call invitation; day 2 waits
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_items() == 0
    assert len(mailoutbox) == 1
    PlanItem.objects.filter(plan=plan).update(send_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_items() == 1
        assert send_due_items() == 0
    assert len(mailoutbox) == 2
    assert OutboxMessage.objects.filter(event_key__startswith="education:item:").count() == 2


def test_the_email_item_carries_the_content_and_the_link_to_mark_it_done(stakeholder_a, mailoutbox):
    plan = plan_for(stakeholder_a)
    item = plan.items.get(content__slug="the-30-day-success-guarantee")
    PlanItem.objects.filter(pk=item.pk).update(send_at=timezone.now())
    services.send_item(item_id=item.pk)
    message = OutboxMessage.objects.get(event_key=f"education:item:{item.pk}")
    assert message.subject == "The 30-day success guarantee (10-minute read)"
    assert "- a full refund of the guarantee amount" in message.body
    assert f"/client/learning/items/{item.pk}/" in message.body
    assert message.address == stakeholder_a.email


def test_the_video_call_invitation_has_an_ics_meeting_request(stakeholder_a):
    plan = plan_for(stakeholder_a)
    item = plan.items.get(method=Method.VIDEO_CALL)
    services.send_item(item_id=item.pk)
    message = OutboxMessage.objects.get(event_key=f"education:item:{item.pk}")
    (attachment,) = message.attachments
    assert attachment["filename"] == "invite.ics"
    assert attachment["mimetype"] == "text/calendar; method=REQUEST"
    ics = attachment["content"]
    assert "METHOD:REQUEST" in ics
    assert "DTSTART:" + item.scheduled_for.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ") in ics
    assert f"mailto:{stakeholder_a.email}" in ics.replace("\r\n ", "")


def test_an_interactive_demo_is_sent_as_a_link(stakeholder_a):
    _item(audience="all", day=1)
    plan = plan_for(stakeholder_a)
    item = plan.items.get(content__slug="api-tour")
    services.send_item(item_id=item.pk)
    message = OutboxMessage.objects.get(event_key=f"education:item:{item.pk}")
    assert message.subject == "Try it yourself: API tour"
    assert "https://demo.example/api" in message.body
    assert message.url == "https://demo.example/api"


def test_calendar_lines_are_folded_at_75_octets_and_text_is_escaped():
    ics = calendar_invite(
        uid="u@x",
        start=datetime(2026, 1, 1, 10, tzinfo=UTC),
        minutes=15,
        summary="A, b; c",
        description="é" * 100,
        url="https://x",
        organizer=("Casey", "c@x"),
        attendee=("Ann", "a@x"),
    )
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    assert "SUMMARY:A\\, b\\; c" in ics
    assert "DTEND:20260101T101500Z" in ics


def test_marking_an_item_done_records_it_once_and_can_be_undone(stakeholder_a, customer_a):
    item = plan_for(stakeholder_a).items.first()
    services.mark_item(actor=customer_a, item=item, done=True)
    first = item.completed_at
    services.mark_item(actor=customer_a, item=item, done=True)
    assert item.completed_at == first
    assert AuditEvent.objects.filter(action="education.item_done").count() == 1
    services.mark_item(actor=customer_a, item=item, done=False)
    assert item.completed_at is None
