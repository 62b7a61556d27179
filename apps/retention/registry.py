"""What health is made of, declared once: components, their parts, client-view features, expansion signals.

Pages, the API, the admin's seed and the tests iterate these; the numbers (weights, limits) live in configuration.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PartSpec:
    key: str
    label: str
    sentence: str


@dataclass(frozen=True)
class ComponentSpec:
    key: str
    label: str
    parts: tuple[PartSpec, ...]


COMPONENTS: tuple[ComponentSpec, ...] = (
    ComponentSpec(
        "satisfaction",
        "Satisfaction",
        (
            PartSpec("csat", "CSAT", "Mean CSAT of the last 90 days' survey answers x 10."),
            PartSpec("nps", "NPS", "NPS of the last 90 days' answers, mapped (NPS + 100) / 2."),
            PartSpec(
                "support_rating", "Support rating", "Mean CSAT x 10 asked when a recovery action or claim closed."
            ),
            PartSpec(
                "sentiment", "Stakeholder sentiment", "The CSM's sentiment rating 1-10 x 10 at the latest review."
            ),
        ),
    ),
    ComponentSpec(
        "engagement",
        "Engagement",
        (
            PartSpec("active_days", "Active days", "Distinct days with client-view activity in 30 days, of a target."),
            PartSpec("features_used", "Features used", "Client-view features used in 30 days / all features x 100."),
            PartSpec("touchpoints", "Touchpoints", "CSM-logged calls, meetings and emails in 30 days, of a target."),
            PartSpec("survey_response_rate", "Survey response rate", "Invitations answered / sent in 90 days x 100."),
        ),
    ),
    ComponentSpec(
        "project_success",
        "Project success",
        (
            PartSpec("milestones_succeeded", "Milestones succeeded", "Milestones scored success / milestones scored."),
            PartSpec("signed_off_on_time", "Signed off on time", "Milestones signed off by their due date / due."),
            PartSpec("quality_score", "Quality score", "The latest quality-gate run's comprehensive score."),
        ),
    ),
    ComponentSpec(
        "business_outcomes",
        "Business outcomes",
        (
            PartSpec("roi_achieved", "ROI achieved", "Entered by the CSM at the latest review (0-100)."),
            PartSpec("business_impact", "Business impact", "Entered by the CSM at the latest review (0-100)."),
            PartSpec("goals_met", "Success-plan goals met", "Entered by the CSM at the latest review (0-100)."),
        ),
    ),
    ComponentSpec(
        "relationship",
        "Relationship",
        (
            PartSpec("stakeholders_active", "Stakeholders active", "Stakeholders active in 30 days / with a login."),
            PartSpec(
                "sponsor_engaged", "Sponsor engaged", "An executive active in the client view in 30 days: 100 or 0."
            ),
            PartSpec("open_escalations", "Open escalations", "100 minus a penalty per failed week or open claim."),
        ),
    ),
)

COMPONENT_KEYS = tuple(c.key for c in COMPONENTS)
PART_KEYS = {c.key: tuple(p.key for p in c.parts) for c in COMPONENTS}
LABELS = {c.key: c.label for c in COMPONENTS} | {p.key: p.label for c in COMPONENTS for p in c.parts}

# Client-view features whose use counts towards engagement (key, label).
FEATURES: tuple[tuple[str, str], ...] = (
    ("guarantee", "Guarantee"),
    ("sign_off", "Sign-off"),
    ("evidence_input", "Evidence input"),
    ("learning", "Learning"),
    ("outcomes", "Outcomes"),
    ("surveys", "Surveys"),
)

# Expansion signals a CSM records at a review: the triggers portal data cannot know (key, label).
EXPANSION_SIGNALS: tuple[tuple[str, str], ...] = (
    ("feature_requests_open", "Feature requests open"),
    ("platform_usage_70", "Platform usage at 70% or more"),
    ("team_growth", "Team growth"),
    ("performance_bottleneck", "Performance bottleneck"),
    ("hiring_challenges", "Hiring challenges"),
    ("backlog_growth", "Backlog growth"),
    ("skill_gaps", "Skill gaps"),
    ("company_growth_50", "Company growth of 50% or more"),
    ("new_compliance_needs", "New compliance needs"),
    ("enterprise_features_requested", "Enterprise features requested"),
)
# Triggers the portal knows itself.
PORTAL_SIGNALS: tuple[tuple[str, str], ...] = (
    ("mvp_guarantee_succeeded", "An MVP guarantee succeeded"),
    ("satisfaction_at_least_8", "Mean CSAT of 8 or more"),
)
SIGNAL_LABELS = dict(EXPANSION_SIGNALS) | dict(PORTAL_SIGNALS)

STRATEGIES: tuple[tuple[str, str], ...] = (
    ("critical_intervention", "Critical intervention"),
    ("at_risk_recovery", "At-risk recovery"),
    ("improvement", "Improvement"),
    ("expansion", "Expansion"),
    ("nurture", "Nurture"),
)
BANDS: tuple[tuple[str, str], ...] = (
    ("excellent", "Excellent"),
    ("good", "Good"),
    ("fair", "Fair"),
    ("at_risk", "At risk"),
    ("critical", "Critical"),
)
CHURN_FACTORS: tuple[tuple[str, str], ...] = (
    ("low_health", "Low health"),
    ("falling_trend", "Falling trend"),
    ("open_escalation", "Open escalation"),
    ("detractor", "Detractor"),
    ("inactive", "Inactive"),
)
