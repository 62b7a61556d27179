"""Admin for the lead-scoring configuration (the draft), publishing it as a version, and following the rescore.

Leads themselves are changed in the portal (through the services); here they are read-only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from apps.core.admin_base import ReadOnlyAdmin
from apps.leads.models import GuaranteeOutcome, Lead, LeadScore
from apps.leads.scoring import models as cm
from apps.leads.scoring.config import DISQUALIFIER_CODES
from apps.leads.scoring.versions import draft_is_published, latest_version, preview_publish, publish_config


def draft_state() -> dict[str, Any]:
    """What the banner on every scoring configuration page says: is the draft ahead of the published version?"""
    state: dict[str, Any] = {"latest": latest_version(), "error": "", "unpublished": True}
    try:
        state["unpublished"] = not draft_is_published()
    except ValidationError as exc:
        state["error"] = " ".join(exc.messages)
    return state


class DraftConfigAdmin(admin.ModelAdmin):
    """A page of the scoring *draft*: a banner on every page, and saving says "saved as a draft", not "changed".

    Nothing an admin saves here scores a lead until they preview and publish it as a version.
    """

    change_form_template = "leads/admin/draft_change_form.html"
    change_list_template = "leads/admin/draft_change_list.html"

    def changeform_view(
        self, request: HttpRequest, object_id: Any = None, form_url: str = "", extra_context: Any = None
    ):  # type: ignore[no-untyped-def]
        return super().changeform_view(request, object_id, form_url, {**(extra_context or {}), "draft": draft_state()})

    def changelist_view(self, request: HttpRequest, extra_context: Any = None):  # type: ignore[no-untyped-def]
        return super().changelist_view(request, {**(extra_context or {}), "draft": draft_state()})

    def message_user(
        self, request: HttpRequest, message: str, level: int = messages.INFO, *args: Any, **kwargs: Any
    ) -> None:
        if level == messages.SUCCESS:
            message = _as_draft(message)
        super().message_user(request, message, level, *args, **kwargs)


def _as_draft(message: str) -> str:
    """Django's "… was changed successfully." becomes "… was saved as a draft.", keeping its link to the object."""
    worded = str(message)
    for done, draft in [("changed successfully", "saved as a draft"), ("added successfully", "added to the draft")]:
        worded = worded.replace(done, draft)
    worded += " Leads are scored with it once you preview and publish the draft."
    return mark_safe(worded) if isinstance(message, SafeString) else worded  # noqa: S308 (the markup is Django's own)


class FixedRowsAdmin(DraftConfigAdmin):
    """Rows other code enumerates by key: numbers and words are edited, rows are never added or removed."""

    key_fields: tuple[str, ...] = ()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return self.key_fields


@admin.register(cm.ScoringSettings)
class ScoringSettingsAdmin(FixedRowsAdmin):
    fieldsets = [
        ("Qualification", {"fields": ["biggest_gaps_count", "key_gap_fraction"]}),
        ("When a lead stops", {"fields": ["qualification_stop_below", "feasibility_stop_below"]}),
        (
            "Feasibility: technical",
            {
                "fields": [
                    "risky_technology_keywords",
                    "risky_technology_deduction",
                    "integration_deduction",
                    "integration_deduction_cap",
                    "compliance_keywords",
                    "compliance_deduction",
                ]
            },
        ),
        ("Feasibility: timeline", {"fields": ["estimate_base_weeks", "estimate_weeks_per_requirement"]}),
        (
            "Feasibility: resource",
            {"fields": ["budget_low_usd", "budget_low_score", "budget_high_usd", "budget_high_score"]},
        ),
        (
            "Feasibility: overall",
            {"fields": ["technical_weight", "timeline_weight", "resource_weight", "blocker_threshold"]},
        ),
        ("Success probability", {"fields": ["feasibility_weight", "qualification_weight", "min_observed_sample"]}),
    ]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # One row: go straight to it.
        settings = cm.ScoringSettings.objects.first()
        if settings is None:
            return super().changelist_view(request, extra_context)
        return redirect("admin:leads_scoringsettings_change", settings.pk)


class ChoiceInline(admin.TabularInline):
    model = cm.CriterionChoice
    extra = 0


class BandInline(admin.TabularInline):
    model = cm.CriterionBand
    extra = 0


@admin.register(cm.Criterion)
class CriterionAdmin(DraftConfigAdmin):
    list_display = ["position", "key", "label", "dimension", "points", "source", "kind"]
    list_display_links = ["key"]
    list_editable = ["position", "label", "points"]
    list_filter = ["dimension", "kind"]
    inlines = [ChoiceInline, BandInline]


@admin.register(cm.QualificationLevel)
class QualificationLevelAdmin(FixedRowsAdmin):
    list_display = ["key", "label", "minimum"]
    list_editable = ["label", "minimum"]
    key_fields = ("key",)


@admin.register(cm.DisqualifierLabel)
class DisqualifierLabelAdmin(FixedRowsAdmin):
    list_display = ["code", "label"]
    list_editable = ["label"]
    key_fields = ("code",)


@admin.register(cm.TimelineLimit)
class TimelineLimitAdmin(DraftConfigAdmin):
    list_display = ["complexity", "minimum_weeks"]
    list_editable = ["minimum_weeks"]


class ServiceTypeSettingForm(forms.ModelForm):
    blocking_codes = forms.MultipleChoiceField(
        choices=[(code, code.replace("_", " ")) for code in DISQUALIFIER_CODES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Disqualifiers that block this service type.",
    )

    class Meta:
        model = cm.ServiceTypeSetting
        fields = ["minimum", "ideal", "key_factors", "blocking_codes"]


@admin.register(cm.ServiceTypeSetting)
class ServiceTypeSettingAdmin(FixedRowsAdmin):
    form = ServiceTypeSettingForm
    list_display = ["service_type", "minimum", "ideal", "blocking"]
    filter_horizontal = ["key_factors"]
    key_fields = ("service_type",)

    @admin.display(description="Blocked by")
    def blocking(self, obj: cm.ServiceTypeSetting) -> str:
        return ", ".join(obj.blocking_codes)


@admin.register(cm.ComplexityDeduction)
class ComplexityDeductionAdmin(FixedRowsAdmin):
    list_display = ["complexity", "points"]
    list_editable = ["points"]
    key_fields = ("complexity",)


@admin.register(cm.RequirementMultiplier)
class RequirementMultiplierAdmin(DraftConfigAdmin):
    list_display = ["more_than", "multiplier"]


@admin.register(cm.TeamScore)
class TeamScoreAdmin(DraftConfigAdmin):
    list_display = ["minimum", "score"]


@admin.register(cm.FeasibilityLevel)
class FeasibilityLevelAdmin(FixedRowsAdmin):
    list_display = ["key", "label", "minimum"]
    list_editable = ["label", "minimum"]
    key_fields = ("key",)


@admin.register(cm.Approach)
class ApproachAdmin(FixedRowsAdmin):
    list_display = ["sub_score", "text", "position"]
    list_editable = ["text", "position"]
    key_fields = ("sub_score",)


@admin.register(cm.ProbabilityBand)
class ProbabilityBandAdmin(DraftConfigAdmin):
    list_display = ["key", "label", "minimum", "percent"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # Outcomes are counted per band key, so an existing band keeps its key.
        return ("key",) if obj else ()


@admin.register(cm.ScoringConfigVersion)
class ScoringConfigVersionAdmin(ReadOnlyAdmin):
    list_display = ["number", "published_at", "published_by", "note"]
    change_list_template = "leads/admin/version_change_list.html"

    def get_urls(self) -> list:
        publish = path("publish/", self.admin_site.admin_view(self.publish_view), name="leads_publish_config")
        return [publish, *super().get_urls()]

    def publish_view(self, request: HttpRequest) -> HttpResponse:
        """Preview what the draft would change, then publish it (which rescores the open leads)."""
        if not request.user.has_perm("leads.add_scoringconfigversion"):
            raise PermissionDenied
        if request.method == "POST":
            try:
                version, run = publish_config(actor=request.user, note=request.POST.get("note", ""))
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(request, f"Published version {version.number}; rescoring {run.total} open leads.")
                return redirect("admin:leads_rescorerun_changelist")
        context = {**self.admin_site.each_context(request), "title": "Preview and publish the scoring configuration"}
        try:
            context.update(preview=preview_publish(), unchanged=draft_is_published(), latest=latest_version())
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
        return TemplateResponse(request, "leads/admin/publish.html", context)


@admin.register(cm.RescoreRun)
class RescoreRunAdmin(ReadOnlyAdmin):
    list_display = ["version", "status", "progress", "level_changes", "created_at", "started_at", "finished_at"]
    readonly_fields = ["version", "status", "total", "done", "level_changes", "error", "started_at", "finished_at"]

    @admin.display(description="Progress")
    def progress(self, obj: cm.RescoreRun) -> str:
        return format_html("{} of {} ({}%)", obj.done, obj.total, obj.percent)


@admin.register(Lead)
class LeadAdmin(ReadOnlyAdmin):
    list_display = ["organization_name", "service_type", "status", "owner", "created_at", "portal_link"]
    list_filter = ["status", "service_type", "source"]
    search_fields = ["organization_name", "contact_name", "contact_email"]
    list_select_related = ["owner"]

    @admin.display(description="Open")
    def portal_link(self, obj: Lead) -> str:
        return format_html('<a href="{}">Lead page</a>', reverse("leads:detail", args=[obj.pk]))


@admin.register(LeadScore)
class LeadScoreAdmin(ReadOnlyAdmin):
    list_display = ["lead", "config_version", "qualification_score", "feasibility_score", "created_at"]
    list_select_related = ["lead", "config_version"]


@admin.register(GuaranteeOutcome)
class GuaranteeOutcomeAdmin(ReadOnlyAdmin):
    list_display = ["lead", "band", "succeeded", "recorded_at"]
    list_filter = ["band", "succeeded"]
