"""Validation methods whose evidence can come from machines (CI, scanners, monitors) as well as being entered.

Each evidence class checks itself on construction and raises ValueError with a message a person can act on.
Totals and targets must be above 0: a ratio over nothing measures nothing, so it is refused, not scored 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from apps.core.numbers import HUNDRED, ZERO, clamp, ratio_percent, round1
from apps.core.text import has_control_character
from apps.guarantees.methods_base import (
    MAX_ITEMS,
    MAX_NAME_LENGTH,
    MethodScore,
    MethodSettings,
    ScorePart,
    count,
    finish,
    human,
    not_above,
    number,
    percent,
    ratio_score,
)


@dataclass(frozen=True)
class AutomatedVerificationEvidence:
    checks: tuple[tuple[str, bool], ...]  # (check name, passed)

    def __post_init__(self) -> None:
        if isinstance(self.checks, str) or not isinstance(self.checks, tuple | list) or not self.checks:
            raise ValueError("At least one named check with its pass/fail result is needed.")
        if len(self.checks) > MAX_ITEMS:
            raise ValueError(f"At most {MAX_ITEMS} checks in one piece of evidence (got {len(self.checks):,}).")
        checks = tuple(_check(item) for item in self.checks)
        names = [name for name, _ in checks]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"Each check must be listed once; repeated: {', '.join(duplicates)}.")
        object.__setattr__(self, "checks", checks)


def _check(item: object) -> tuple[str, bool]:
    # JSON brings pairs as lists; a string "false" must not count as a pass, so the flag must be a bool.
    if not isinstance(item, tuple | list) or len(item) != 2:
        raise ValueError(f"A check must be a (name, passed) pair, not {item!r}.")
    name, passed = item
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"A check needs a name (got {name!r}).")
    if len(name) > MAX_NAME_LENGTH or has_control_character(name):
        raise ValueError(f"A check name must be plain text of at most {MAX_NAME_LENGTH} characters.")
    if not isinstance(passed, bool):
        raise ValueError(f"Check {name!r} must be passed true or false, not {passed!r}.")
    return name, passed


def score_automated_verification(evidence: AutomatedVerificationEvidence, settings: MethodSettings) -> MethodScore:
    checks = evidence.checks
    passed = sum(1 for _, ok in checks if ok)
    failed = [name for name, ok in checks if not ok]
    what = "checks passed" + (f" (failed: {', '.join(failed)})" if failed else "")
    result = ratio_score(passed, len(checks), "Checks passed", "Checks", what)
    # One part per check, so the page shows which named check failed, not only how many.
    per_check = tuple(ScorePart(name, Decimal(int(ok)), "passed" if ok else "failed") for name, ok in checks)
    return MethodScore(result.score, per_check + result.parts, result.reason)


@dataclass(frozen=True)
class AutomatedTestingEvidence:
    coverage_percent: Decimal
    tests_passed: int
    tests_total: int

    def __post_init__(self) -> None:
        percent(self, "coverage_percent")
        count(self, "tests_passed")
        count(self, "tests_total", positive=True)
        not_above(self, "tests_passed", "tests_total")


def score_automated_testing(evidence: AutomatedTestingEvidence, settings: MethodSettings) -> MethodScore:
    pass_rate = ratio_percent(evidence.tests_passed, evidence.tests_total)
    coverage_w, pass_w = settings.testing_coverage_weight, settings.testing_pass_rate_weight
    score, _ = finish(coverage_w * evidence.coverage_percent + pass_w * pass_rate)
    parts = (
        ScorePart("Coverage", evidence.coverage_percent, f"% x {coverage_w}"),
        ScorePart(
            "Pass rate",
            round1(pass_rate),
            f"{evidence.tests_passed} / {evidence.tests_total} x 100, x {pass_w}",
        ),
        ScorePart("Score", score, f"{coverage_w} x coverage + {pass_w} x pass rate"),
    )
    reason = f"{evidence.coverage_percent}% coverage, {round1(pass_rate)}% of tests passing: {score}."
    return MethodScore(score, parts, reason)


@dataclass(frozen=True)
class IntegrationTestingEvidence:
    endpoints_passing: int
    endpoints_total: int
    docs_published: bool

    def __post_init__(self) -> None:
        count(self, "endpoints_passing")
        count(self, "endpoints_total", positive=True)
        not_above(self, "endpoints_passing", "endpoints_total")
        if not isinstance(self.docs_published, bool):
            raise ValueError(f"Docs published must be true or false, not {self.docs_published!r}.")


def score_integration_testing(evidence: IntegrationTestingEvidence, settings: MethodSettings) -> MethodScore:
    ratio = ratio_percent(evidence.endpoints_passing, evidence.endpoints_total)
    # Undocumented endpoints are only partly usable by the customer's team, hence the discount.
    factor = Decimal(1) if evidence.docs_published else settings.integration_undocumented_factor
    score, _ = finish(ratio * factor)
    docs_note = "published" if evidence.docs_published else "not published"
    parts = (
        ScorePart(
            "Endpoints passing",
            round1(ratio),
            f"{evidence.endpoints_passing} / {evidence.endpoints_total} x 100",
        ),
        ScorePart("Docs factor", factor, f"API docs {docs_note}"),
        ScorePart("Score", score, "endpoints passing % x docs factor"),
    )
    reason = f"{evidence.endpoints_passing} of {evidence.endpoints_total} endpoints passing, docs {docs_note}: {score}."
    return MethodScore(score, parts, reason)


@dataclass(frozen=True)
class SecurityAuditEvidence:
    critical: int
    high: int
    medium: int
    low: int

    def __post_init__(self) -> None:
        for name in ("critical", "high", "medium", "low"):
            count(self, name)


def score_security_audit(evidence: SecurityAuditEvidence, settings: MethodSettings) -> MethodScore:
    penalties = (
        ("Critical findings", evidence.critical, settings.security_critical_penalty),
        ("High findings", evidence.high, settings.security_high_penalty),
        ("Medium findings", evidence.medium, settings.security_medium_penalty),
        ("Low findings", evidence.low, settings.security_low_penalty),
    )
    deduction = sum((Decimal(n) * each for _, n, each in penalties), ZERO)
    score, floored = finish(HUNDRED - deduction)
    parts = tuple(
        ScorePart(label, Decimal(n), f"-{each} each = -{Decimal(n) * each}") for label, n, each in penalties
    ) + (ScorePart("Score", score, f"100 - {deduction}" + (", floored at 0" if floored else "")),)
    reason = (
        f"{evidence.critical} critical, {evidence.high} high, {evidence.medium} medium, "
        f"{evidence.low} low finding(s): {score}."
    )
    return MethodScore(score, parts, reason)


@dataclass(frozen=True)
class AutomatedQualityChecksEvidence:
    gates_passed: int
    gates_total: int

    def __post_init__(self) -> None:
        count(self, "gates_passed")
        count(self, "gates_total", positive=True)
        not_above(self, "gates_passed", "gates_total")


def score_automated_quality_checks(evidence: AutomatedQualityChecksEvidence, settings: MethodSettings) -> MethodScore:
    return ratio_score(evidence.gates_passed, evidence.gates_total, "Gates passed", "Gates", "quality gates passed")


@dataclass(frozen=True)
class PerformanceTestingEvidence:
    avg_response_ms: Decimal
    target_response_ms: Decimal
    requests_per_second: Decimal
    target_rps: Decimal
    error_rate_percent: Decimal
    max_error_rate_percent: Decimal  # 0 means no errors are tolerated

    def __post_init__(self) -> None:
        for name in ("avg_response_ms", "target_response_ms", "requests_per_second", "target_rps"):
            number(self, name, minimum=ZERO)
        for name in ("target_response_ms", "target_rps"):
            if getattr(self, name) == 0:
                raise ValueError(f"{human(name)} must be above 0.")
        percent(self, "error_rate_percent")
        percent(self, "max_error_rate_percent")


def _error_part(error: Decimal, target: Decimal) -> Decimal:
    """The error rate against its target (the maximum tolerated), scored like the response time: at or under the
    target 100 (DOMAIN: each part against its target, capped at 100), then minus the share it overshoots by."""
    if target == 0:
        # With zero tolerance the rule's limit is all-or-nothing: no errors scores 100, any error 0.
        return HUNDRED if error == 0 else ZERO
    return clamp(HUNDRED - (error - target) / target * HUNDRED)


def score_performance_testing(evidence: PerformanceTestingEvidence, settings: MethodSettings) -> MethodScore:
    e = evidence
    # Each part is clamped on its own, so beating one target cannot hide missing another.
    response = clamp(HUNDRED - (e.avg_response_ms - e.target_response_ms) / e.target_response_ms * HUNDRED)
    throughput = clamp(e.requests_per_second / e.target_rps * HUNDRED)
    errors = _error_part(e.error_rate_percent, e.max_error_rate_percent)
    rw, tw, ew = (
        settings.performance_response_weight,
        settings.performance_throughput_weight,
        settings.performance_error_weight,
    )
    score, _ = finish(rw * response + tw * throughput + ew * errors)
    parts = (
        ScorePart("Response", round1(response), f"{e.avg_response_ms} ms vs {e.target_response_ms} ms, x {rw}"),
        ScorePart("Throughput", round1(throughput), f"{e.requests_per_second} rps vs {e.target_rps} rps, x {tw}"),
        ScorePart("Errors", round1(errors), f"{e.error_rate_percent}% vs max {e.max_error_rate_percent}%, x {ew}"),
        ScorePart("Score", score, f"{rw} x response + {tw} x throughput + {ew} x errors, each part 0-100"),
    )
    reason = (
        f"{e.avg_response_ms} ms, {e.requests_per_second} rps, {e.error_rate_percent}% errors against targets: {score}."
    )
    return MethodScore(score, parts, reason)


@dataclass(frozen=True)
class DeploymentVerificationEvidence:
    uptime_percent: Decimal
    target_uptime_percent: Decimal  # the caller passes the configured target (DOMAIN default 99.9)
    checklist_done: int
    checklist_total: int

    def __post_init__(self) -> None:
        percent(self, "uptime_percent")
        percent(self, "target_uptime_percent")
        if self.target_uptime_percent == 0:
            raise ValueError("Target uptime percent must be above 0.")
        count(self, "checklist_done")
        count(self, "checklist_total", positive=True)
        not_above(self, "checklist_done", "checklist_total")


def score_deployment_verification(evidence: DeploymentVerificationEvidence, settings: MethodSettings) -> MethodScore:
    """min(uptime / target, 1) x 100 x checklist share: meeting the target does not excuse an unfinished checklist."""
    e = evidence
    share = Decimal(e.checklist_done) / Decimal(e.checklist_total)
    uptime_ratio = min(e.uptime_percent / e.target_uptime_percent, Decimal(1))
    score, _ = finish(uptime_ratio * HUNDRED * share)
    parts = (
        ScorePart(
            "Uptime", round1(uptime_ratio * HUNDRED), f"min({e.uptime_percent}% / {e.target_uptime_percent}%, 1)"
        ),
        ScorePart("Checklist share", round1(share * HUNDRED), f"{e.checklist_done} / {e.checklist_total}"),
        ScorePart("Score", score, "min(uptime / target, 1) x 100 x checklist share"),
    )
    reason = (
        f"{e.uptime_percent}% uptime vs {e.target_uptime_percent}% target, "
        f"{e.checklist_done} of {e.checklist_total} checklist items: {score}."
    )
    return MethodScore(score, parts, reason)
