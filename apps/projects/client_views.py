"""The client view of projects: each project's progress updates, in the version for the viewer's role."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from apps.core.access import client_required
from apps.core.pagination import paginate
from apps.projects import progress_messages
from apps.projects.models import Project


@require_GET
@client_required
def project_list(request: HttpRequest) -> HttpResponse:
    projects = Project.objects.visible_to(request.user).prefetch_related("progress_updates")
    return render(request, "projects/client/project_list.html", {"projects": projects})


@require_GET
@client_required
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=project_id)
    role = request.user.client_stakeholder.role
    page = paginate(request, project.progress_updates.select_related("project"), per_page=10)
    versions = [(update, progress_messages.page_html(update, role)) for update in page]
    context = {"project": project, "page": page, "versions": versions, "role_label": _role_label(request)}
    return render(request, "projects/client/project_detail.html", context)


def _role_label(request: HttpRequest) -> str:
    return request.user.client_stakeholder.get_role_display()
