"""The portal's admin site: branded, with the models grouped into the sections an admin thinks in.

Installed through `PortalAdminConfig` (in INSTALLED_APPS instead of "django.contrib.admin"), so every
`@admin.register` lands here. A section lists its models in the order an admin needs them (configuration first,
then the records it drives); a model no section names still shows, under "Other", so nothing ever disappears.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.text import slugify

SECTIONS: list[tuple[str, list[str]]] = [
    (
        "Leads & scoring",
        [
            "leads.ScoringSettings",
            "leads.Criterion",
            "leads.QualificationLevel",
            "leads.DisqualifierLabel",
            "leads.ServiceTypeSetting",
            "leads.TimelineLimit",
            "leads.ComplexityDeduction",
            "leads.RequirementMultiplier",
            "leads.TeamScore",
            "leads.FeasibilityLevel",
            "leads.Approach",
            "leads.ProbabilityBand",
            "leads.ScoringConfigVersion",
            "leads.RescoreRun",
            "leads.Lead",
            "leads.LeadScore",
            "leads.GuaranteeOutcome",
        ],
    ),
    ("Tiers & proposals", ["tiers.Tier", "tiers.TierSettings", "tiers.Recommendation", "tiers.Proposal"]),
    (
        "Customers & people",
        ["customers.Customer", "customers.Stakeholder", "customers.ClientInvite", "accounts.User", "auth.Group"],
    ),
    ("Education", ["education.ContentItem", "education.EducationSettings", "education.EducationPlan"]),
    (
        "Projects & delivery",
        [
            "projects.TeamTemplate",
            "projects.Project",
            "projects.ProgressSettings",
            "projects.ProgressUpdate",
            "projects.QualityGateSettings",
            "projects.QualityGateRun",
        ],
    ),
    (
        "Guarantees",
        [
            "guarantees.GuaranteeTemplate",
            "guarantees.TemplateMilestone",
            "guarantees.MethodSettings",
            "guarantees.RecoveryText",
            "guarantees.EscalationText",
            "guarantees.Guarantee",
            "guarantees.Milestone",
            "guarantees.Evidence",
            "guarantees.SignOff",
            "guarantees.MilestoneAction",
        ],
    ),
    (
        "Outcomes & claims",
        [
            "outcomes.OutcomeSettings",
            "outcomes.FinalCriterionConfig",
            "outcomes.MigrationTaskTemplate",
            "outcomes.FinalValidation",
            "outcomes.FinalInput",
            "outcomes.SuccessDocument",
            "outcomes.Claim",
            "outcomes.Payout",
        ],
    ),
    (
        "Health & retention",
        [
            "retention.HealthSettings",
            "retention.ExpansionType",
            "retention.HealthScore",
            "retention.SurveyAnswer",
            "retention.Touchpoint",
            "retention.Review",
            "retention.Task",
            "retention.Opportunity",
            "retention.PlaybookSettings",
            "retention.Playbook",
            "retention.PlaybookRun",
        ],
    ),
    ("Dashboard & KPIs", ["dashboard.KpiTarget", "dashboard.KpiSnapshot"]),
    (
        "Notifications & API",
        [
            "notifications.OutboxMessage",
            "notifications.Notification",
            "notifications.WebhookEndpoint",
            "notifications.ChannelPreference",
            "api.ApiKey",
        ],
    ),
    (
        "Audit, security & background tasks",
        [
            "audit.AuditEvent",
            "axes.AccessAttempt",
            "axes.AccessFailureLog",
            "axes.AccessLog",
            "django_q.Schedule",
            "django_q.OrmQ",
            "django_q.Success",
            "django_q.Failure",
        ],
    ),
]
OTHER = "Other"


class PortalAdminSite(admin.AdminSite):
    site_header = "Success Portal · administration"
    site_title = "Success Portal admin"
    index_title = "Configuration and records"
    site_url = "/"

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        apps = super().get_app_list(request, app_label)
        if app_label:  # one app's own index page stays as Django builds it
            return apps
        return group_into_sections(apps)


def group_into_sections(apps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Regroup Django's per-app list into SECTIONS (the user's permissions already filtered `apps`)."""
    models = {f"{app['app_label']}.{model['object_name']}": (app, model) for app in apps for model in app["models"]}
    sections = []
    for title, keys in [*SECTIONS, (OTHER, list(models))]:
        found = [models.pop(key) for key in keys if key in models]
        if found:
            first_app = found[0][0]
            sections.append(
                {
                    "name": title,
                    "app_label": slugify(title),
                    "app_url": first_app["app_url"],
                    "has_module_perms": True,
                    "models": [model for _app, model in found],
                }
            )
    return sections


class PortalAdminConfig(AdminConfig):
    default_site = "apps.core.admin_site.PortalAdminSite"
