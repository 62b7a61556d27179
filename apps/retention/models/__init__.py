from apps.retention.models.config import ExpansionType, HealthSettings, HealthWeight
from apps.retention.models.engagement import Activity, Review, Touchpoint
from apps.retention.models.expansion import Opportunity
from apps.retention.models.health import HealthScore, HealthSnapshot
from apps.retention.models.playbooks import Playbook, PlaybookAction, PlaybookRun, PlaybookSettings
from apps.retention.models.surveys import Survey, SurveyAnswer, SurveyInvitation
from apps.retention.models.tasks import Task

__all__ = [
    "Activity",
    "ExpansionType",
    "HealthScore",
    "HealthSettings",
    "HealthSnapshot",
    "HealthWeight",
    "Opportunity",
    "Playbook",
    "PlaybookAction",
    "PlaybookRun",
    "PlaybookSettings",
    "Review",
    "Survey",
    "SurveyAnswer",
    "SurveyInvitation",
    "Task",
    "Touchpoint",
]
