"""Admins edit tiers and the recommendation settings here; each change moves the settings version on."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apps.core.admin_base import ListFieldsAdmin
from apps.leads.models import Complexity
from apps.tiers import services
from apps.tiers.models import Proposal, ProposalStakeholder, Recommendation, Tier, TierSettings


class VersionedConfigAdmin(ListFieldsAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.record_config_change(actor=request.user, obj=obj, fields=list(form.changed_data))


@admin.register(Tier)
class TierAdmin(VersionedConfigAdmin):
    checkbox_lists = {"complexities": Complexity.choices}
    list_display = ["name", "service_type", "price_range", "weeks_min", "weeks_max", "refund_cap", "retired"]
    list_filter = ["service_type", "retired"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Retire a tier instead: proposals and projects keep pointing at it.
        return False


@admin.register(TierSettings)
class TierSettingsAdmin(VersionedConfigAdmin):
    readonly_fields = ["version", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not TierSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProposalStakeholderInline(admin.TabularInline):
    model = ProposalStakeholder
    extra = 0


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "tier", "status", "price", "sent_at", "decided_at"]
    list_filter = ["status", "tier"]
    search_fields = ["lead__organization_name", "contact_email"]
    raw_id_fields = ["lead", "previous", "customer"]
    readonly_fields = ["token_nonce"]
    inlines = [ProposalStakeholderInline]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["lead", "config_version", "computed_at"]
    raw_id_fields = ["lead"]
    readonly_fields = ["lead", "config_version", "inputs", "results", "computed_at"]
