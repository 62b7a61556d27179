"""Writes for projects: creating one from an accepted proposal, and the environment checklist.

The kickoff runner lives in `kickoff.py`; its phases in `phases.py`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.audit.services import record_event
from apps.projects.models import Environment, KickoffPhase, Project


@transaction.atomic
def create_project(
    *,
    actor: Any,
    customer: Any,
    name: str,
    service_type: str,
    tier: Any,
    price: Decimal,
    timeline_weeks: int,
    guarantee_amount: Decimal,
    guarantee_threshold: Decimal,
    has_ui_requirements: bool,
    has_compliance_requirements: bool,
    lead: Any = None,
    proposal: Any = None,
    accepted_at: datetime,
) -> Project:
    """Create a project in "kickoff pending" from an accepted proposal.

    `tier` is the `tiers.Tier` row; its slug, name and developer agents are also copied, so a later tier edit never
    changes this project. `lead` and `proposal` are optional rows (or ids); one project per proposal.
    """
    project = Project(
        customer=customer,
        name=name,
        service_type=service_type,
        tier=tier,
        tier_slug=tier.slug,
        tier_name=tier.name,
        developer_agents=tier.developer_agents,
        price=price,
        timeline_weeks=timeline_weeks,
        guarantee_amount=guarantee_amount,
        guarantee_threshold=guarantee_threshold,
        has_ui_requirements=has_ui_requirements,
        has_compliance_requirements=has_compliance_requirements,
        source_lead_id=_id_of(lead),
        source_proposal_id=_id_of(proposal),
        accepted_at=accepted_at,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    project.full_clean()
    project.save()
    KickoffPhase.objects.bulk_create(
        KickoffPhase(project=project, key=key, position=i) for i, key in enumerate(KickoffPhase.Key.values, 1)
    )
    Environment.objects.bulk_create(
        Environment(project=project, name=env, position=i) for i, env in enumerate(Environment.Name.values, 1)
    )
    record_event(
        action="project.created",
        obj=project,
        actor=actor,
        customer_id=customer.pk,
        data={
            "service_type": service_type,
            "tier": tier.slug,
            "price": price,
            "guarantee_amount": guarantee_amount,
            "guarantee_threshold": guarantee_threshold,
            "proposal_id": project.source_proposal_id,
        },
    )
    return project


def _id_of(obj: Any) -> int | None:
    if obj is None:
        return None
    return obj if isinstance(obj, int) else obj.pk


@transaction.atomic
def mark_environment(
    *, actor: Any, project: Project, name: str, ready: bool = True, url: str = "", note: str = "", by: str = ""
) -> Environment:
    """Mark one checklist environment ready (or not). `by` names an API key when no person acted.

    When the last environment becomes ready while the kickoff waits for the checklist, the kickoff resumes.
    """
    environment = Environment.objects.select_for_update().get(project=project, name=name)
    environment.ready = ready
    environment.url = url or environment.url
    environment.note = note or environment.note
    environment.ready_at = timezone.now() if ready else None
    environment.marked_by = by or getattr(actor, "email", "") or "system"
    environment.full_clean()
    environment.save(update_fields=["ready", "url", "note", "ready_at", "marked_by"])
    record_event(
        action="project.environment_marked",
        obj=project,
        actor=actor,
        customer_id=project.customer_id,
        actor_label=by,
        data={"environment": name, "ready": ready, "url": environment.url},
    )
    if ready and not project.environments.filter(ready=False).exists():
        from apps.projects.kickoff import resume_if_waiting

        resume_if_waiting(project=project, phase_key=KickoffPhase.Key.ENVIRONMENT_PROVISIONING)
    return environment
