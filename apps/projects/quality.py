"""Quality gates: the metrics (declared once), the process measures and the run's verdict. Pure: no ORM, no clock.

A run checks each gate whose metric has a value (a missing metric is not checked). Family score = passed / checked x
100; a family with nothing checked has no score and its weight is shared, in proportion, by the families that have
one; comprehensive = the weighted mean. Escalate when comprehensive is under the configured floor or more gates
failed than the configured number. Scores are exact Decimal, rounded half-up to one decimal once, at the end; the
escalation compares the rounded comprehensive score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from apps.core.numbers import HUNDRED, round1

CODE, DELIVERY, PROCESS = "code", "delivery", "process"
FAMILIES = (CODE, DELIVERY, PROCESS)
FAMILY_LABELS = {CODE: "Code quality", DELIVERY: "Delivery quality", PROCESS: "Process quality"}


class Direction(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


DIRECTION_LABELS = {Direction.AT_LEAST: "at least", Direction.AT_MOST: "at most"}


@dataclass(frozen=True)
class Metric:
    """One gate's metric: its family, a human label, its unit, the range any door accepts, and what it measures."""

    key: str
    family: str
    label: str
    unit: str
    minimum: Decimal
    maximum: Decimal
    whole: bool = False
    measures: str = ""

    @property
    def from_portal(self) -> bool:
        return self.family == PROCESS


def _metric(key: str, family: str, label: str, unit: str, maximum: int, measures: str, whole: bool = False) -> Metric:
    return Metric(key, family, label, unit, Decimal(0), Decimal(maximum), whole, measures)


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        _metric("coverage_percent", CODE, "Test coverage", "%", 100, "Share of the code the automated tests run."),
        _metric(
            "cyclomatic_complexity",
            CODE,
            "Cyclomatic complexity",
            "",
            1000,
            "Independent paths through the most complex function (lower is simpler).",
        ),
        _metric("maintainability", CODE, "Maintainability", "/10", 10, "Maintainability rating from static analysis."),
        _metric(
            "high_critical_vulnerabilities",
            CODE,
            "High and critical vulnerabilities",
            "",
            100_000,
            "Open findings rated high or critical by the security scanner.",
            whole=True,
        ),
        _metric(
            "performance_p95_score",
            CODE,
            "Performance (p95 score)",
            "/100",
            100,
            "Score of the 95th-percentile response times against their budget.",
        ),
        _metric(
            "requirements_traceability",
            DELIVERY,
            "Requirements traceability",
            "%",
            100,
            "Requirements traced to code and tests.",
        ),
        _metric(
            "acceptance_criteria_coverage",
            DELIVERY,
            "Acceptance criteria coverage",
            "%",
            100,
            "Acceptance criteria with a passing test.",
        ),
        _metric(
            "stakeholder_approval",
            DELIVERY,
            "Stakeholder approval",
            "%",
            100,
            "Share of delivered items the stakeholders approved.",
        ),
        _metric("documentation", DELIVERY, "Documentation", "%", 100, "Completeness of the documentation checklist."),
        _metric(
            "milestone_adherence",
            PROCESS,
            "Milestone adherence",
            "%",
            100,
            "Weeks due that were signed off on or before their due date.",
        ),
        _metric(
            "responsiveness",
            PROCESS,
            "Responsiveness",
            "%",
            100,
            "Sign-off requests and escalations answered within their deadline.",
        ),
        _metric(
            "escalation_resolution_hours",
            PROCESS,
            "Escalation resolution time",
            " h",
            100_000,
            "Mean hours from an escalation to its resolution.",
        ),
        _metric("satisfaction", PROCESS, "Customer satisfaction", "/10", 10, "Mean satisfaction survey score."),
    )
}
INPUT_METRICS = tuple(key for key, metric in METRICS.items() if not metric.from_portal)
PROCESS_METRICS = tuple(key for key, metric in METRICS.items() if metric.from_portal)


def check_metric(key: str, value: Decimal) -> str:
    """Why a posted value is refused ('' when it is fine): the one range check every door (form, API) uses."""
    metric = METRICS[key]
    if not value.is_finite():
        return "Enter a finite number."
    if metric.whole and value != value.to_integral_value():
        return "Enter a whole number."
    if not metric.minimum <= value <= metric.maximum:
        return f"Enter a number from {metric.minimum} to {metric.maximum}."
    return ""


# --- configuration in, verdict out -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GateRule:
    key: str
    threshold: Decimal
    direction: str
    recommendation: str


@dataclass(frozen=True)
class GateConfig:
    gates: tuple[GateRule, ...]
    weights: Mapping[str, Decimal]
    escalate_below: Decimal
    escalate_failed_over: int
    version: int


@dataclass(frozen=True)
class GateResult:
    key: str
    family: str
    value: Decimal | None
    threshold: Decimal
    direction: str
    passed: bool | None  # None: not checked (no value)

    @property
    def checked(self) -> bool:
        return self.passed is not None


@dataclass(frozen=True)
class FamilyResult:
    family: str
    gates: tuple[GateResult, ...]
    weight: Decimal
    share: Decimal | None  # the weight it carries in the comprehensive score once unscored families are left out
    exact: Decimal | None

    @property
    def checked(self) -> int:
        return sum(g.checked for g in self.gates)

    @property
    def passed(self) -> int:
        return sum(g.passed is True for g in self.gates)

    @property
    def score(self) -> Decimal | None:
        return None if self.exact is None else round1(self.exact)


@dataclass(frozen=True)
class RunResult:
    families: tuple[FamilyResult, ...]
    comprehensive: Decimal | None
    escalate: bool
    reasons: tuple[str, ...]
    recommendations: tuple[tuple[str, str], ...]
    version: int

    @property
    def gates(self) -> tuple[GateResult, ...]:
        return tuple(g for f in self.families for g in f.gates)

    @property
    def checked(self) -> int:
        return sum(f.checked for f in self.families)

    @property
    def passed(self) -> int:
        return sum(f.passed for f in self.families)

    @property
    def failed(self) -> int:
        return self.checked - self.passed


def gate_passes(value: Decimal, threshold: Decimal, direction: str) -> bool:
    """At the threshold passes both ways: at least 95 passes at 95.0, at most 10 passes at 10."""
    return value >= threshold if direction == Direction.AT_LEAST else value <= threshold


def evaluate(config: GateConfig, values: Mapping[str, Decimal | None]) -> RunResult:
    """Check every configured gate against `values` (metric key -> value, None or absent when unknown)."""
    results = []
    for rule in config.gates:
        value = values.get(rule.key)
        passed = None if value is None else gate_passes(value, rule.threshold, rule.direction)
        results.append(GateResult(rule.key, METRICS[rule.key].family, value, rule.threshold, rule.direction, passed))
    exact = {family: _family_exact([r for r in results if r.family == family]) for family in FAMILIES}
    scored_weight = sum((config.weights[f] for f in FAMILIES if exact[f] is not None), Decimal(0))
    families = tuple(
        FamilyResult(
            family=f,
            gates=tuple(r for r in results if r.family == f),
            weight=config.weights[f],
            share=config.weights[f] / scored_weight if exact[f] is not None and scored_weight else None,
            exact=exact[f],
        )
        for f in FAMILIES
    )
    comprehensive = _comprehensive(families)
    reasons = _escalation_reasons(config, comprehensive, sum(r.passed is False for r in results))
    texts = {rule.key: rule.recommendation for rule in config.gates}
    recommendations = tuple((r.key, texts[r.key]) for r in results if r.passed is False)
    return RunResult(families, comprehensive, bool(reasons), reasons, recommendations, config.version)


def _family_exact(gates: Sequence[GateResult]) -> Decimal | None:
    checked = [g for g in gates if g.checked]
    if not checked:
        return None
    return Decimal(sum(g.passed is True for g in checked)) / Decimal(len(checked)) * HUNDRED


def _comprehensive(families: Sequence[FamilyResult]) -> Decimal | None:
    scored = [f for f in families if f.exact is not None and f.share is not None]
    if not scored:
        return None
    return round1(sum((f.share * f.exact for f in scored), Decimal(0)))  # type: ignore[operator]


def _escalation_reasons(config: GateConfig, comprehensive: Decimal | None, failed: int) -> tuple[str, ...]:
    reasons = []
    if comprehensive is not None and comprehensive < config.escalate_below:
        reasons.append(f"Comprehensive score {comprehensive} is under {config.escalate_below}.")
    if failed > config.escalate_failed_over:
        reasons.append(f"{failed} gates failed (more than {config.escalate_failed_over}).")
    return tuple(reasons)


# --- process measures from the portal's own data ----------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """A process metric with where it came from: the count behind it and one line per record it counted."""

    key: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: int
    explanation: str
    records: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DueWeek:
    label: str
    due_on: date
    signed_off_on: date | None


@dataclass(frozen=True)
class Request:
    """Something the portal asked for and expects an answer to by a deadline: a sign-off or an escalation."""

    label: str
    asked_on: date
    deadline: date
    answered_on: date | None


@dataclass(frozen=True)
class Escalation:
    label: str
    hours_to_resolve: Decimal | None  # None: still open


def milestone_adherence(weeks: Sequence[DueWeek], today: date) -> Measure:
    """Weeks whose due date has passed that were signed off on or before it."""
    due = [w for w in weeks if w.due_on < today]
    on_time = [w for w in due if w.signed_off_on is not None and w.signed_off_on <= w.due_on]
    records = tuple(
        f"{w.label}: due {w.due_on:%d %b %Y}, "
        + (f"signed off {w.signed_off_on:%d %b %Y}" if w.signed_off_on else "not signed off")
        + (" (on time)" if w in on_time else " (late)")
        for w in due
    )
    empty = "No week is past its due date yet."
    return _ratio("milestone_adherence", len(on_time), len(due), "weeks signed off on time", records, empty)


def responsiveness(requests: Sequence[Request], today: date) -> Measure:
    """Requests answered by their deadline, out of those answered or past their deadline (pending ones wait)."""
    counted = [r for r in requests if r.answered_on is not None or r.deadline < today]
    in_time = [r for r in counted if r.answered_on is not None and r.answered_on <= r.deadline]
    records = tuple(
        f"{r.label}: asked {r.asked_on:%d %b %Y}, deadline {r.deadline:%d %b %Y}, "
        + (f"answered {r.answered_on:%d %b %Y}" if r.answered_on else "no answer yet")
        + (" (in time)" if r in in_time else " (late)")
        for r in counted
    )
    empty = "No sign-off request or escalation answered or past its deadline yet."
    return _ratio("responsiveness", len(in_time), len(counted), "requests answered in time", records, empty)


def escalation_resolution(escalations: Sequence[Escalation]) -> Measure:
    """Mean hours from escalation to resolution, over the resolved escalations (open ones are listed, not counted)."""
    resolved = [e for e in escalations if e.hours_to_resolve is not None]
    records = tuple(
        f"{e.label}: " + (f"resolved in {round1(e.hours_to_resolve)} h" if e.hours_to_resolve is not None else "open")
        for e in escalations
    )
    if not resolved:
        return Measure("escalation_resolution_hours", None, None, 0, "No resolved escalation yet.", records)
    total = sum((e.hours_to_resolve for e in resolved), Decimal(0))  # type: ignore[misc]
    mean = round1(total / len(resolved))
    return Measure(
        "escalation_resolution_hours",
        mean,
        round1(total),
        len(resolved),
        f"{round1(total)} h over {len(resolved)} resolved escalation(s): {mean} h each on average.",
        records,
    )


def satisfaction(scores: Sequence[tuple[str, Decimal]]) -> Measure:
    """Mean of the satisfaction survey results (1-10) that exist for the project."""
    records = tuple(f"{label}: {score}/10" for label, score in scores)
    if not scores:
        return Measure("satisfaction", None, None, 0, "No satisfaction survey result yet.", records)
    total = sum((score for _, score in scores), Decimal(0))
    mean = round1(total / len(scores))
    return Measure(
        "satisfaction", mean, total, len(scores), f"Mean of {len(scores)} survey result(s): {mean}/10.", records
    )


def _ratio(key: str, numerator: int, denominator: int, noun: str, records: tuple[str, ...], empty: str) -> Measure:
    if not denominator:
        return Measure(key, None, None, 0, empty, records)
    value = round1(Decimal(numerator) / Decimal(denominator) * HUNDRED)
    return Measure(
        key, value, Decimal(numerator), denominator, f"{numerator} of {denominator} {noun}: {value}%.", records
    )
