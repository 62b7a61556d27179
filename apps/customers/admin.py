from __future__ import annotations

from django.contrib import admin

from apps.core.admin_base import ListFieldsAdmin
from apps.customers.models import ClientInvite, Customer, Stakeholder


class StakeholderInline(admin.TabularInline):
    model = Stakeholder
    extra = 0
    fields = ["name", "email", "role", "is_approver", "user"]
    raw_id_fields = ["user"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "segment", "industry", "owner", "status", "created_at"]
    list_filter = ["segment", "status"]
    search_fields = ["name", "industry"]
    inlines = [StakeholderInline]


@admin.register(Stakeholder)
class StakeholderAdmin(ListFieldsAdmin):
    ordered_lists = {"channels": Stakeholder.Channel.choices}
    list_display = ["name", "email", "customer", "role", "is_approver"]
    list_filter = ["role", "is_approver"]
    search_fields = ["name", "email", "customer__name"]
    raw_id_fields = ["user"]


@admin.register(ClientInvite)
class ClientInviteAdmin(admin.ModelAdmin):
    list_display = ["stakeholder", "created_at", "expires_at", "used_at"]
    readonly_fields = ["stakeholder", "token_hash", "created_by", "created_at", "expires_at", "used_at"]
