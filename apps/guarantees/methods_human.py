"""Validation methods whose evidence comes from people: approvals, reviews, ratings, demos, surveys.

Each evidence class checks itself on construction and raises ValueError with a message a person can act on.
Totals must be at least 1: a ratio over nothing measures nothing, so it is refused rather than scored 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from apps.core.numbers import HUNDRED, ZERO, round1, round2
from apps.guarantees.methods_base import (
    MAX_ITEMS,
    ONE,
    MethodScore,
    MethodSettings,
    ScorePart,
    as_number,
    count,
    finish,
    not_above,
    number,
    percent,
    ratio_score,
    text,
)

TEN = Decimal(10)
RATING_MIN = Decimal(1)


@dataclass(frozen=True)
class StakeholderSignOffEvidence:
    approved: int  # required approvers who approved
    required: int

    def __post_init__(self) -> None:
        count(self, "approved")
        count(self, "required", positive=True)
        not_above(self, "approved", "required")


def score_stakeholder_sign_off(evidence: StakeholderSignOffEvidence, settings: MethodSettings) -> MethodScore:
    return ratio_score(
        evidence.approved, evidence.required, "Approved", "Required approvers", "required approvers approved"
    )


@dataclass(frozen=True)
class TechnicalReviewEvidence:
    reviewer: str
    score: Decimal  # out of 10, decimals allowed
    notes: str = ""

    def __post_init__(self) -> None:
        text(self, "reviewer")
        number(self, "score", minimum=ZERO, maximum=TEN)
        text(self, "notes", required=False)


def score_technical_review(evidence: TechnicalReviewEvidence, settings: MethodSettings) -> MethodScore:
    score, _ = finish(evidence.score * TEN)
    parts = (
        ScorePart("Review score", evidence.score, f"out of 10, by {evidence.reviewer}"),
        ScorePart("Score", score, f"{evidence.score} x 10"),
    )
    return MethodScore(score, parts, f"{evidence.reviewer} scored it {evidence.score}/10: {score}.")


@dataclass(frozen=True)
class StakeholderFeedbackEvidence:
    ratings: tuple[Decimal, ...]  # one 1-10 rating per stakeholder

    def __post_init__(self) -> None:
        if isinstance(self.ratings, str) or not isinstance(self.ratings, tuple | list):
            raise ValueError("Ratings must be a list of numbers from 1 to 10.")
        if not self.ratings:
            raise ValueError("At least one rating is needed.")
        if len(self.ratings) > MAX_ITEMS:
            raise ValueError(f"At most {MAX_ITEMS} ratings in one piece of evidence.")
        object.__setattr__(self, "ratings", tuple(_rating(value, i) for i, value in enumerate(self.ratings, 1)))


def _rating(value: object, position: int) -> Decimal:
    try:
        return as_number(value, f"Rating {position}", minimum=RATING_MIN, maximum=TEN)
    except ValueError:
        raise ValueError(f"Rating {position} must be a number from 1 to 10 (got {value!r}).") from None


def score_stakeholder_feedback(evidence: StakeholderFeedbackEvidence, settings: MethodSettings) -> MethodScore:
    ratings = evidence.ratings
    mean = sum(ratings, ZERO) / len(ratings)
    score, _ = finish(mean * TEN)
    parts = (
        ScorePart("Ratings", Decimal(len(ratings)), "from stakeholders, 1-10 each"),
        ScorePart("Mean rating", round1(mean), f"{' + '.join(str(r) for r in ratings)} / {len(ratings)}"),
        ScorePart("Score", score, "mean x 10"),
    )
    return MethodScore(score, parts, f"Mean of {len(ratings)} rating(s) is {round1(mean)}/10: {score}.")


@dataclass(frozen=True)
class StakeholderDemoEvidence:
    features_demonstrated: int  # never more than planned (DOMAIN: demonstrated <= planned)
    features_planned: int
    confirmed_by: str  # the stakeholder(s) who confirmed the demo in the client view

    def __post_init__(self) -> None:
        count(self, "features_demonstrated")
        count(self, "features_planned", positive=True)
        not_above(self, "features_demonstrated", "features_planned")
        text(self, "confirmed_by")


def score_stakeholder_demo(evidence: StakeholderDemoEvidence, settings: MethodSettings) -> MethodScore:
    return ratio_score(
        evidence.features_demonstrated,
        evidence.features_planned,
        "Features demonstrated",
        "Features planned",
        f"planned features demonstrated, confirmed by {evidence.confirmed_by}",
    )


@dataclass(frozen=True)
class UserTestingEvidence:
    participants_approving: int
    participants_total: int

    def __post_init__(self) -> None:
        count(self, "participants_approving")
        count(self, "participants_total", positive=True)
        not_above(self, "participants_approving", "participants_total")


def score_user_testing(evidence: UserTestingEvidence, settings: MethodSettings) -> MethodScore:
    return ratio_score(
        evidence.participants_approving,
        evidence.participants_total,
        "Participants approving",
        "Participants invited",
        "invited UAT participants approved (one who has not voted counts as not approving)",
    )


@dataclass(frozen=True)
class DocumentationReviewEvidence:
    checklist_done: int
    checklist_total: int

    def __post_init__(self) -> None:
        count(self, "checklist_done")
        count(self, "checklist_total", positive=True)
        not_above(self, "checklist_done", "checklist_total")


def score_documentation_review(evidence: DocumentationReviewEvidence, settings: MethodSettings) -> MethodScore:
    return ratio_score(
        evidence.checklist_done,
        evidence.checklist_total,
        "Checklist items done",
        "Checklist items",
        "documentation checklist items done",
    )


@dataclass(frozen=True)
class TrainingCompletionEvidence:
    sessions_held: int  # may exceed the plan; the ratio is capped at 1
    sessions_planned: int
    attendance_percent: Decimal

    def __post_init__(self) -> None:
        count(self, "sessions_held")
        count(self, "sessions_planned", positive=True)
        percent(self, "attendance_percent")


def score_training_completion(evidence: TrainingCompletionEvidence, settings: MethodSettings) -> MethodScore:
    ratio = min(Decimal(evidence.sessions_held) / Decimal(evidence.sessions_planned), ONE)
    score, _ = finish(ratio * evidence.attendance_percent)
    parts = (
        ScorePart(
            "Sessions ratio",
            round1(ratio * HUNDRED),
            f"{evidence.sessions_held} / {evidence.sessions_planned} held, as %, capped at 100",
        ),
        ScorePart("Attendance", evidence.attendance_percent, "%"),
        ScorePart("Score", score, "sessions ratio x attendance %"),
    )
    reason = (
        f"{evidence.sessions_held} of {evidence.sessions_planned} sessions held, "
        f"{evidence.attendance_percent}% attendance: {score}."
    )
    return MethodScore(score, parts, reason)


@dataclass(frozen=True)
class SatisfactionSurveyEvidence:
    score: Decimal  # survey result, 1-10
    response_rate_percent: Decimal

    def __post_init__(self) -> None:
        number(self, "score", minimum=RATING_MIN, maximum=TEN)
        percent(self, "response_rate_percent")


def score_satisfaction_survey(evidence: SatisfactionSurveyEvidence, settings: MethodSettings) -> MethodScore:
    # A survey few people answered says less, so the score shrinks until the response rate reaches the bar.
    full_rate = settings.survey_full_response_rate_percent
    factor = min(evidence.response_rate_percent / full_rate, ONE)
    score, _ = finish(evidence.score * TEN * factor)
    # A mean of answers or a response rate like 2 / 3 has many digits: scored exactly, shown to two decimals.
    shown_score, shown_rate = _shown(evidence.score), _shown(evidence.response_rate_percent)
    parts = (
        ScorePart("Survey score", shown_score, "out of 10"),
        ScorePart("Response factor", round1(factor * HUNDRED), f"min({shown_rate}% / {full_rate}%, 1), as %"),
        ScorePart("Score", score, "survey score x 10 x response factor"),
    )
    reason = f"Survey {shown_score}/10 at {shown_rate}% response: {score}."
    return MethodScore(score, parts, reason)


def _shown(value: Decimal) -> Decimal:
    """Two decimals at most, without trailing zeros or an exponent: 8.333... -> 8.33, 90.00 -> 90."""
    return Decimal(format(round2(value).normalize(), "f"))
