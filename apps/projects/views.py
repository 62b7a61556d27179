"""Staff pages of projects: the list, and a project's kickoff (phases live, team, environment checklist)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from apps.core.access import staff_required
from apps.core.filters import choice_filter
from apps.core.htmx import template_for, wants_partial
from apps.core.pagination import paginate, querystring_without_page
from apps.projects import kickoff, services, services_progress
from apps.projects.forms import EnvironmentForm, KickoffForm, ProgressUpdateForm
from apps.projects.models import Environment, KickoffPhase, Project, TeamTemplate
from apps.projects.views_quality import quality_panel


@require_GET
@staff_required
def project_list(request: HttpRequest) -> HttpResponse:
    status = choice_filter(request, "status", Project.Status.choices)
    projects = Project.objects.visible_to(request.user).select_related("customer", "guarantee")
    if status:
        projects = projects.filter(status=status)
    context = {
        "page": paginate(request, projects.order_by("-created_at", "-pk")),
        "status": status,
        "statuses": Project.Status.choices,
        "querystring": querystring_without_page(request),
    }
    return render(request, template_for(request, "projects/project_list.html", "project-table"), context)


def _context(
    project: Project, form: KickoffForm | None = None, progress_form: ProgressUpdateForm | None = None
) -> dict:
    template = TeamTemplate.objects.filter(service_type=project.service_type).first()
    initial = {"standup_time": template.default_standup_time if template else None}
    phases = list(project.phases.all())
    return {
        "project": project,
        "phases": phases,
        "polling": _poll_every(project, phases),
        "team": list(project.team.all()),
        "environments": list(project.environments.all()),
        "guarantee": getattr(project, "guarantee", None),
        "kickoff_form": form or KickoffForm(initial=initial),
        **quality_panel(project),
        "progress_form": progress_form or ProgressUpdateForm(),
        "progress_updates": project.progress_updates.select_related("author")[:10],
    }


def _poll_every(project: Project, phases: list[KickoffPhase]) -> str:
    """How often the page refreshes the phases: quickly while one runs, slowly while waiting for people or CI."""
    if project.status != Project.Status.KICKOFF_RUNNING:
        return ""
    busy = any(p.status in (KickoffPhase.Status.QUEUED, KickoffPhase.Status.RUNNING) for p in phases)
    return "2s" if busy else "15s"


def _project(request: HttpRequest, project_id: int) -> Project:
    projects = Project.objects.visible_to(request.user).select_related("customer__owner", "guarantee")
    return get_object_or_404(projects, pk=project_id)


@require_GET
@staff_required
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id)
    return render(request, template_for(request, "projects/project_detail.html", "kickoff"), _context(project))


@require_POST
@staff_required
def kickoff_start(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id)
    form = KickoffForm(request.POST)
    if form.is_valid():
        try:
            kickoff.start_kickoff(actor=request.user, project=project, standup_time=form.cleaned_data["standup_time"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Kickoff started: the phases run one after the other below.")
        return redirect("projects:detail", project.pk)
    return render(request, "projects/project_detail.html", _context(project, form))


@require_POST
@staff_required
def kickoff_retry(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id)
    try:
        kickoff.retry_kickoff(actor=request.user, project=project)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Retrying from the phase that failed.")
    return redirect("projects:detail", project.pk)


@require_POST
@staff_required
def environment_mark(request: HttpRequest, project_id: int, name: str) -> HttpResponse:
    project = _project(request, project_id)
    environment = get_object_or_404(Environment.objects.filter(project=project), name=name)
    form = EnvironmentForm(request.POST)
    if form.is_valid():
        services.mark_environment(
            actor=request.user,
            project=project,
            name=environment.name,
            ready=form.cleaned_data["ready"],
            url=form.cleaned_data["url"],
        )
        state = "ready" if form.cleaned_data["ready"] else "not ready"
        messages.success(request, f"{environment.get_name_display()} marked {state}.")
    else:
        messages.error(request, "Enter a valid URL (or leave it empty).")
    if wants_partial(request):
        project = _project(request, project_id)
        return render(request, "projects/project_detail.html#kickoff", _context(project))
    return redirect("projects:detail", project.pk)


@require_POST
@staff_required
def progress_update_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id)
    form = ProgressUpdateForm(request.POST)
    if form.is_valid():
        update = services_progress.post_progress_update(actor=request.user, project=project, **form.cleaned_data)
        messages.success(request, f"Progress update posted: {update.get_schedule_status_display().lower()}.")
        return redirect("projects:detail", project.pk)
    return render(request, "projects/project_detail.html", _context(project, progress_form=form))
