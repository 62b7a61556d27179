from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apps.core.admin_base import ReadOnlyAdmin
from apps.projects.models import (
    Environment,
    KickoffPhase,
    ProgressSettings,
    ProgressUpdate,
    Project,
    TeamMember,
    TeamTemplate,
    TeamTemplateRole,
)


class TeamTemplateRoleInline(admin.TabularInline):
    model = TeamTemplateRole
    extra = 0
    fields = ["position", "title", "allocation", "from_developer_pool", "condition"]


@admin.register(TeamTemplate)
class TeamTemplateAdmin(admin.ModelAdmin):
    list_display = ["service_type", "default_standup_time"]
    inlines = [TeamTemplateRoleInline]


class KickoffPhaseInline(admin.TabularInline):
    model = KickoffPhase
    extra = 0
    can_delete = False
    fields = ["position", "key", "status", "attempts", "started_at", "finished_at", "summary", "error"]
    readonly_fields = fields


class EnvironmentInline(admin.TabularInline):
    model = Environment
    extra = 0
    can_delete = False
    fields = ["name", "ready", "url", "ready_at", "marked_by"]
    readonly_fields = ["name", "ready_at", "marked_by"]


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    fields = ["title", "allocation", "reason"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "customer", "service_type", "tier_name", "status", "accepted_at"]
    list_filter = ["status", "service_type"]
    search_fields = ["name", "customer__name"]
    readonly_fields = ["status", "kickoff_started_at", "kickoff_completed_at", "created_by", "created_at"]
    inlines = [KickoffPhaseInline, EnvironmentInline, TeamMemberInline]


from apps.projects import admin_quality  # noqa: E402, F401  (quality gates register their own admin pages)


@admin.register(ProgressSettings)
class ProgressSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "ahead_min", "on_track_min", "at_risk_min", "updated_at"]
    readonly_fields = ["version", "updated_at"]

    def save_model(self, request: HttpRequest, obj: ProgressSettings, form: Any, change: bool) -> None:
        # Each update keeps the thresholds it used, so an edit must be a new version.
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ProgressSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAdmin):
    list_display = ["project", "percent_complete", "expected_percent", "schedule_status", "risk_level", "created_at"]
    list_filter = ["schedule_status", "risk_level", "priority"]
    search_fields = ["project__name"]
