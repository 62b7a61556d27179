"""A customer's story, from the audit log, written for people: "Alice Chen approved week 2: Core Development Sprint".

Each audit action the timeline tells has one entry in `STORIES`: its kind (for the filter), a verb phrase and where
a link goes. Actions without an entry (configuration changes, API keys) are not part of a customer's story.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse

from apps.audit.models import AuditEvent


@dataclass(frozen=True)
class Story:
    kind: str
    verb: str
    link: Callable[[AuditEvent], str] | None = None


def _url(name: str, *args: object) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _object(name: str) -> Callable[[AuditEvent], str]:
    return lambda event: _url(name, event.object_id)


def _evidence_milestone(event: AuditEvent) -> str:
    milestone_id = (event.data or {}).get("milestone_id")
    return _url("guarantees:milestone", milestone_id) if milestone_id else ""


def _board(event: AuditEvent) -> str:
    board = _url("retention:opportunities")
    return f"{board}#opportunity-{event.object_id}" if board else ""


def _playbooks(event: AuditEvent) -> str:
    url = _url("customers:detail", event.customer_id) if event.customer_id else ""
    return f"{url}#playbooks" if url else ""


KINDS = {
    "guarantee": "Guarantee and milestones",
    "evidence": "Evidence",
    "sign_off": "Sign-offs",
    "claim": "Claims and refunds",
    "project": "Projects and kickoff",
    "people": "People",
    "proposal": "Proposals",
    "learning": "Learning",
    "relationship": "Surveys, calls and reviews",
    "delivery": "Progress and quality",
    "expansion": "Expansion opportunities",
    "playbook": "Playbooks",
}

STORIES: dict[str, Story] = {
    "customer.created": Story("people", "added the customer", lambda e: _url("customers:detail", e.object_id)),
    "customer.updated": Story("people", "updated the customer's details"),
    "stakeholder.added": Story("people", "added the stakeholder"),
    "stakeholder.updated": Story("people", "updated the stakeholder"),
    "stakeholder.invited": Story("people", "invited to the client view"),
    "stakeholder.invite_accepted": Story("people", "joined the client view:"),
    "proposal.accepted": Story("proposal", "accepted", _object("tiers:proposal_detail")),
    "project.created": Story("project", "started the project", _object("projects:detail")),
    "project.kickoff_started": Story("project", "started the kickoff of", _object("projects:detail")),
    "project.kickoff_retried": Story("project", "retried a kickoff phase of", _object("projects:detail")),
    "project.kickoff_phase_failed": Story("project", "saw a kickoff phase fail for", _object("projects:detail")),
    "project.environment_marked": Story("project", "marked an environment ready for", _object("projects:detail")),
    "guarantee.activated": Story("guarantee", "activated the", _object("guarantees:detail")),
    "guarantee.status_changed": Story("guarantee", "changed the status of the", _object("guarantees:detail")),
    "guarantee.last_week_closed": Story("guarantee", "closed the last week of the", _object("guarantees:detail")),
    "guarantee.final_validated": Story("guarantee", "ran the final validation of the", _object("outcomes:guarantee")),
    "guarantee.extended": Story("guarantee", "extended the", _object("guarantees:detail")),
    "evidence.recorded": Story("evidence", "recorded evidence:", _evidence_milestone),
    "milestone.submitted_for_sign_off": Story("sign_off", "asked for sign-off of", _object("guarantees:milestone")),
    "milestone.sign_off_approved": Story("sign_off", "approved", _object("guarantees:milestone")),
    "milestone.sign_off_rejected": Story("sign_off", "rejected", _object("guarantees:milestone")),
    "milestone.withdrawn": Story("sign_off", "withdrew the sign-off request for", _object("guarantees:milestone")),
    "milestone.reopened": Story("guarantee", "reopened", _object("guarantees:milestone")),
    "milestone.closed": Story("sign_off", "closed", _object("guarantees:milestone")),
    "milestone.action_updated": Story("guarantee", "updated an action on", None),
    "success_document.created": Story("guarantee", "published the", None),
    "claim.opened": Story("claim", "opened a", _object("outcomes:claim")),
    "claim.review_started": Story("claim", "started reviewing a", _object("outcomes:claim")),
    "claim.approved": Story("claim", "approved a", _object("outcomes:claim")),
    "claim.rejected": Story("claim", "rejected a", _object("outcomes:claim")),
    "claim.paid": Story("claim", "recorded the payment of a", _object("outcomes:claim")),
    "claim.fulfilled": Story("claim", "fulfilled a", _object("outcomes:claim")),
    "payout.approved": Story("claim", "approved the refund", None),
    "payout.recorded": Story("claim", "recorded the transfer of the refund", None),
    "payout.paid": Story("claim", "saw the refund settle:", None),
    "education.plan_scheduled": Story("learning", "scheduled the learning plan", None),
    "education.item_done": Story("learning", "finished a learning item:", None),
    "customer.churned": Story("people", "marked as churned:", None),
    "customer.status_derived": Story("people", "saw the status change of", None),
    "survey.sent": Story("relationship", "sent a survey:", None),
    "survey.answered": Story("relationship", "answered a survey:", None),
    "task.opened": Story("relationship", "opened a follow-up task:", None),
    "task.closed": Story("relationship", "closed a follow-up task:", None),
    "touchpoint.logged": Story("relationship", "logged a touchpoint:", None),
    "review.recorded": Story("relationship", "recorded a review:", None),
    "project.progress_update_posted": Story("delivery", "posted a progress update on", _object("projects:detail")),
    "quality_gate_run.recorded": Story("delivery", "recorded a quality-gate run:", None),
    "opportunity.identified": Story("expansion", "identified an expansion opportunity:", _board),
    "opportunity.added": Story("expansion", "added an expansion opportunity:", _board),
    "opportunity.to_identified": Story("expansion", "moved back to identified the opportunity", _board),
    "opportunity.to_qualified": Story("expansion", "qualified the opportunity", _board),
    "opportunity.to_proposal": Story("expansion", "moved to proposal the opportunity", _board),
    "opportunity.to_negotiation": Story("expansion", "moved to negotiation the opportunity", _board),
    "opportunity.won": Story("expansion", "won the expansion opportunity", _board),
    "opportunity.lost": Story("expansion", "lost the expansion opportunity", _board),
    "playbook.started": Story("playbook", "started the playbook", _playbooks),
    "playbook.task_closed": Story("playbook", "closed a playbook task:", _playbooks),
    "playbook.closed": Story("playbook", "finished the playbook", _playbooks),
    "playbook.outcome_recorded": Story("playbook", "recorded the outcome of the playbook", _playbooks),
}


@dataclass(frozen=True)
class Entry:
    when: object
    who: str
    sentence: str
    url: str
    kind: str
    kind_label: str


def customer_events(customer_id: int, *, kind: str = "") -> QuerySet:
    actions = [action for action, story in STORIES.items() if not kind or story.kind == kind]
    return (
        AuditEvent.objects.filter(customer_id=customer_id, action__in=actions)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


def tell(event: AuditEvent) -> Entry:
    story = STORIES[event.action]
    who = (event.actor.full_name or event.actor.email) if event.actor else _system_or_label(event.actor_label)
    url = story.link(event) if story.link else ""
    return Entry(
        when=event.created_at,
        who=who,
        sentence=f"{who} {story.verb} {event.object_repr}".strip(),
        url=url,
        kind=story.kind,
        kind_label=KINDS[story.kind],
    )


def _system_or_label(label: str) -> str:
    return "The portal" if not label or label == "system" else label
