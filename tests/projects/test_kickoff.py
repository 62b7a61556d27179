from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.customers.models import ClientInvite, Stakeholder
from apps.guarantees.models import Guarantee
from apps.notifications.models import OutboxMessage
from apps.projects import kickoff
from apps.projects.models import Environment, KickoffPhase, Project, TeamTemplate
from apps.projects.services import mark_environment
from apps.projects.tasks import run_kickoff_phase
from tests.customers.factories import StakeholderFactory
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db


def _statuses(project: Project) -> dict[str, str]:
    return dict(project.phases.values_list("key", "status"))


def _ready_all(project: Project, csm, committed) -> None:
    with committed():
        for name in Environment.Name.values:
            mark_environment(actor=csm, project=project, name=name, url=f"https://{name}.example")


@pytest.fixture
def project(company_a, csm, stakeholder_a):
    StakeholderFactory(customer=company_a, name="Nolan Nologin", email="nolan@a.example")
    return make_project(customer=company_a, actor=csm, has_ui_requirements=True, has_compliance_requirements=True)


def test_kickoff_runs_the_first_phases_in_order_and_waits_for_the_environment_checklist(project, csm, committed):
    with committed():
        kickoff.start_kickoff(actor=csm, project=project, standup_time=time(9, 45))

    project.refresh_from_db()
    assert project.status == Project.Status.KICKOFF_RUNNING
    assert _statuses(project) == {
        "project_setup": "succeeded",
        "team_assembly": "succeeded",
        "environment_provisioning": "waiting",
        "stakeholder_onboarding": "pending",
        "guarantee_activation": "pending",
        "launch": "pending",
    }
    setup, team, env = project.phases.order_by("position")[:3]
    assert setup.started_at <= setup.finished_at <= team.started_at <= team.finished_at
    assert env.finished_at is None
    assert env.summary == "Waiting for: Repository, Continuous integration, Development, Staging, Production."


def test_team_assembly_uses_the_template_the_tier_pool_and_the_conditional_roles(project, csm, committed):
    with committed():
        kickoff.start_kickoff(actor=csm, project=project, standup_time=time(9, 30))

    team = {m.title: m.allocation for m in project.team.all()}
    assert team == {
        "Requirements analyst": Decimal("1"),
        "Solution architect": Decimal("1"),
        "Developer": Decimal("3"),
        "QA engineer": Decimal("1"),
        "DevOps engineer": Decimal("1"),
        "UI/UX designer": Decimal("0.5"),
        "Security specialist": Decimal("0.5"),
    }


def test_marking_the_last_environment_ready_resumes_the_kickoff_through_launch(project, csm, stakeholder_a, committed):
    with committed():
        kickoff.start_kickoff(actor=csm, project=project, standup_time=time(9, 45))
    _ready_all(project, csm, committed)

    project.refresh_from_db()
    assert set(_statuses(project).values()) == {"succeeded"}
    assert project.phases.get(key="environment_provisioning").attempts == 1  # resumed, not retried
    assert project.status == Project.Status.ACTIVE
    assert project.kickoff_completed_at is not None
    guarantee = Guarantee.objects.get(project=project)
    assert guarantee.milestones.get(week=1).due_date == timezone.localdate() + timedelta(days=7)
    nolan = Stakeholder.objects.get(email="nolan@a.example")
    assert ClientInvite.objects.filter(stakeholder=nolan).exists()  # invited to the client view
    assert not ClientInvite.objects.filter(stakeholder=stakeholder_a).exists()  # already had a login
    launched = OutboxMessage.objects.filter(event_key=f"project:{project.pk}:launched", channel="email")
    assert launched.count() == 2
    assert "Daily stand-up at 09:45" in launched.first().body


def test_a_failed_phase_shows_its_error_and_a_retry_resumes_there_without_redoing_earlier_phases(
    company_b, csm, committed
):
    StakeholderFactory(customer=company_b, name="Not An Approver", email="na@b.example")
    project = make_project(customer=company_b, actor=csm)
    for name in Environment.Name.values:
        Environment.objects.filter(project=project, name=name).update(ready=True)
    with committed():
        kickoff.start_kickoff(actor=csm, project=project, standup_time=time(10, 0))

    project.refresh_from_db()
    phase = project.phases.get(key="stakeholder_onboarding")
    assert project.status == Project.Status.KICKOFF_FAILED
    assert phase.status == "failed"
    assert phase.error == "Globex B has no approver to sign off milestones: mark one, then retry."
    setup_finished = project.phases.get(key="project_setup").finished_at

    Stakeholder.objects.filter(customer=company_b).update(is_approver=True)
    with committed():
        kickoff.retry_kickoff(actor=csm, project=project)

    project.refresh_from_db()
    assert project.status == Project.Status.ACTIVE
    assert project.phases.get(key="project_setup").attempts == 1
    assert project.phases.get(key="project_setup").finished_at == setup_finished
    retried = project.phases.get(key="stakeholder_onboarding")
    assert (retried.status, retried.attempts, retried.error) == ("succeeded", 2, "")
    actions = list(AuditEvent.objects.for_object(project).values_list("action", flat=True))
    assert "project.kickoff_phase_failed" in actions
    assert "project.kickoff_retried" in actions


def test_a_missing_team_template_fails_team_assembly_with_what_to_do(project, csm, committed):
    TeamTemplate.objects.filter(service_type="mvp_development").delete()
    with committed():
        kickoff.start_kickoff(actor=csm, project=project, standup_time=time(9, 0))

    phase = project.phases.get(key="team_assembly")
    assert phase.status == "failed"
    assert "No team template for MVP development" in phase.error


def test_a_phase_task_delivered_twice_runs_once(project, csm, committed):
    with committed():
        kickoff.start_kickoff(actor=csm, project=project, standup_time=time(9, 0))

    assert run_kickoff_phase(project.pk, "project_setup") == "skipped"
    assert project.phases.get(key="project_setup").attempts == 1


def test_kickoff_cannot_start_twice_and_only_a_failed_kickoff_can_be_retried(project, csm, committed):
    with committed():
        kickoff.start_kickoff(actor=csm, project=project, standup_time=time(9, 0))

    with pytest.raises(ValidationError, match="already started"):
        kickoff.start_kickoff(actor=csm, project=project, standup_time=time(9, 0))
    with pytest.raises(ValidationError, match="Only a failed kickoff"):
        kickoff.retry_kickoff(actor=csm, project=project)
    assert project.phases.filter(status=KickoffPhase.Status.FAILED).count() == 0


def test_onboarding_counts_stakeholders_invited_before_the_kickoff_as_invited(company_b, csm, committed):
    from apps.customers.services import invite_stakeholder

    approver = StakeholderFactory(customer=company_b, name="Ada Approver", email="ada@b.example", is_approver=True)
    colleague = StakeholderFactory(customer=company_b, name="Cole Colleague", email="cole@b.example")
    for person in (approver, colleague):  # as the proposal's acceptance does
        invite_stakeholder(actor=csm, stakeholder=person)
    project = make_project(customer=company_b, actor=csm)
    _ready_all(project, csm, committed)
    with committed():
        kickoff.start_kickoff(actor=csm, project=project, standup_time=time(9, 0))

    summary = project.phases.get(key="stakeholder_onboarding").summary
    assert summary == "2 stakeholders: 2 invited to the client view; channel preferences confirmed."
