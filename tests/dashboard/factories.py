"""Rows the KPIs and the work list count, made straight into the tables with chosen dates (a KPI reads history)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from unittest import mock

from django.utils import timezone

from apps.guarantees.models import Guarantee, Milestone
from apps.leads.models import Lead
from apps.leads.services import score_lead
from apps.outcomes.models import Claim, FinalValidation
from apps.projects.models import Project
from apps.tiers.models import Tier
from tests.leads.factories import LeadFactory


def project(customer: Any, *, name: str = "", service_type: str = "mvp_development", **fields: Any) -> Project:
    tier = Tier.objects.filter(service_type=service_type).order_by("pk").first()
    values = {
        "customer": customer,
        "name": name or f"{customer.name} build",
        "service_type": service_type,
        "tier": tier,
        "tier_slug": tier.slug,
        "tier_name": tier.name,
        "developer_agents": 3,
        "price": Decimal(100000),
        "timeline_weeks": 6,
        "guarantee_amount": Decimal(100000),
        "guarantee_threshold": Decimal(80),
        "accepted_at": timezone.now(),
    }
    values.update(fields)
    return Project.objects.create(**values)


def guarantee(customer: Any, *, status: str = "active", starts_on: dt.date | None = None, **project_fields: Any):
    row = project(customer, **project_fields)
    starts_on = starts_on or timezone.localdate()
    now = timezone.now()
    return Guarantee.objects.create(
        project=row,
        service_type=row.service_type,
        template_name="test",
        amount=row.guarantee_amount,
        threshold=Decimal(80),
        status=status,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=30),
        activated_at=now,
        status_changed_at=now,
    )


def milestone(guarantee_row: Guarantee, *, week: int, due: dt.date, **fields: Any) -> Milestone:
    values = {"title": f"Week {week}", "pass_threshold": Decimal(80), "escalation_threshold": Decimal(65)}
    values.update(fields)
    return Milestone.objects.create(guarantee=guarantee_row, week=week, due_date=due, **values)


def validation(guarantee_row: Guarantee, *, outcome: str, days_ago: int, case_study: bool = False, round: int = 1):
    """A final validation computed `days_ago` (its rows are append-only, so the clock is set while it is written)."""
    when = timezone.now() - dt.timedelta(days=days_ago)
    with mock.patch("django.utils.timezone.now", return_value=when):
        return FinalValidation.objects.create(
            guarantee=guarantee_row,
            round=round,
            trigger="end_date",
            score=Decimal(96 if outcome == "succeeded" else 50),
            threshold=Decimal(80),
            outcome=outcome,
            criteria=[],
            achievements=[],
            case_study_candidate=case_study,
            reason="test",
            config_version=1,
            config={},
            inputs_hash="0" * 64,
        )


def claim(validation_row: FinalValidation, *, opened_by: Any) -> Claim:
    return Claim.objects.create(
        guarantee=validation_row.guarantee,
        validation=validation_row,
        remedy="refund",
        amount=Decimal(1000),
        opened_by=opened_by,
        opened_via="staff",
        status_changed_at=timezone.now(),
    )


def decided_lead(*, status: str, days_ago: int, owner: Any, scored: bool = True, **fields: Any) -> Lead:
    """A lead won or lost `days_ago`, scored with the seeded configuration first (as every real lead is)."""
    if status == "lost":
        fields.setdefault("lost_reason", "Chose another vendor")
    lead = LeadFactory(owner=owner, **fields)
    if scored:
        score_lead(lead_id=lead.pk)
    Lead.objects.filter(pk=lead.pk).update(status=status, updated_at=timezone.now() - dt.timedelta(days=days_ago))
    lead.refresh_from_db()
    return lead


def opportunity(customer: Any, *, value: str, days_ago: int = 0, key: str = "scaling_services", stage: str = "won"):
    """An expansion opportunity; won ones are signed for `value` `days_ago`."""
    from apps.retention.models import ExpansionType, Opportunity

    now, won = timezone.now(), stage == "won"
    return Opportunity.objects.create(
        customer=customer,
        type=ExpansionType.objects.get(key=key),
        stage=stage,
        source="health",
        owner=customer.owner,
        triggers_met=["team_growth", "platform_usage_70"],
        triggers_total=3,
        probability=Decimal("0.400"),
        value=Decimal(value),
        won_value=Decimal(value) if won else None,
        won_on=timezone.localdate() - dt.timedelta(days=days_ago) if won else None,
        identified_at=now - dt.timedelta(days=days_ago + 20),
        stage_changed_at=now,
        closed_at=now if won else None,
    )
