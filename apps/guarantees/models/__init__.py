"""Models of the 30-day guarantee: configuration (admin-edited) and the running guarantees with their evidence."""

from apps.guarantees.models.config import (
    EscalationText,
    GuaranteeTemplate,
    MethodSettings,
    RecoveryText,
    TemplateCriterion,
    TemplateMilestone,
)
from apps.guarantees.models.evidence import AppendOnlyError, Evidence, MilestoneScore, SignOff
from apps.guarantees.models.guarantee import Guarantee, Milestone, MilestoneAction, MilestoneCriterion
from apps.guarantees.models.participants import Participant

__all__ = [
    "AppendOnlyError",
    "EscalationText",
    "Evidence",
    "Guarantee",
    "GuaranteeTemplate",
    "MethodSettings",
    "Milestone",
    "MilestoneAction",
    "MilestoneCriterion",
    "MilestoneScore",
    "Participant",
    "RecoveryText",
    "SignOff",
    "TemplateCriterion",
    "TemplateMilestone",
]
