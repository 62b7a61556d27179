"""The version of a progress update each stakeholder role receives, on each channel, rendered from template files.

Designers edit `templates/projects/progress/<role>/<channel>` (page.html for the client view and the HTML email,
email.txt, slack.txt for Slack mrkdwn, teams.txt for the Teams card, in_app.txt for the bell) and
`templates/projects/progress/subject.txt`. What each role gets follows DOMAIN section 5:
executive: % complete, status, timeline, budget, achievements, upcoming milestones, risk;
technical lead: blockers, quality gates, environments; product owner: features and milestones; others: a summary.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse

from apps.notifications.models import Channel
from apps.notifications.services import Message
from apps.projects.models import ProgressUpdate

ROLES = ("executive", "technical_lead", "product_owner", "other")


# Extra context for the templates, e.g. the latest quality gate run: functions (project) -> dict, added by the
# app that owns the data (as `quality` = {"comprehensive", "gates": [{"label", "value", "threshold", "passed"}]}).
def _latest_quality(project: Any) -> dict[str, Any]:
    from apps.projects.services_quality import latest_run_context

    return latest_run_context(project)


CONTEXT_HOOKS: list[Callable[[Any], dict[str, Any]]] = [_latest_quality]


def role_key(role: str) -> str:
    return role if role in ROLES else "other"


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _timeline(update: ProgressUpdate) -> dict[str, Any]:
    project = update.project
    start = (project.kickoff_started_at or project.accepted_at).date()
    return {
        "start": start,
        "planned_end": start + timedelta(days=update.planned_days),
        "elapsed_days": update.elapsed_days,
        "planned_days": update.planned_days,
        "remaining_days": max(update.planned_days - update.elapsed_days, 0),
    }


def _milestones(project: Any) -> list[Any]:
    guarantee = getattr(project, "guarantee", None)
    return list(guarantee.milestones.all()) if guarantee is not None else []


def context(update: ProgressUpdate, role: str, *, channel: str = "") -> dict[str, Any]:
    """Everything the role's templates may show. Lists are escaped for Slack when the channel is Slack."""
    escape = _slack_escape if channel == Channel.SLACK else (lambda text: text)
    project = update.project
    data: dict[str, Any] = {
        "update": update,
        "project": project,
        "role": role_key(role),
        "status": update.get_schedule_status_display(),
        "risk": update.get_risk_level_display(),
        "achievements": [escape(item) for item in update.achievements],
        "blockers": [escape(item) for item in update.blockers],
        "upcoming": [escape(item) for item in update.upcoming],
        "timeline": _timeline(update),
        "budget": project.price,
        "environments": list(project.environments.all()) if role_key(role) == "technical_lead" else [],
        "milestones": _milestones(project) if role_key(role) == "product_owner" else [],
        "quality": None,
    }
    for hook in CONTEXT_HOOKS:
        data.update(hook(project))
    return data


def _render(update: ProgressUpdate, role: str, name: str, channel: str = "") -> str:
    return render_to_string(f"projects/progress/{role_key(role)}/{name}", context(update, role, channel=channel))


def page_html(update: ProgressUpdate, role: str) -> str:
    """The client view's version for this role (also the body of the HTML email)."""
    return _render(update, role, "page.html")


def client_url(update: ProgressUpdate) -> str:
    return reverse("client_projects:detail", args=[update.project_id]) + f"#update-{update.pk}"


def message_for(update: ProgressUpdate, role: str, channel: str) -> Message:
    """The outbox message of one role on one channel."""
    subject = render_to_string("projects/progress/subject.txt", context(update, role)).strip()
    url = client_url(update)
    if channel == Channel.EMAIL:
        html = render_to_string("projects/progress/email.html", {"body": page_html(update, role), "subject": subject})
        return Message(
            subject=subject, body=_render(update, role, "email.txt"), html_body=html, url=url, priority=update.priority
        )
    template = {Channel.SLACK: "slack.txt", Channel.TEAMS: "teams.txt"}.get(channel, "in_app.txt")
    return Message(subject=subject, body=_render(update, role, template, channel), url=url, priority=update.priority)
