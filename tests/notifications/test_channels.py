"""Email with a stable Message-ID; Slack (Block Kit) and Teams (Adaptive Card) payloads, sent to a real server."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from apps.notifications import channels, services, tasks
from apps.notifications.channels import DeliveryError, slack_payload, teams_payload
from apps.notifications.models import Channel, DeliveryAttempt, OutboxMessage
from apps.notifications.services import Message, Recipient, queue_message
from tests.customers.factories import UserFactory
from tests.notifications.receiver import running_receiver

MESSAGE = dict(
    subject="Acme platform: 40% complete, at risk",
    body="*40% complete*: *At risk*.\n\n*Blockers*\n• Waiting for the sandbox",
    url="/client/projects/1/",
)


def _row(**fields) -> OutboxMessage:
    return OutboxMessage(**{**MESSAGE, **fields})


def test_slack_gets_block_kit_blocks_with_a_plain_text_fallback(settings):
    settings.SITE_URL = "https://portal.example"

    payload = slack_payload(_row(priority=True))

    assert payload["text"] == MESSAGE["subject"]
    assert [b["type"] for b in payload["blocks"]] == ["header", "context", "section", "section", "actions"]
    assert payload["blocks"][0]["text"] == {"type": "plain_text", "text": MESSAGE["subject"], "emoji": True}
    assert payload["blocks"][2]["text"] == {"type": "mrkdwn", "text": "*40% complete*: *At risk*."}
    button = payload["blocks"][4]["elements"][0]
    assert (button["type"], button["url"]) == ("button", "https://portal.example/client/projects/1/")


def test_slack_blocks_stay_within_block_kit_limits():
    payload = slack_payload(_row(subject="s" * 400, body="\n\n".join("x" * 4000 for _ in range(60))))

    assert len(payload["blocks"]) <= 50
    assert len(payload["blocks"][0]["text"]["text"]) <= 150
    assert all(len(b["text"]["text"]) <= 3000 for b in payload["blocks"] if b["type"] == "section")


def test_teams_gets_a_workflows_message_with_one_adaptive_card(settings):
    settings.SITE_URL = "https://portal.example"

    payload = teams_payload(_row(priority=True))

    assert payload["type"] == "message"
    (attachment,) = payload["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert (card["type"], card["version"]) == ("AdaptiveCard", "1.4")
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    assert all(block["type"] == "TextBlock" for block in card["body"])
    assert card["body"][0] == {
        "type": "TextBlock",
        "text": MESSAGE["subject"],
        "weight": "Bolder",
        "size": "Medium",
        "wrap": True,
    }
    assert card["body"][1]["text"] == "Priority"
    assert card["actions"] == [
        {"type": "Action.OpenUrl", "title": "Open in the portal", "url": "https://portal.example/client/projects/1/"}
    ]


@pytest.fixture
def server(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    with running_receiver("/services/T1/B2/secret") as receiver:
        yield receiver


@pytest.mark.parametrize(("channel", "builder"), [(Channel.SLACK, slack_payload), (Channel.TEAMS, teams_payload)])
def test_the_payload_reaches_a_real_server_as_json(server, channel, builder):
    row = _row(channel=channel, address=server.url)

    sent = channels.backend_for(channel).send(row)

    (request,) = server.requests
    assert request.path == "/services/T1/B2/secret"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == builder(row)
    assert sent.response_status == 200


def test_teams_workflows_answering_202_is_a_success(server):
    server.answers = [(202, {})]

    assert channels.TeamsChannel().send(_row(channel=Channel.TEAMS, address=server.url)).response_status == 202


@pytest.mark.parametrize(("status", "permanent"), [(400, False), (403, False), (404, False), (500, False), (410, True)])
def test_a_non_2xx_answer_from_slack_is_a_delivery_error(server, status, permanent):
    server.answers = [(status, {})]

    with pytest.raises(DeliveryError) as error:
        channels.SlackChannel().send(_row(channel=Channel.SLACK, address=server.url))

    assert error.value.response_status == status
    assert error.value.permanent is permanent


def test_a_slack_server_that_hangs_times_out(server, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    server.delay = 1.0

    with pytest.raises(DeliveryError, match="timed out"):
        channels.SlackChannel().send(_row(channel=Channel.SLACK, address=server.url))


def test_slack_to_an_internal_address_is_refused_when_the_setting_is_off(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False

    with pytest.raises(DeliveryError, match="refused") as error:
        channels.SlackChannel().send(_row(channel=Channel.SLACK, address="https://169.254.169.254/hook"))

    assert error.value.permanent is True


def test_an_email_without_an_address_is_a_permanent_delivery_error():
    with pytest.raises(DeliveryError, match="No email address") as error:
        channels.EmailChannel().send(OutboxMessage(channel=Channel.EMAIL, address="", subject="s", body="b"))

    assert error.value.permanent is True


@pytest.mark.django_db
def test_a_resend_after_a_crash_carries_the_same_message_id(settings):
    """A worker killed after the mail server accepted the message but before the row was marked sent."""
    settings.SITE_URL = "https://portal.example"
    person = UserFactory(email="pat@portal.example")
    recipient = Recipient(key=f"user:{person.pk}", email=person.email, user_id=person.pk)
    row = queue_message(
        event_key="e:1", recipient=recipient, channel=Channel.EMAIL, message=Message(subject="s", body="b")
    )
    other = queue_message(
        event_key="e:2", recipient=recipient, channel=Channel.EMAIL, message=Message(subject="s", body="b")
    )
    tasks.deliver_message(row.pk)
    tasks.deliver_message(other.pk)
    # The crash: the row is left claimed (as "sending") and the claim goes stale; the rescue sends it again.
    stale = timezone.now() - timedelta(seconds=settings.Q_CLUSTER["timeout"] * 3)
    OutboxMessage.objects.filter(pk=row.pk).update(status=OutboxMessage.Status.SENDING, claimed_at=stale)

    assert tasks.deliver_due_messages() == 1

    first, second_row, resend = mail.outbox
    assert (
        first.extra_headers["Message-ID"]
        == resend.extra_headers["Message-ID"]
        == f"<outbox.{row.stable_id}@portal.example>"
    )
    assert second_row.extra_headers["Message-ID"] != first.extra_headers["Message-ID"]
    assert "Message-ID: <outbox." in first.message().as_string()
    assert DeliveryAttempt.objects.filter(message=row).count() == 2


@pytest.mark.django_db
def test_a_failed_send_is_logged_with_the_answer_code(server):
    server.answers = [(503, {})]
    person = UserFactory(email="pat@portal.example")
    recipient = Recipient(key=f"user:{person.pk}", user_id=person.pk, addresses={Channel.SLACK: server.url})
    row = queue_message(
        event_key="e:1", recipient=recipient, channel=Channel.SLACK, message=Message(subject="s", body="b")
    )

    assert services.deliver(message_id=row.pk) is False

    attempt = DeliveryAttempt.objects.get(message=row)
    assert (attempt.succeeded, attempt.response_status) == (False, 503)
