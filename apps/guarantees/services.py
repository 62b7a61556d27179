"""Writes of the 30-day guarantee, in one import. Each lives in its own module:

- activation.py: `activate_guarantee` (kickoff phase 5)
- transitions.py: `transition_guarantee` (the only way a guarantee's status changes), `sync_guarantee_status`
- recording.py: `record_evidence`; client_input.py: each stakeholder's answer (`record_stakeholder_response`,
  `record_stakeholder_input`) and `invite_participants`
- validation.py: `validate_milestone` (score, record, actions, notifications)
- signoff.py: `submit_for_sign_off`, `withdraw_from_sign_off`, `record_signoff`, `close_week`
- survey_answers.py: `record_survey_answers` (the retention app's week-4 survey answers as satisfaction evidence)
- actions.py: `update_action`
- extension.py: `extend_guarantee` (continued development, a claim remedy: extra weeks)
- quality_checks.py: `record_quality_gate_evidence` (a project's quality-gate run as evidence)
- reminders.py: `send_due_reminders`
"""

from __future__ import annotations

from apps.guarantees.actions import update_action
from apps.guarantees.activation import activate_guarantee
from apps.guarantees.client_input import (
    answerable_stakeholders,
    invite_participants,
    may_answer,
    record_stakeholder_input,
    record_stakeholder_response,
)
from apps.guarantees.extension import extend_guarantee
from apps.guarantees.quality_checks import record_quality_gate_evidence
from apps.guarantees.recording import record_evidence
from apps.guarantees.reminders import send_due_reminders
from apps.guarantees.signoff import close_week, record_signoff, submit_for_sign_off, withdraw_from_sign_off
from apps.guarantees.survey_answers import SurveyScore, record_survey_answers
from apps.guarantees.transitions import ALLOWED_TRANSITIONS, sync_guarantee_status, transition_guarantee
from apps.guarantees.validation import validate_milestone

__all__ = [
    "ALLOWED_TRANSITIONS",
    "SurveyScore",
    "activate_guarantee",
    "answerable_stakeholders",
    "close_week",
    "extend_guarantee",
    "invite_participants",
    "may_answer",
    "record_evidence",
    "record_quality_gate_evidence",
    "record_signoff",
    "record_stakeholder_input",
    "record_stakeholder_response",
    "record_survey_answers",
    "send_due_reminders",
    "submit_for_sign_off",
    "sync_guarantee_status",
    "transition_guarantee",
    "update_action",
    "validate_milestone",
    "withdraw_from_sign_off",
]
