"""Admins write and schedule education content here; plans are made by the portal and only read here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apps.core.admin_base import ListFieldsAdmin
from apps.customers.models import Stakeholder
from apps.education.models import ContentItem, EducationPlan, EducationSettings, PlanItem
from apps.leads.models import ServiceType


@admin.register(ContentItem)
class ContentItemAdmin(ListFieldsAdmin):
    checkbox_lists = {"roles": Stakeholder.Role.choices, "service_types": ServiceType.choices}
    list_display = ["title", "minutes", "audience", "method", "day", "active"]
    list_filter = ["audience", "method", "active"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Plans keep pointing at content they were given; deactivate it instead.
        return bool(obj is None or not obj.plan_items.exists()) and super().has_delete_permission(request, obj)


@admin.register(EducationSettings)
class EducationSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return not EducationSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    extra = 0
    fields = ["content", "method", "day", "send_at", "scheduled_for", "queued_at", "completed_at"]
    readonly_fields = fields


@admin.register(EducationPlan)
class EducationPlanAdmin(admin.ModelAdmin):
    list_display = ["stakeholder", "customer", "background", "source_key", "starts_at"]
    list_filter = ["background"]
    search_fields = ["stakeholder__name", "stakeholder__email", "customer__name"]
    readonly_fields = ["stakeholder", "customer", "background", "service_type", "source_key", "starts_at", "created_by"]
    inlines = [PlanItemInline]
