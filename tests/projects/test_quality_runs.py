"""Quality-gate runs through the service: process measures from the portal's data, the evidence in the guarantee,
the stored parts and settings version, and the escalation notices."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.guarantees.activation import activate_guarantee
from apps.guarantees.models import Evidence, Milestone, MilestoneAction
from apps.guarantees.signoff import record_signoff, submit_for_sign_off
from apps.guarantees.validation import digest_of
from apps.notifications.models import OutboxMessage
from apps.projects.models_quality import QualityGate, QualityGateRun, QualityGateSettings
from apps.projects.services_quality import escalation_recipients, run_quality_gates
from tests.guarantees.factories import give_evidence, make_guarantee, week
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db

CODE_PASSING = {
    "coverage_percent": 97,
    "cyclomatic_complexity": 6,
    "maintainability": 9.1,
    "high_critical_vulnerabilities": 0,
    "performance_p95_score": 98,
}


def _run(project, metrics=None, source="api", actor=None):
    return run_quality_gates(actor=actor, project=project, metrics=metrics or {}, source=source, actor_label="CI")


def test_a_run_is_the_evidence_of_the_open_weeks_quality_checks_with_a_link_to_the_run(company_a, csm, committed):
    guarantee = make_guarantee(customer=company_a, actor=csm)
    metrics = {**CODE_PASSING, "coverage_percent": 90}  # 4 of 5 code gates pass; nothing due yet in the process

    with committed():
        run = _run(guarantee.project, metrics)

    evidence = Evidence.objects.get(criterion__milestone__guarantee=guarantee)
    assert evidence.criterion.key == "quality-gates"
    assert evidence.criterion.milestone.week == 3
    assert evidence.data == {"gates_passed": 4, "gates_total": 5}
    assert evidence.score == Decimal("80.0")
    assert evidence.source == Evidence.Source.API
    assert f"/projects/{guarantee.project_id}/quality-gate-runs/{run.pk}/" in evidence.note
    assert list(run.evidence.all()) == [evidence]
    assert week(guarantee, 3).criteria.get(key="quality-gates").latest_evidence == evidence


def test_each_run_adds_a_new_evidence_version(company_a, csm, committed):
    guarantee = make_guarantee(customer=company_a, actor=csm)
    with committed():
        _run(guarantee.project, {"coverage_percent": 50})
        second = _run(guarantee.project, {"coverage_percent": 99})

    versions = Evidence.objects.filter(criterion__milestone__guarantee=guarantee).order_by("version")
    assert [(e.version, e.score) for e in versions] == [(1, Decimal("0.0")), (2, Decimal("100.0"))]
    assert second.evidence.get().version == 2


def test_a_week_awaiting_sign_off_keeps_its_evidence(company_a, csm, stakeholder_a, committed):
    guarantee = make_guarantee(customer=company_a, actor=csm)
    week3 = week(guarantee, 3)
    with committed():
        give_evidence(week3, 100)
    week3.refresh_from_db()
    submit_for_sign_off(actor=csm, milestone=week3)

    run = _run(guarantee.project, CODE_PASSING)

    assert run.evidence.count() == 0
    assert Evidence.objects.filter(criterion__milestone=week3, criterion__key="quality-gates").count() == 1


def test_a_project_without_a_guarantee_records_a_run_without_evidence(company_a, csm):
    project = make_project(customer=company_a, actor=csm)

    run = _run(project, CODE_PASSING)

    assert (run.gates_passed, run.gates_checked) == (5, 5)
    assert run.evidence.count() == 0


def test_the_run_stores_every_part_and_the_settings_version(company_a, csm):
    project = make_project(customer=company_a, actor=csm)
    settings_row = QualityGateSettings.load()
    settings_row.version = 4
    settings_row.save(update_fields=["version"])
    QualityGate.objects.filter(key="coverage_percent").update(threshold=Decimal("98"))

    run = _run(project, {"coverage_percent": 97, "documentation": 95})

    assert run.config_version == 4
    assert run.config["gates"][0] == {"key": "coverage_percent", "threshold": "98.00", "direction": "at_least"}
    assert run.metrics == {"coverage_percent": "97", "documentation": "95"}
    code = run.families["code"]
    assert code["gates"][0] == {
        "key": "coverage_percent",
        "value": "97",
        "threshold": "98.00",
        "direction": "at_least",
        "passed": False,
    }
    assert (code["score"], code["weight"], code["share"]) == ("0.0", "0.400", "0.5714")
    assert run.comprehensive == Decimal("42.9")  # (0.4 x 0 + 0.3 x 100) / 0.7
    assert run.recommendations[0]["gate"] == "coverage_percent"
    assert run.process["satisfaction"]["explanation"] == "No satisfaction survey result yet."
    event = AuditEvent.objects.for_object(run).get(action="quality_gate_run.recorded")
    assert event.data["config_version"] == 4


def _sign_off(milestone, csm, customer_user, committed, pct=100):
    with committed():
        give_evidence(milestone, pct)
    milestone.refresh_from_db()
    submit_for_sign_off(actor=csm, milestone=milestone)
    milestone.refresh_from_db()
    record_signoff(
        user=customer_user,
        milestone_id=milestone.pk,
        decision="approved",
        reason="",
        digest_seen=digest_of(milestone),
        ip=None,
        user_agent="pytest",
    )  # noqa


def test_process_gates_are_measured_from_weeks_sign_offs_escalations_and_surveys(
    company_a, csm, stakeholder_a, customer_a, committed
):
    today = timezone.localdate()
    project = make_project(customer=company_a, actor=csm)
    guarantee = activate_guarantee(actor=csm, project=project, starts_on=today - timedelta(days=16))
    week1, week2 = week(guarantee, 1), week(guarantee, 2)  # due 9 and 2 days ago
    _sign_off(week1, csm, customer_a, committed)
    # Week 1 was signed off on its due date (on time); week 2 is past due and not signed off.
    Milestone.objects.filter(pk=week1.pk).update(closed_at=timezone.now() - timedelta(days=9))
    with committed():
        give_evidence(week2, 10)  # fails: an escalation is opened, due in 2 days
    escalations = MilestoneAction.objects.filter(milestone=week2, kind=MilestoneAction.Kind.ESCALATION)
    assert escalations.exists()
    for action in escalations:
        MilestoneAction.objects.filter(pk=action.pk).update(
            status="done", done_at=action.created_at + timedelta(hours=30)
        )

    run = _run(project, {})

    process = run.process
    assert process["milestone_adherence"]["value"] == "50.0"
    assert process["milestone_adherence"]["records"][0].endswith("(on time)")
    assert process["responsiveness"]["value"] == "100.0"  # the sign-off and the escalation, both in time
    assert process["responsiveness"]["denominator"] == 2
    assert process["escalation_resolution_hours"]["value"] == "30.0"
    assert process["satisfaction"]["value"] is None
    gates = {g["key"]: g["passed"] for g in run.families["process"]["gates"]}
    assert gates == {
        "milestone_adherence": False,
        "responsiveness": True,
        "escalation_resolution_hours": False,
        "satisfaction": None,
    }
    assert run.families["process"]["score"] == "33.3"
    assert run.families["code"]["score"] is None


def test_satisfaction_comes_from_the_projects_satisfaction_survey_evidence(company_a, csm, committed):
    guarantee = make_guarantee(customer=company_a, actor=csm)
    with committed():
        give_evidence(week(guarantee, 4), 70)  # the survey scored 7.0/10

    run = _run(guarantee.project, {})

    assert run.process["satisfaction"]["value"] == "7.0"
    # Each invited stakeholder's answer is a new evidence version; the latest one carries the mean.
    survey = week(guarantee, 4).criteria.get(method="satisfaction_survey").latest_evidence
    assert run.process["satisfaction"]["records"] == [f"Week 4: Customer satisfaction survey (v{survey.version}): 7/10"]
    assert run.families["process"]["gates"][3]["passed"] is False


def test_an_escalating_run_notifies_the_csm_and_the_admins_once(company_a, csm, admin_user, committed):
    project = make_project(customer=company_a, actor=csm)

    with committed():
        run = _run(project, {"coverage_percent": 10, "maintainability": 1, "documentation": 10})

    assert run.escalate is True
    messages = OutboxMessage.objects.filter(event_key=f"quality_gate_run:{run.pk}:escalated", channel="email")
    assert {m.recipient_key for m in messages} == {f"user:{csm.pk}", f"user:{admin_user.pk}"}
    assert all(m.priority for m in messages)
    assert "quality gates need attention" in messages.first().subject


def test_a_passing_run_notifies_nobody(company_a, csm, admin_user):
    run = _run(make_project(customer=company_a, actor=csm), CODE_PASSING)

    assert run.escalate is False
    assert not OutboxMessage.objects.filter(event_key__startswith="quality_gate_run:").exists()


def test_the_csms_team_lead_is_told_instead_of_the_admins_when_one_is_set(company_a, csm, admin_user):
    from tests.customers.factories import UserFactory

    lead = UserFactory(email="lead@portal.example")
    project = make_project(customer=company_a, actor=csm)
    project.customer.owner.team_lead = lead  # the field another change adds to User

    assert escalation_recipients(project) == [csm, lead]


def test_runs_are_listed_newest_first(company_a, csm):
    project = make_project(customer=company_a, actor=csm)
    first, second = _run(project, CODE_PASSING), _run(project, {})

    assert list(QualityGateRun.objects.filter(project=project)) == [second, first]
