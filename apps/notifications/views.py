from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from apps.core.htmx import template_for
from apps.core.pagination import paginate
from apps.notifications import services
from apps.notifications.models import Notification


@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    unread = Notification.objects.for_user(request.user).unread().count()
    return render(request, "notifications/_bell.html", {"unread_count": unread})


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.for_user(request.user)
    if request.GET.get("filter") == "unread":
        notifications = notifications.unread()
    page = paginate(request, notifications)
    template = template_for(request, "notifications/notification_list.html", "notification-table")
    base = "client/base.html" if not request.user.is_staff else "base.html"
    return render(request, template, {"page": page, "base_template": base, "filter": request.GET.get("filter", "")})


@require_POST
def mark_read(request: HttpRequest, notification_id: int | None = None) -> HttpResponse:
    # Someone else's notification (or none) is a 404, as every other foreign object is.
    target = None
    if notification_id is not None:
        target = get_object_or_404(Notification.objects.for_user(request.user), pk=notification_id)
    services.mark_read(user=request.user, notification_id=notification_id)
    if target and target.url and not request.htmx:
        return redirect(target.url)
    return redirect("notifications:list")
