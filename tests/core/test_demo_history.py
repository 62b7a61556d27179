"""The demo reads as a true history: dated over the last four months, every date where its story puts it."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Max, Min
from django.utils import timezone

from apps.core.demo import HISTORY_DAYS, demo_clock
from apps.guarantees.models import Evidence, Guarantee, SignOff
from apps.leads.models import Lead
from apps.projects.models import Project


def test_the_demo_reads_as_a_true_history(seeded_demo):
    """One seeding (it takes a while) checked three ways."""
    _no_project_whose_guarantee_ran_is_still_waiting_for_its_kickoff()
    _evidence_and_sign_offs_are_dated_within_their_own_week()
    _leads_arrived_over_months_not_on_the_seeding_day()


def _no_project_whose_guarantee_ran_is_still_waiting_for_its_kickoff() -> None:
    projects = Project.objects.filter(guarantee__isnull=False).select_related("guarantee")

    assert projects.count() >= 8
    for project in projects:
        assert project.status == Project.Status.ACTIVE, project.name
        assert project.kickoff_completed_at is not None, project.name
        assert project.accepted_at.date() <= project.guarantee.starts_on <= project.kickoff_completed_at.date()
    finished = projects.exclude(guarantee__status=Guarantee.Status.ACTIVE)
    assert finished.exists()
    assert not finished.filter(status=Project.Status.KICKOFF_PENDING).exists()


def _evidence_and_sign_offs_are_dated_within_their_own_week() -> None:
    now = timezone.now()
    evidence = Evidence.objects.select_related("criterion__milestone__guarantee")
    sign_offs = SignOff.objects.select_related("milestone__guarantee")

    assert evidence.count() > 50
    assert sign_offs.count() > 10
    for item in evidence:
        milestone = item.criterion.milestone
        week_start = milestone.guarantee.starts_on + timedelta(days=7 * (milestone.week - 1))
        assert week_start <= timezone.localdate(item.created_at) < week_start + timedelta(days=7), milestone
        assert item.created_at <= now
    for sign_off in sign_offs:
        milestone = sign_off.milestone
        week_start = milestone.guarantee.starts_on + timedelta(days=7 * (milestone.week - 1))
        latest_evidence = Evidence.objects.filter(criterion__milestone=milestone).aggregate(at=Max("created_at"))["at"]
        assert latest_evidence < sign_off.decided_at <= now
        assert timezone.localdate(sign_off.decided_at) < week_start + timedelta(days=7)


def _leads_arrived_over_months_not_on_the_seeding_day() -> None:
    dates = Lead.objects.filter(source=Lead.Source.DEMO).aggregate(first=Min("created_at"), last=Max("created_at"))

    assert dates["last"] - dates["first"] > timedelta(days=60)
    assert dates["first"] >= timezone.now() - timedelta(days=HISTORY_DAYS)
    assert dates["last"] <= timezone.now()
    assert Lead.objects.values("created_at__date").distinct().count() > 30


def test_the_demo_clock_stamps_the_past_and_always_gives_time_back():
    moment = timezone.now() - timedelta(days=40)

    with demo_clock(moment):
        first, second = timezone.now(), timezone.now()

    assert first == moment
    assert second > first
    assert timezone.now() - moment > timedelta(days=39)
