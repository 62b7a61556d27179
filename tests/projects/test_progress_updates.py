"""Progress updates: posted by a CSM or by API, each stakeholder's version on their channels, the client view."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.api.services import create_api_key
from apps.notifications.models import Notification, OutboxMessage
from apps.projects.models import ProgressSettings, ProgressUpdate
from apps.projects.services_progress import post_progress_update
from tests.customers.factories import StakeholderFactory
from tests.notifications.receiver import running_receiver
from tests.pages import assert_api_refused
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db

UPDATE = {
    "percent_complete": "40",
    "achievements": ["Login with SSO", "Invoice export"],
    "blockers": ["Waiting for the payment sandbox"],
    "upcoming": ["Week 3 demo"],
    "risk_level": "high",
}


@pytest.fixture
def project(company_a):
    # Day 21 of 42: 50% expected.
    return make_project(customer=company_a, name="Acme platform", accepted_at=timezone.now() - timedelta(days=21))


@pytest.fixture
def people(company_a, stakeholder_a):
    tech = StakeholderFactory(
        customer=company_a, name="Tess Tech", email="tess@a.example", role="technical_lead", with_login=True
    )
    owner = StakeholderFactory(customer=company_a, name="Pat Product", email="pat@a.example", role="product_owner")
    other = StakeholderFactory(customer=company_a, name="Olly Other", email="olly@a.example", channels=["email"])
    return {"executive": stakeholder_a, "tech": tech, "owner": owner, "other": other}


def _post(committed, project, **overrides):
    data = {**UPDATE, **overrides}
    with committed():
        return post_progress_update(
            actor=project.customer.owner,
            project=project,
            percent_complete=Decimal(data["percent_complete"]),
            achievements=data["achievements"],
            blockers=data["blockers"],
            upcoming=data["upcoming"],
            risk_level=data["risk_level"],
        )


def _email_to(address: str):
    return next(m for m in mail.outbox if m.to == [address])


def test_an_update_stores_expected_progress_status_and_the_thresholds_it_used(committed, project, people):
    update = _post(committed, project)

    assert (update.elapsed_days, update.planned_days, update.expected_percent) == (21, 42, Decimal("50.0"))
    assert (update.difference, update.schedule_status) == (Decimal("-10.0"), "at_risk")
    assert update.priority is True
    assert update.thresholds["ahead_min"] == "10.0"
    assert update.thresholds["version"] == 1


def test_each_role_receives_its_own_version_by_email(committed, project, people):
    _post(committed, project)

    executive = _email_to("alice@a.example")
    assert "Budget: $120,000" in executive.body
    assert "Login with SSO" in executive.body
    assert "Week 3 demo" in executive.body
    assert "Waiting for the payment sandbox" not in executive.body
    assert executive.subject == "[Priority] Acme platform: 40% complete, at risk"
    tech = _email_to("tess@a.example")
    assert "Waiting for the payment sandbox" in tech.body
    assert "Continuous integration: not ready" in tech.body
    assert "Budget" not in tech.body
    owner = _email_to("pat@a.example")
    assert "Features delivered:" in owner.body
    assert "Invoice export" in owner.body
    other = _email_to("olly@a.example")
    assert "40.0% complete against 50.0% expected (-10.0 points)." in other.body
    assert "Login with SSO" not in other.body
    assert "text/html" in [mime for _, mime in executive.alternatives]


def test_stakeholders_receive_it_on_each_channel_they_chose_once(committed, project, people):
    update = _post(committed, project)

    rows = OutboxMessage.objects.filter(event_key=f"progress_update:{update.pk}")
    channels = sorted((r.recipient_key, r.channel) for r in rows)
    assert channels == sorted(
        [
            (f"stakeholder:{people['executive'].pk}", "email"),
            (f"stakeholder:{people['executive'].pk}", "in_app"),
            (f"stakeholder:{people['tech'].pk}", "email"),
            (f"stakeholder:{people['tech'].pk}", "in_app"),
            (f"stakeholder:{people['owner'].pk}", "email"),
            (f"stakeholder:{people['other'].pk}", "email"),
        ]
    )
    bell = Notification.objects.get(user=people["tech"].user)
    assert bell.priority is True
    assert bell.body.startswith("At risk. 1 blocker: Waiting for the payment sandbox")


def test_a_low_risk_update_is_not_priority(committed, project, people):
    update = _post(committed, project, risk_level="low", percent_complete="61")

    assert (update.priority, update.schedule_status) == (False, "ahead")
    assert not _email_to("alice@a.example").subject.startswith("[Priority]")


def test_edited_thresholds_change_the_status_of_the_next_update(committed, project, people):
    ProgressSettings.objects.filter(pk=1).update(at_risk_min=Decimal("-8"), version=2)

    update = _post(committed, project)

    assert update.schedule_status == "behind"
    assert update.thresholds["version"] == 2


def test_a_csm_posts_an_update_from_the_project_page(csm_client, project, people):
    data = {
        "percent_complete": "55",
        "achievements": "SSO\n\nExport\n",
        "blockers": "",
        "upcoming": "Demo",
        "risk_level": "medium",
    }

    response = csm_client.post(reverse("projects:progress_update_create", args=[project.pk]), data, follow=True)

    update = ProgressUpdate.objects.get(project=project)
    assert (update.achievements, update.blockers, update.upcoming) == (["SSO", "Export"], [], ["Demo"])
    assert update.source == "casey@portal.example"
    assert "Progress update posted: on track." in response.content.decode()
    page = " ".join(response.content.decode().split())
    assert "<strong>55%</strong> (expected 50%)" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("percent_complete", "101", "less than or equal to 100"),
        ("percent_complete", "", "required"),
        ("blockers", "a\x00b", "not allowed"),
        ("achievements", "x" * 301, "at most 300"),
        ("upcoming", "\n".join(f"m{i}" for i in range(21)), "At most 20 lines"),
        ("risk_level", "extreme", "valid choice"),
    ],
)
def test_a_bad_form_re_renders_with_the_field_error(csm_client, project, field, value, message):
    data = {**UPDATE, "achievements": "", "blockers": "", "upcoming": "", field: value}

    response = csm_client.post(reverse("projects:progress_update_create", args=[project.pk]), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_a_delivery_tool_posts_an_update_by_api(client, project, people):
    _, raw = create_api_key(name="Jira bridge")

    response = client.post(
        f"/api/v1/projects/{project.pk}/progress-updates",
        UPDATE,
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )

    assert response.status_code == 201
    body = response.json()
    update = ProgressUpdate.objects.get()
    assert body["id"] == update.pk
    assert (body["expected_percent"], body["schedule_status"], body["priority"]) == (50.0, "at_risk", True)
    # Queued in the outbox: the worker sends them after the answer.
    assert {"stakeholder_id": people["other"].pk, "channel": "email", "status": "pending"} in body["deliveries"]
    assert {"stakeholder_id": people["tech"].pk, "channel": "in_app", "status": "pending"} in body["deliveries"]
    # Pat chose in-app but has no client login yet: nothing to deliver there, and the answer says so.
    assert {"stakeholder_id": people["owner"].pk, "channel": "in_app", "status": "skipped"} in body["deliveries"]
    assert update.source == "API key Jira bridge"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**UPDATE, "percent_complete": 100.5}, "percent_complete"),
        ({**UPDATE, "risk_level": "extreme"}, "risk_level"),
        ({**UPDATE, "blockers": ["a\x00b"]}, "blockers.0"),
        ({**UPDATE, "upcoming": ["x"] * 21}, "upcoming"),
        ({**UPDATE, "mood": "great"}, "mood"),
        ({k: v for k, v in UPDATE.items() if k != "risk_level"}, "risk_level"),
    ],
)
def test_bad_api_input_answers_422_naming_the_field(client, project, payload, field):
    _, raw = create_api_key(name="Jira bridge")

    response = client.post(
        f"/api/v1/projects/{project.pk}/progress-updates",
        payload,
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )

    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not ProgressUpdate.objects.exists()


def test_the_api_answers_404_for_an_unknown_project(client):
    _, raw = create_api_key(name="Jira bridge")

    response = client.post(
        "/api/v1/projects/999999/progress-updates",
        UPDATE,
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )

    assert_api_refused(response, 404, "Not Found")
    assert not ProgressUpdate.objects.exists()


def test_the_client_view_shows_each_viewer_the_version_for_their_role(client, committed, project, people):
    _post(committed, project)
    url = reverse("client_projects:detail", args=[project.pk])

    client.force_login(people["executive"].user)
    executive_page = client.get(url).content.decode()
    client.force_login(people["tech"].user)
    tech_page = client.get(url).content.decode()

    assert "Executive brief" in executive_page
    assert "Budget: $120,000" in executive_page
    assert "Waiting for the payment sandbox" not in executive_page
    assert "Technical lead view" in tech_page
    assert "Waiting for the payment sandbox" in tech_page
    assert "Budget" not in tech_page


def test_another_company_cannot_see_the_projects_updates(client, committed, project, customer_b):
    client.force_login(customer_b)

    assert client.get(reverse("client_projects:detail", args=[project.pk])).status_code == 404
    assert "Acme platform" not in client.get(reverse("client_projects:list")).content.decode()


def test_the_client_list_shows_the_latest_status(client, committed, project, people, django_assert_max_num_queries):
    _post(committed, project)
    client.force_login(people["executive"].user)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("client_projects:list")).content.decode()

    assert "Acme platform" in page
    assert "At risk" in page


def test_chat_channels_get_the_roles_version_as_block_kit_and_an_adaptive_card(committed, project, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    with running_receiver("/slack") as slack, running_receiver("/teams") as teams:
        StakeholderFactory(
            customer=project.customer,
            role="technical_lead",
            channels=["slack", "teams"],
            slack_webhook_url=slack.url,
            teams_webhook_url=teams.url,
        )
        _post(committed, project)

    blocks = json.loads(slack.requests[0].body)["blocks"]
    assert blocks[0]["text"]["text"] == "[Priority] Acme platform: 40% complete, at risk"
    slack_text = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "*Blockers*\n• Waiting for the payment sandbox" in slack_text
    card = json.loads(teams.requests[0].body)["attachments"][0]["content"]
    teams_text = "\n".join(block["text"] for block in card["body"])
    assert "**Blockers**\n- Waiting for the payment sandbox" in teams_text
    assert "Budget" not in slack_text + teams_text


def test_the_technical_leads_version_shows_the_latest_quality_gate_run(client, committed, project, people):
    from apps.projects.services_quality import run_quality_gates

    run_quality_gates(
        actor=project.customer.owner,
        project=project,
        metrics={"coverage_percent": 96, "cyclomatic_complexity": 12},
        source="staff",
    )
    _post(committed, project)
    client.force_login(people["tech"].user)
    page = client.get(reverse("client_projects:detail", args=[project.pk])).content.decode()
    assert "No quality gate run yet" not in page
    assert "Comprehensive score" in page
    assert "Comprehensive score: 50.0" in page
    assert "Test coverage: 96 (threshold 95.00) passed" in page
    assert "Cyclomatic complexity: 12 (threshold 10.00) failed" in page
