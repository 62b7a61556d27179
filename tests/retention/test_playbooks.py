"""Playbook runs through the services: seeded defaults, starting a run, the automatic critical intervention (once),
closing tasks and runs, and outcomes recorded 30 days after the close (once)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.notifications.models import Notification
from apps.retention import services
from apps.retention.health import compute_health
from apps.retention.models import HealthSnapshot, Playbook, PlaybookRun, Task
from apps.retention.playbooks import record_due_outcomes, start_playbook
from apps.retention.selectors import playbook_stats
from tests.customers.factories import CustomerFactory, UserFactory
from tests.retention.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def _critical(customer):
    """A review with nothing achieved: health far under 45, so the strategy is critical intervention."""
    ReviewFactory(customer=customer, sentiment=1, roi_achieved=0, business_impact=0, goals_met=0)


def _healthy(customer):
    ReviewFactory(customer=customer, sentiment=10, roi_achieved=100, business_impact=100, goals_met=100)


def test_the_seeded_playbooks_are_domains_defaults():
    days = {p.strategy: [(a.title, a.due_in_days) for a in p.actions.all()] for p in Playbook.objects.all()}
    assert days["critical_intervention"] == [
        ("Executive call", 2),
        ("Written recovery plan", 5),
        ("Twice-weekly check-ins for 2 weeks", 14),
    ]
    assert [d for _, d in days["at_risk_recovery"]] == [3, 7, 14]
    assert [d for _, d in days["improvement"]] == [14, 21]
    assert [d for _, d in days["expansion"]] == [7, 14]
    assert [d for _, d in days["nurture"]] == [30, 30]


def test_starting_a_playbook_gives_each_action_a_task_with_an_owner_and_a_due_date(csm, company_a):
    lead = UserFactory(full_name="Lee Lead")
    csm.team_lead = lead
    csm.save()
    _critical(company_a)
    compute_health([company_a.pk])  # starts critical intervention itself; start another by hand
    playbook = Playbook.objects.get(strategy="at_risk_recovery")
    run = start_playbook(actor=csm, customer=company_a, playbook=playbook)
    today = timezone.localdate()
    tasks = list(run.tasks.order_by("due_on"))
    assert [(t.title, t.owner, t.due_on) for t in tasks] == [
        ("Health review call", csm, today + timedelta(days=3)),
        ("Fix the weakest component's top issue", csm, today + timedelta(days=7)),
        ("Follow-up survey", csm, today + timedelta(days=14)),
    ]
    assert run.trigger == PlaybookRun.Trigger.MANUAL
    assert run.health_at_start == company_a.health.score
    assert run.strategy_at_start == "critical_intervention"
    event = AuditEvent.objects.get(action="playbook.started", object_id=str(run.pk))
    assert event.actor == csm
    assert len(event.data["tasks"]) == 3


def test_a_team_lead_action_goes_to_the_csm_when_they_have_no_team_lead(csm, company_a):
    run = start_playbook(actor=csm, customer=company_a, playbook=Playbook.objects.get(strategy="critical_intervention"))
    assert run.tasks.get(title="Executive call").owner == csm
    assert run.health_at_start is None  # no health computed yet: kept as missing, never invented


def test_the_same_playbook_cannot_run_twice_at_once_and_nothing_is_written(csm, company_a):
    playbook = Playbook.objects.get(strategy="nurture")
    start_playbook(actor=csm, customer=company_a, playbook=playbook)
    with pytest.raises(ValidationError, match="already running"):
        start_playbook(actor=csm, customer=company_a, playbook=playbook)
    assert PlaybookRun.objects.count() == 1
    assert Task.objects.count() == 2


def test_entering_critical_intervention_starts_its_playbook_once_and_notifies_csm_and_team_lead(
    csm, company_a, django_capture_on_commit_callbacks
):
    lead = UserFactory(full_name="Lee Lead")
    csm.team_lead = lead
    csm.save()
    _critical(company_a)
    with django_capture_on_commit_callbacks(execute=True):
        compute_health([company_a.pk])
        compute_health([company_a.pk])  # still critical: not entered again, nothing new
    run = PlaybookRun.objects.get(customer=company_a)
    assert run.playbook.strategy == "critical_intervention"
    assert run.trigger == PlaybookRun.Trigger.AUTOMATIC
    assert run.started_by is None
    assert run.tasks.get(title="Executive call").owner == lead
    assert run.tasks.get(title="Written recovery plan").owner == csm
    titles = {n.user_id: n.title for n in Notification.objects.filter(title__contains="critical intervention")}
    assert titles == {
        csm.pk: f"Acme A needs a critical intervention (health {run.health_at_start})",
        lead.pk: f"Acme A needs a critical intervention (health {run.health_at_start})",
    }
    assert AuditEvent.objects.filter(action="playbook.started").count() == 1


def test_a_healthy_customer_starts_nothing(company_a):
    _healthy(company_a)
    compute_health([company_a.pk])
    assert not PlaybookRun.objects.exists()


def test_a_customer_still_critical_after_the_run_closed_gets_no_second_run_until_they_enter_again(csm, company_a):
    _critical(company_a)
    compute_health([company_a.pk])
    run = PlaybookRun.objects.get()
    for task in run.tasks.all():
        services.close_task(actor=csm, task=task, status=Task.Status.DONE)
    compute_health([company_a.pk])
    assert PlaybookRun.objects.count() == 1
    _healthy(company_a)  # the latest review wins: out of critical
    compute_health([company_a.pk])
    _critical(company_a)
    compute_health([company_a.pk])
    assert PlaybookRun.objects.filter(status=PlaybookRun.Status.OPEN).count() == 1
    assert PlaybookRun.objects.count() == 2


def test_a_run_closes_when_its_tasks_are_done_or_dropped_with_a_note(csm, company_a):
    run = start_playbook(actor=csm, customer=company_a, playbook=Playbook.objects.get(strategy="improvement"))
    review, training = run.tasks.order_by("due_on")
    with pytest.raises(ValidationError, match="Say why"):
        services.close_task(actor=csm, task=training, status=Task.Status.DROPPED)
    services.close_task(actor=csm, task=review, status=Task.Status.DONE)
    run.refresh_from_db()
    assert run.status == PlaybookRun.Status.OPEN
    services.close_task(actor=csm, task=training, status=Task.Status.DROPPED, note="They have their own academy.")
    run.refresh_from_db()
    assert run.status == PlaybookRun.Status.CLOSED
    assert run.closed_at is not None
    training.refresh_from_db()
    assert (training.status, training.close_note, training.closed_by) == (
        "dropped",
        "They have their own academy.",
        csm,
    )
    closed = AuditEvent.objects.get(action="playbook.closed")
    assert closed.data == {"done": 1, "dropped": 1}
    assert AuditEvent.objects.filter(action="playbook.task_closed").count() == 2


def _closed_run(csm, customer, *, start, closed_days_ago):
    run = start_playbook(actor=csm, customer=customer, playbook=Playbook.objects.get(strategy="at_risk_recovery"))
    run.tasks.update(status=Task.Status.DONE, closed_at=timezone.now())
    closed_at = timezone.now() - timedelta(days=closed_days_ago)
    PlaybookRun.objects.filter(pk=run.pk).update(
        status=PlaybookRun.Status.CLOSED, closed_at=closed_at, health_at_start=Decimal(start), band_at_start="at_risk"
    )
    return run


def _snapshot(customer, days_ago, score, band):
    day = timezone.localdate() - timedelta(days=days_ago)
    HealthSnapshot.objects.update_or_create(customer=customer, day=day, defaults={"score": score, "band": band})


def test_the_outcome_is_recorded_thirty_days_after_the_close_once(csm, company_a):
    run = _closed_run(csm, company_a, start="50.0", closed_days_ago=30)
    _snapshot(company_a, 0, Decimal("55.0"), "at_risk")
    assert record_due_outcomes() == 1
    assert record_due_outcomes() == 0  # a second run of the schedule changes nothing
    run.refresh_from_db()
    assert (run.health_at_outcome, run.health_delta, run.worked) == (Decimal("55.0"), Decimal("5.0"), True)
    assert AuditEvent.objects.filter(action="playbook.outcome_recorded").count() == 1


def test_no_outcome_before_thirty_days_have_passed(csm, company_a):
    run = _closed_run(csm, company_a, start="50.0", closed_days_ago=29)
    _snapshot(company_a, 0, Decimal("70.0"), "fair")
    assert record_due_outcomes() == 0
    run.refresh_from_db()
    assert run.outcome_recorded_at is None


def test_the_outcome_reads_the_health_of_the_thirtieth_day_even_when_recorded_later(csm, company_a):
    run = _closed_run(csm, company_a, start="50.0", closed_days_ago=35)
    _snapshot(company_a, 5, Decimal("52.0"), "at_risk")  # the 30th day after the close
    _snapshot(company_a, 0, Decimal("80.0"), "good")  # later news does not count
    record_due_outcomes()
    run.refresh_from_db()
    assert (run.health_delta, run.worked) == (Decimal("2.0"), False)


def test_success_rate_is_worked_over_closed_runs_with_an_outcome(csm):
    worked, failed, pending = (CustomerFactory(owner=csm) for _ in range(3))
    for customer, end in ((worked, "60.0"), (failed, "51.0")):
        _closed_run(csm, customer, start="50.0", closed_days_ago=30)
        _snapshot(customer, 0, Decimal(end), "fair" if end == "60.0" else "at_risk")
    _closed_run(csm, pending, start="50.0", closed_days_ago=3)
    record_due_outcomes()
    stats = playbook_stats()[Playbook.objects.get(strategy="at_risk_recovery").pk]
    assert (stats.closed, stats.with_outcome, stats.worked, stats.success_rate) == (3, 2, 1, Decimal("50.0"))


def test_a_replay_of_past_days_starts_no_playbook(company_a):
    from apps.retention.config import load_config
    from apps.retention.health import compute_batch

    _critical(company_a)
    now = timezone.now()
    compute_batch([company_a.pk], config=load_config(), today=timezone.localdate(now), now=now, start_playbooks=False)
    assert not PlaybookRun.objects.exists()
