"""What each kickoff phase does. Each returns a PhaseOutcome or raises ValidationError with what to fix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from apps.customers.models import ClientInvite, Stakeholder
from apps.customers.services import invite_stakeholder
from apps.notifications.models import Channel
from apps.notifications.services import (
    Message,
    queue_for_channels,
    stakeholder_recipient,
)
from apps.projects.models import Environment, Project, TeamMember, TeamTemplate, TeamTemplateRole


@dataclass(frozen=True)
class PhaseOutcome:
    summary: str
    result: dict[str, Any] = field(default_factory=dict)
    waiting: bool = False  # the phase waits for people (or machines) and resumes when they are done


def project_setup(*, project: Project, actor: Any) -> PhaseOutcome:
    owner = project.customer.owner
    if not owner.is_active:
        raise ValidationError(f"{project.customer.name}'s CSM ({owner.email}) is inactive: assign an active CSM.")
    for position, name in enumerate(Environment.Name.values, 1):
        Environment.objects.get_or_create(project=project, name=name, defaults={"position": position})
    result = {
        "customer": project.customer.name,
        "csm": owner.email,
        "service_type": project.service_type,
        "tier": project.tier_slug,
        "timeline_weeks": project.timeline_weeks,
        "price": str(project.price),
    }
    return PhaseOutcome(f"Set up for {project.customer.name}, CSM {owner.get_full_name()}.", result)


def team_assembly(*, project: Project, actor: Any) -> PhaseOutcome:
    template = TeamTemplate.objects.filter(service_type=project.service_type).first()
    if template is None or not template.roles.exists():
        raise ValidationError(
            f"No team template for {project.get_service_type_display()}: add its roles in the admin, then retry."
        )
    TeamMember.objects.filter(project=project).delete()  # a retry assembles the team afresh
    members = [_member(project, role) for role in template.roles.all() if _applies(project, role)]
    TeamMember.objects.bulk_create(members)
    total = sum((m.allocation for m in members), Decimal(0))
    result = {"roles": [{"title": m.title, "allocation": str(m.allocation)} for m in members], "fte": str(total)}
    return PhaseOutcome(f"{len(members)} roles, {total.normalize():f} full-time equivalents.", result)


def _applies(project: Project, role: TeamTemplateRole) -> bool:
    return {
        TeamTemplateRole.Condition.ALWAYS: True,
        TeamTemplateRole.Condition.UI_REQUIREMENTS: project.has_ui_requirements,
        TeamTemplateRole.Condition.COMPLIANCE_REQUIREMENTS: project.has_compliance_requirements,
    }[role.condition]


REASONS = {
    TeamTemplateRole.Condition.ALWAYS: "in every team of this service type",
    TeamTemplateRole.Condition.UI_REQUIREMENTS: "the project has UI requirements",
    TeamTemplateRole.Condition.COMPLIANCE_REQUIREMENTS: "the project has compliance requirements",
}


def _member(project: Project, role: TeamTemplateRole) -> TeamMember:
    if role.from_developer_pool:
        allocation, reason = Decimal(project.developer_agents), f"the {project.tier_name} tier's developer pool"
    else:
        allocation, reason = role.allocation, REASONS[role.condition]
    return TeamMember(project=project, position=role.position, title=role.title, allocation=allocation, reason=reason)


def environment_provisioning(*, project: Project, actor: Any) -> PhaseOutcome:
    environments = list(project.environments.all())
    missing = [e.get_name_display() for e in environments if not e.ready]
    result = {"environments": {e.name: e.ready for e in environments}}
    if missing:
        return PhaseOutcome(f"Waiting for: {', '.join(missing)}.", result, waiting=True)
    return PhaseOutcome(f"All {len(environments)} environments ready.", result)


def stakeholder_onboarding(*, project: Project, actor: Any) -> PhaseOutcome:
    """Invite every stakeholder without a client login, and confirm each one's channel preferences to them."""
    stakeholders = list(Stakeholder.objects.filter(customer=project.customer).select_related("user"))
    if not any(s.is_approver for s in stakeholders):
        raise ValidationError(f"{project.customer.name} has no approver to sign off milestones: mark one, then retry.")
    outcomes = [_onboard(project, stakeholder, actor) for stakeholder in stakeholders]
    return PhaseOutcome(_onboarding_summary(outcomes), {"stakeholders": outcomes})


def _onboarding_summary(outcomes: list[dict[str, Any]]) -> str:
    """Everyone with access counts: invited now, invited earlier (at the proposal's acceptance) or signed in."""
    signed_in = sum(1 for o in outcomes if o["access"] == "has login")
    invited = sum(1 for o in outcomes if o["access"] in ("invited", "invite pending"))
    not_invited = len(outcomes) - signed_in - invited
    parts = [f"{invited} invited to the client view"]
    if signed_in:
        parts.append(f"{signed_in} already signed in")
    if not_invited:
        parts.append(f"{not_invited} could not be invited")
    people = f"{len(outcomes)} stakeholder{pluralize(len(outcomes))}"
    return f"{people}: {', '.join(parts)}; channel preferences confirmed."


def _onboard(project: Project, stakeholder: Stakeholder, actor: Any) -> dict[str, Any]:
    live_invite = ClientInvite.objects.filter(
        stakeholder=stakeholder, used_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()
    if stakeholder.has_client_login:
        access = "has login"
    elif live_invite:
        access = "invite pending"
    else:
        try:
            invite_stakeholder(actor=actor, stakeholder=stakeholder)
            access = "invited"
        except ValidationError as error:
            access = "not invited: " + " ".join(error.messages)
    channels = list(stakeholder.channels or [Channel.EMAIL])
    _confirm_channels(project, stakeholder, channels)
    return {"id": stakeholder.pk, "name": stakeholder.name, "access": access, "channels": channels}


def _confirm_channels(project: Project, stakeholder: Stakeholder, channels: list[str]) -> None:
    labels = ", ".join(str(Stakeholder.Channel(c).label) for c in channels if c in Stakeholder.Channel.values)
    body = (
        f"Welcome to {project.name}. You will receive project updates by: {labels}. "
        "If that is not right, tell your customer success manager."
    )
    queue_for_channels(
        event_key=f"project:{project.pk}:welcome",
        recipient=stakeholder_recipient(stakeholder),
        channels=channels,
        message=Message(
            subject=f"{project.name}: your update preferences",
            body=body,
            url=settings.SITE_URL + reverse("client:home"),
        ),
        customer_id=project.customer_id,
    )


def guarantee_activation(*, project: Project, actor: Any) -> PhaseOutcome:
    from apps.guarantees.services import activate_guarantee

    guarantee = activate_guarantee(actor=actor, project=project)
    weeks = guarantee.milestones.count()
    result = {
        "guarantee_id": guarantee.pk,
        "starts_on": guarantee.starts_on.isoformat(),
        "ends_on": guarantee.ends_on.isoformat(),
        "weeks": weeks,
    }
    until = f"{guarantee.ends_on:%d %b %Y}"
    return PhaseOutcome(
        f"Guarantee of {guarantee.amount:,.0f} USD active until {until}, {weeks} weekly milestones.", result
    )


def launch(*, project: Project, actor: Any) -> PhaseOutcome:
    first = project.guarantee.milestones.order_by("week").first()
    project.status, project.kickoff_completed_at = Project.Status.ACTIVE, timezone.now()
    project.save(update_fields=["status", "kickoff_completed_at", "updated_at"])
    standup = project.standup_time.strftime("%H:%M") if project.standup_time else "to be agreed"
    due = f"{first.title}, due {first.due_date:%d %b %Y}" if first else "none"
    body = f"{project.name} has launched. Daily stand-up at {standup}. First milestone: {due}."
    for stakeholder in Stakeholder.objects.filter(customer=project.customer):
        queue_for_channels(
            event_key=f"project:{project.pk}:launched",
            recipient=stakeholder_recipient(stakeholder),
            channels=list(stakeholder.channels or [Channel.EMAIL]),
            message=Message(subject=f"{project.name} has launched", body=body),
            customer_id=project.customer_id,
        )
    result = {"standup_time": standup, "first_milestone_due": first.due_date.isoformat() if first else None}
    return PhaseOutcome(f"Launched: stand-up daily at {standup}; first milestone {due}.", result)


PHASES: dict[str, Callable[..., PhaseOutcome]] = {
    "project_setup": project_setup,
    "team_assembly": team_assembly,
    "environment_provisioning": environment_provisioning,
    "stakeholder_onboarding": stakeholder_onboarding,
    "guarantee_activation": guarantee_activation,
    "launch": launch,
}
