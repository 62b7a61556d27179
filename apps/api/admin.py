from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.api import services
from apps.api.models import ApiKey
from apps.api.scopes import SCOPES, all_scopes


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=[(scope, f"{scope}: {label}") for scope, label in SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
        initial=all_scopes,
        help_text="Give a key only what its integration needs (a website lead form: leads:write).",
    )

    class Meta:
        model = ApiKey
        fields = ["name", "scopes", "customer", "expires_at"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ["name", "prefix", "customer", "scope_list", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["customer"]
    actions = ["revoke"]

    @admin.display(description="Scopes")
    def scope_list(self, obj: ApiKey) -> str:
        return "every scope" if set(obj.scopes) >= set(SCOPES) else ", ".join(obj.scopes)

    def save_model(self, request: HttpRequest, obj: ApiKey, form: forms.Form, change: bool) -> None:
        values = {k: form.cleaned_data[k] for k in ("name", "scopes", "customer", "expires_at")}
        if change:
            services.update_api_key(api_key=obj, actor=request.user, **values)
            return
        api_key, raw_key = services.create_api_key(actor=request.user, **values)
        obj.pk = api_key.pk
        obj.prefix = api_key.prefix
        messages.warning(request, f"New API key (copy it now; it is not shown again): {raw_key}")

    def has_delete_permission(self, request: HttpRequest, obj: ApiKey | None = None) -> bool:
        return False

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for api_key in queryset:
            services.revoke_api_key(api_key=api_key, actor=request.user)
        self.message_user(request, "Revoked.")
