"""Notifications written for their audience: a link in words (emails keep the address), requests resolved once
decided, the CSM's own wording, and money as people write it."""

from __future__ import annotations

import pytest
from django.core import mail

from apps.guarantees.signoff import record_signoff, submit_for_sign_off
from apps.guarantees.validation import digest_of
from apps.notifications.models import Notification, OutboxMessage
from apps.notifications.services import notify_user
from apps.outcomes import services as outcomes
from apps.outcomes.models import Remedy
from tests.customers.factories import StakeholderFactory
from tests.guarantees.factories import give_evidence, make_guarantee, week
from tests.outcomes.factories import failed_guarantee

pytestmark = pytest.mark.django_db
URL = "http://testserver/guarantees/milestones/7/"


def test_in_app_text_never_ends_in_a_raw_address_while_the_email_keeps_a_link(csm, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_user(
            event_key="t:1",
            user=csm,
            subject="Week 1 signed off",
            body="Every approver signed.",
            url=URL,
            customer_id=None,
        )

    notification = Notification.objects.get(user=csm)
    assert notification.body == "Every approver signed."
    assert notification.url == URL
    assert mail.outbox[-1].body.rstrip().endswith(f"Open it in the portal: {URL}")
    assert "http" not in OutboxMessage.objects.filter(event_key="t:1").first().body


def _awaiting(company_a, csm, committed_callbacks):
    milestone = week(make_guarantee(customer=company_a, actor=csm), 1)
    with committed_callbacks(execute=True):
        give_evidence(milestone, 100)
    milestone.refresh_from_db()
    with committed_callbacks(execute=True):
        return submit_for_sign_off(actor=csm, milestone=milestone)


def test_please_review_is_marked_done_for_the_approver_who_decided_and_for_all_once_the_round_ends(
    company_a, csm, stakeholder_a, django_capture_on_commit_callbacks
):
    second = StakeholderFactory(customer=company_a, is_approver=True, with_login=True)
    milestone = _awaiting(company_a, csm, django_capture_on_commit_callbacks)
    requests = Notification.objects.filter(title__startswith="Please review week 1")
    assert requests.filter(read_at__isnull=True).count() == 2

    record_signoff(
        user=stakeholder_a.user,
        milestone_id=milestone.pk,
        decision="approved",
        reason="",
        digest_seen=digest_of(milestone),
        ip=None,
        user_agent="t",
    )
    assert requests.get(user=stakeholder_a.user).read_at is not None
    assert requests.get(user=second.user).read_at is None

    record_signoff(
        user=second.user,
        milestone_id=milestone.pk,
        decision="rejected",
        reason="Not yet",
        digest_seen=digest_of(milestone),
        ip=None,
        user_agent="t",
    )
    assert not requests.filter(read_at__isnull=True).exists()


def test_the_csm_reads_claim_news_in_their_own_words_and_amounts_as_dollars(
    company_a, stakeholder_a, customer_a, admin_user, django_capture_on_commit_callbacks
):
    guarantee = failed_guarantee(customer=company_a)
    with django_capture_on_commit_callbacks(execute=True):
        claim = outcomes.open_claim(actor=customer_a, guarantee=guarantee, remedy=Remedy.REFUND, description="Missed")
        outcomes.start_review(actor=admin_user, claim=claim)
        outcomes.approve_claim(actor=admin_user, claim=claim)

    owner = company_a.owner
    staff = OutboxMessage.objects.get(
        event_key=f"claim:{claim.pk}:approved", recipient_key=f"user:{owner.pk}", channel="email"
    )
    client = OutboxMessage.objects.get(
        event_key=f"claim:{claim.pk}:approved", recipient_key=f"stakeholder:{stakeholder_a.pk}", channel="email"
    )
    assert staff.body.startswith("The claim was approved")
    assert "Your claim" not in staff.body
    assert client.body.startswith("Your claim was approved")
    finance = OutboxMessage.objects.filter(event_key=f"claim:{claim.pk}:opened", subject__contains="refund claim")
    assert f"${claim.amount:,.0f}" in finance.first().subject
    assert ".00" not in finance.first().subject
