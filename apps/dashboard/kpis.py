"""The executive KPIs of DOMAIN section 7: one registry entry each, computed from the records it counts.

Every KPI reads a list of `Record`s (one per thing counted) and its value follows from them alone, so the page, the
API, the drill-down and the CSV all agree and anyone can recompute the figure. Targets are admin-edited
(`KpiTarget`); the rest of an entry (name, formula in words, window, direction, owner) is code.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from apps.core.numbers import round1
from apps.customers.models import Customer
from apps.guarantees.models import Milestone
from apps.leads.models import Lead
from apps.outcomes.models import Claim, FinalValidation
from apps.projects.models import Project, QualityGateRun
from apps.projects.quality import METRICS as QUALITY_METRICS
from apps.retention.models import Opportunity, SurveyAnswer

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Filters:
    csm_id: int | None = None
    segment: str = ""
    service_type: str = ""

    def as_query(self) -> dict[str, Any]:
        query: dict[str, Any] = {}
        if self.csm_id:
            query["csm"] = self.csm_id
        if self.segment:
            query["segment"] = self.segment
        if self.service_type:
            query["service_type"] = self.service_type
        return query


@dataclass(frozen=True)
class Record:
    type: str
    id: int
    label: str
    in_numerator: bool
    value: Decimal | None = None


@dataclass(frozen=True)
class Result:
    value: Decimal | None
    numerator: Decimal | None
    denominator: int


@dataclass(frozen=True)
class Kpi:
    key: str
    name: str
    formula: str
    window_days: int
    direction: str  # "at_least" or "at_most"
    unit: str  # percent, hours, score, nps
    kind: str  # ratio, mean, median, nps, money_share
    owner: str
    records: Callable[[Filters, dt.datetime], list[Record]]
    # Which filters apply: a lead that never became a customer has no segment, for example.
    filters_applied: tuple[str, ...] = ("csm", "segment", "service_type")
    # The value alone, computed in the database (for KPIs over the whole book); None: evaluate the records.
    summarize: Callable[[Filters, dt.datetime], Result] | None = None

    def status(self, value: Decimal | None, target: Decimal) -> str:
        if value is None:
            return "no_data"
        met = value >= target if self.direction == "at_least" else value <= target
        return "met" if met else "missed"


def evaluate(kind: str, records: list[Record]) -> Result:
    """The KPI's value from its records alone (the same arithmetic the CSV lets anyone redo)."""
    count = len(records)
    if not count:
        return Result(None, None, 0)
    if kind == "ratio":
        hits = sum(1 for record in records if record.in_numerator)
        return Result(round1(Decimal(hits) / count * HUNDRED), Decimal(hits), count)
    values = [record.value for record in records if record.value is not None]
    if kind == "mean":
        total = sum(values, Decimal(0))
        return Result(round1(total / count), round1(total), count)
    if kind == "median":
        middle = Decimal(statistics.median(values))
        return Result(round1(middle), round1(middle), count)
    if kind == "nps":
        promoters = sum(1 for value in values if value >= 9)
        detractors = sum(1 for value in values if value <= 6)
        return Result(round1(Decimal(promoters - detractors) / count * HUNDRED), Decimal(promoters - detractors), count)
    if kind == "money_share":
        total = sum(values, Decimal(0))
        part = sum((record.value for record in records if record.in_numerator and record.value), Decimal(0))
        if not total:
            return Result(None, part, count)
        return Result(round1(part / total * HUNDRED), part, count)
    raise ValueError(f"Unknown KPI kind {kind!r}")


def _window(as_of: dt.datetime, days: int) -> tuple[dt.datetime, dt.datetime]:
    return as_of - dt.timedelta(days=days), as_of


def _customer_filters(queryset: QuerySet, filters: Filters, path: str) -> QuerySet:
    prefix = f"{path}__" if path else ""
    if filters.csm_id:
        queryset = queryset.filter(**{f"{prefix}owner_id": filters.csm_id})
    if filters.segment:
        queryset = queryset.filter(**{f"{prefix}segment": filters.segment})
    return queryset


def _decided_leads(filters: Filters, as_of: dt.datetime, days: int) -> QuerySet:
    start, end = _window(as_of, days)
    leads = Lead.objects.filter(
        status__in=[Lead.Status.WON, Lead.Status.LOST], updated_at__gt=start, updated_at__lte=end
    )
    if filters.csm_id:
        leads = leads.filter(owner_id=filters.csm_id)
    if filters.service_type:
        leads = leads.filter(service_type=filters.service_type)
    return leads.order_by("updated_at", "pk")


def _lead_conversion(filters: Filters, as_of: dt.datetime) -> list[Record]:
    leads = _decided_leads(filters, as_of, 30).only("pk", "organization_name", "status")
    return [
        Record("lead", lead.pk, f"{lead.organization_name} ({lead.get_status_display().lower()})", lead.status == "won")
        for lead in leads
    ]


def _qualification_accuracy(filters: Filters, as_of: dt.datetime) -> list[Record]:
    # Plain values: a stored score's JSON parts (kilobytes a lead) are not needed for its headline number.
    leads = _decided_leads(filters, as_of, 90).filter(latest_score__isnull=False)
    records = []
    for pk, name, status, score in leads.values_list(
        "pk", "organization_name", "status", "latest_score__qualification_score"
    ):
        qualified = score >= 60
        won = status == Lead.Status.WON
        label = f"{name}: qualification {score}, {status}"
        records.append(Record("lead", pk, label, qualified == won, score))
    return records


def _time_to_onboarding(filters: Filters, as_of: dt.datetime) -> list[Record]:
    start, end = _window(as_of, 30)
    projects = Project.objects.filter(kickoff_completed_at__gt=start, kickoff_completed_at__lte=end)
    projects = _customer_filters(projects, filters, "customer")
    if filters.service_type:
        projects = projects.filter(service_type=filters.service_type)
    records = []
    rows = projects.order_by("kickoff_completed_at", "pk").values_list(
        "pk", "name", "kickoff_completed_at", "accepted_at"
    )
    for pk, name, completed_at, accepted_at in rows:
        hours = round1(Decimal((completed_at - accepted_at).total_seconds()) / 3600)
        records.append(Record("project", pk, name, True, hours))
    return records


def _validations_in_window(filters: Filters, as_of: dt.datetime, days: int, **extra: Any) -> QuerySet:
    start, end = _window(as_of, days)
    validations = FinalValidation.objects.filter(computed_at__gt=start, computed_at__lte=end, **extra)
    validations = _customer_filters(validations, filters, "guarantee__project__customer")
    if filters.service_type:
        validations = validations.filter(guarantee__service_type=filters.service_type)
    return validations


def _final_validations(filters: Filters, as_of: dt.datetime, days: int, **extra: Any) -> list[FinalValidation]:
    """Each guarantee once: its latest final validation in the window."""
    validations = _validations_in_window(filters, as_of, days, **extra)
    latest: dict[int, FinalValidation] = {}
    for validation in validations.select_related("guarantee__project").order_by("computed_at", "pk"):
        latest[validation.guarantee_id] = validation
    return list(latest.values())


def _validation_label(validation: FinalValidation) -> str:
    return f"{validation.guarantee.project.name}: {validation.get_outcome_display().lower()} ({validation.score})"


def _project_success(filters: Filters, as_of: dt.datetime) -> list[Record]:
    return [
        Record("final_validation", v.pk, _validation_label(v), v.outcome == FinalValidation.Outcome.SUCCEEDED)
        for v in _final_validations(filters, as_of, 90)
    ]


def _claim_rate(filters: Filters, as_of: dt.datetime) -> list[Record]:
    validations = _final_validations(filters, as_of, 90)
    claimed = set(
        Claim.objects.filter(guarantee_id__in=[v.guarantee_id for v in validations]).values_list(
            "guarantee_id", flat=True
        )
    )
    return [Record("final_validation", v.pk, _validation_label(v), v.guarantee_id in claimed) for v in validations]


def _case_study_rate(filters: Filters, as_of: dt.datetime) -> list[Record]:
    validations = _final_validations(filters, as_of, 90, outcome=FinalValidation.Outcome.SUCCEEDED)
    return [Record("final_validation", v.pk, _validation_label(v), v.case_study_candidate) for v in validations]


def _milestone_adherence(filters: Filters, as_of: dt.datetime) -> list[Record]:
    today = timezone.localdate(as_of)
    milestones = Milestone.objects.filter(due_date__gte=today - dt.timedelta(days=30), due_date__lt=today)
    milestones = _customer_filters(milestones, filters, "guarantee__project__customer")
    if filters.service_type:
        milestones = milestones.filter(guarantee__service_type=filters.service_type)
    records = []
    for milestone in milestones.select_related("guarantee__project").order_by("due_date", "pk"):
        on_time = milestone.closed_at is not None and timezone.localdate(milestone.closed_at) <= milestone.due_date
        label = f"Week {milestone.week} of {milestone.guarantee.project.name}, due {milestone.due_date:%d %b %Y}"
        records.append(Record("milestone", milestone.pk, label, on_time))
    return records


def _quality_gates(filters: Filters, as_of: dt.datetime) -> list[Record]:
    start, end = _window(as_of, 30)
    runs = QualityGateRun.objects.filter(created_at__gt=start, created_at__lte=end)
    runs = _customer_filters(runs, filters, "project__customer")
    if filters.service_type:
        runs = runs.filter(project__service_type=filters.service_type)
    records = []
    for run in runs.select_related("project").order_by("created_at", "pk"):
        for family in ("code", "delivery", "process"):
            for gate in (run.families.get(family) or {}).get("gates", []):
                if gate.get("passed") is None:
                    continue
                gate_name = QUALITY_METRICS[gate["key"]].label if gate["key"] in QUALITY_METRICS else gate["key"]
                label = f"{run.project.name}, run of {timezone.localdate(run.created_at):%d %b}: {gate_name}"
                records.append(Record("quality_gate_run", run.pk, label, bool(gate["passed"])))
    return records


def _answer_rows(filters: Filters, as_of: dt.datetime, field: str) -> QuerySet:
    start, end = _window(as_of, 90)
    answers = SurveyAnswer.objects.filter(answered_at__gt=start, answered_at__lte=end, **{f"{field}__isnull": False})
    answers = _customer_filters(answers, filters, "customer")
    if filters.service_type:
        answers = answers.filter(customer__projects__service_type=filters.service_type).distinct()
    return answers


def _answers(filters: Filters, as_of: dt.datetime, field: str) -> list[tuple[int, int, str, str]]:
    """(id, value, stakeholder name, customer name) of each answer: plain values, because at 10,000 customers
    building two model instances per answer made the KPI page take seconds (docs/performance.md)."""
    columns = ("pk", field, "invitation__stakeholder__name", "customer__name")
    return list(_answer_rows(filters, as_of, field).order_by("answered_at", "pk").values_list(*columns))


def _answer_label(person: str, customer: str, field: str, value: int) -> str:
    return f"{person} at {customer}: {field.upper()} {value}"


def _satisfaction(filters: Filters, as_of: dt.datetime) -> list[Record]:
    return [
        Record("survey_answer", pk, _answer_label(person, customer, "csat", csat), True, Decimal(csat))
        for pk, csat, person, customer in _answers(filters, as_of, "csat")
    ]


def _nps(filters: Filters, as_of: dt.datetime) -> list[Record]:
    return [
        Record("survey_answer", pk, _answer_label(person, customer, "nps", nps), nps >= 9, Decimal(nps))
        for pk, nps, person, customer in _answers(filters, as_of, "nps")
    ]


def _retained_customers(filters: Filters, as_of: dt.datetime) -> tuple[QuerySet, dt.date]:
    start, end = _window(as_of, 365)
    start_day, end_day = timezone.localdate(start), timezone.localdate(end)
    customers = Customer.objects.filter(created_at__lte=start).filter(
        Q(churned_on__isnull=True) | Q(churned_on__gt=start_day)
    )
    customers = _customer_filters(customers, filters, "")
    if filters.service_type:
        customers = customers.filter(projects__service_type=filters.service_type).distinct()
    return customers, end_day


def _customer_retention(filters: Filters, as_of: dt.datetime) -> list[Record]:
    customers, end_day = _retained_customers(filters, as_of)
    records = []
    for pk, name, churned_on in customers.order_by("name", "pk").values_list("pk", "name", "churned_on"):
        kept = churned_on is None or churned_on > end_day
        label = name if kept else f"{name} (churned {churned_on:%d %b %Y})"
        records.append(Record("customer", pk, label, kept))
    return records


def _first_projects_in_window(filters: Filters, start: dt.datetime, end: dt.datetime) -> QuerySet:
    """New business: projects signed (accepted) in the window by customers with no project signed before it."""
    earlier = Project.objects.filter(customer=OuterRef("customer"), accepted_at__lte=start)
    projects = Project.objects.filter(accepted_at__gt=start, accepted_at__lte=end).exclude(Exists(earlier))
    projects = _customer_filters(projects, filters, "customer")
    if filters.service_type:
        projects = projects.filter(service_type=filters.service_type)
    return projects.select_related("customer").order_by("accepted_at", "pk")


def _expansion_revenue(filters: Filters, as_of: dt.datetime) -> list[Record]:
    """Won expansion value (in the numerator) and new customers' project value, both signed in the last 90 days."""
    start, end = _window(as_of, 90)
    won = Opportunity.objects.filter(
        stage=Opportunity.Stage.WON, won_on__gt=timezone.localdate(start), won_on__lte=timezone.localdate(end)
    )
    won = _customer_filters(won, filters, "customer")
    if filters.service_type:
        won = won.filter(customer__projects__service_type=filters.service_type).distinct()
    records = [
        Record("opportunity", o.pk, f"{o}: won {o.won_on:%d %b %Y}", True, o.won_value)
        for o in won.select_related("customer", "type").order_by("won_on", "pk")
    ]
    for project in _first_projects_in_window(filters, start, end):
        signed = timezone.localdate(project.accepted_at)
        label = f"{project.name} ({project.customer.name}, new customer): signed {signed:%d %b %Y}"
        records.append(Record("project", project.pk, label, False, project.price))
    return records


# ---------------------------------------------------------------- summaries: the value without the records
# The KPI page shows only each value; for the KPIs that count the whole book these compute it in the database with
# the same arithmetic as `evaluate` (tests/dashboard/test_kpis.py checks that they agree).


def _ratio(hits: int, count: int) -> Result:
    return evaluate("ratio", [Record("", 0, "", True)] * hits + [Record("", 0, "", False)] * (count - hits))


def _mean_summary(field: str) -> Callable[[Filters, dt.datetime], Result]:
    def summarize(filters: Filters, as_of: dt.datetime) -> Result:
        totals = _answer_rows(filters, as_of, field).aggregate(total=Sum(field), count=Count("pk"))
        if not totals["count"]:
            return Result(None, None, 0)
        total = Decimal(totals["total"])
        return Result(round1(total / totals["count"]), round1(total), totals["count"])

    return summarize


def _nps_summary(filters: Filters, as_of: dt.datetime) -> Result:
    totals = _answer_rows(filters, as_of, "nps").aggregate(
        promoters=Count("pk", filter=Q(nps__gte=9)), detractors=Count("pk", filter=Q(nps__lte=6)), count=Count("pk")
    )
    if not totals["count"]:
        return Result(None, None, 0)
    net = Decimal(totals["promoters"] - totals["detractors"])
    return Result(round1(net / totals["count"] * HUNDRED), net, totals["count"])


def _retention_summary(filters: Filters, as_of: dt.datetime) -> Result:
    customers, end_day = _retained_customers(filters, as_of)
    totals = customers.aggregate(
        kept=Count("pk", filter=Q(churned_on__isnull=True) | Q(churned_on__gt=end_day)), count=Count("pk")
    )
    return _ratio(totals["kept"], totals["count"]) if totals["count"] else Result(None, None, 0)


def _ratio_of(queryset: QuerySet, hit: Q | Exists) -> Result:
    totals = queryset.aggregate(hits=Count("pk", filter=hit), count=Count("pk"))
    return _ratio(totals["hits"], totals["count"]) if totals["count"] else Result(None, None, 0)


def _lead_conversion_summary(filters: Filters, as_of: dt.datetime) -> Result:
    return _ratio_of(_decided_leads(filters, as_of, 30), Q(status=Lead.Status.WON))


def _qualification_accuracy_summary(filters: Filters, as_of: dt.datetime) -> Result:
    leads = _decided_leads(filters, as_of, 90).filter(latest_score__isnull=False)
    score = "latest_score__qualification_score"
    predicted = Q(**{f"{score}__gte": 60}, status=Lead.Status.WON) | Q(**{f"{score}__lt": 60}, status=Lead.Status.LOST)
    return _ratio_of(leads, predicted)


def _time_to_onboarding_summary(filters: Filters, as_of: dt.datetime) -> Result:
    """The median reads only the middle one or two projects by duration: rounding to tenths keeps the order, so
    their rounded hours are the middle of the records' values (computed the same way)."""
    start, end = _window(as_of, 30)
    projects = Project.objects.filter(kickoff_completed_at__gt=start, kickoff_completed_at__lte=end)
    projects = _customer_filters(projects, filters, "customer")
    if filters.service_type:
        projects = projects.filter(service_type=filters.service_type)
    count = projects.count()
    if not count:
        return Result(None, None, 0)
    by_duration = projects.order_by(F("kickoff_completed_at") - F("accepted_at"))
    middle_rows = by_duration.values_list("kickoff_completed_at", "accepted_at")[(count - 1) // 2 : count // 2 + 1]
    hours = [
        round1(Decimal((completed_at - accepted_at).total_seconds()) / 3600)
        for completed_at, accepted_at in middle_rows
    ]
    middle = round1(Decimal(statistics.median(hours)))
    return Result(middle, middle, count)


def _latest_validations(filters: Filters, as_of: dt.datetime, days: int, **extra: Any) -> QuerySet:
    """`_final_validations` as a query: the validations in the window with no later one (by computed_at, then id)
    of the same guarantee in the window (the filters are the guarantee's, so they hold for all its validations)."""
    start, end = _window(as_of, days)
    later = FinalValidation.objects.filter(
        Q(computed_at__gt=OuterRef("computed_at")) | Q(computed_at=OuterRef("computed_at"), pk__gt=OuterRef("pk")),
        guarantee_id=OuterRef("guarantee_id"),
        computed_at__gt=start,
        computed_at__lte=end,
        **extra,
    )
    return _validations_in_window(filters, as_of, days, **extra).exclude(Exists(later))


def _project_success_summary(filters: Filters, as_of: dt.datetime) -> Result:
    return _ratio_of(_latest_validations(filters, as_of, 90), Q(outcome=FinalValidation.Outcome.SUCCEEDED))


def _claim_rate_summary(filters: Filters, as_of: dt.datetime) -> Result:
    claimed = Exists(Claim.objects.filter(guarantee_id=OuterRef("guarantee_id")))
    return _ratio_of(_latest_validations(filters, as_of, 90), claimed)


def _case_study_summary(filters: Filters, as_of: dt.datetime) -> Result:
    latest = _latest_validations(filters, as_of, 90, outcome=FinalValidation.Outcome.SUCCEEDED)
    return _ratio_of(latest, Q(case_study_candidate=True))


def _milestone_adherence_summary(filters: Filters, as_of: dt.datetime) -> Result:
    today = timezone.localdate(as_of)
    milestones = Milestone.objects.filter(due_date__gte=today - dt.timedelta(days=30), due_date__lt=today)
    milestones = _customer_filters(milestones, filters, "guarantee__project__customer")
    if filters.service_type:
        milestones = milestones.filter(guarantee__service_type=filters.service_type)
    # `__date` is the local date of the current time zone, as timezone.localdate in the records.
    return _ratio_of(milestones, Q(closed_at__isnull=False, closed_at__date__lte=F("due_date")))


def _quality_gates_summary(filters: Filters, as_of: dt.datetime) -> Result:
    """Gates live in each run's JSON: only that column is read, and its gates counted."""
    start, end = _window(as_of, 30)
    runs = QualityGateRun.objects.filter(created_at__gt=start, created_at__lte=end)
    runs = _customer_filters(runs, filters, "project__customer")
    if filters.service_type:
        runs = runs.filter(project__service_type=filters.service_type)
    hits = count = 0
    for families in runs.values_list("families", flat=True):
        for family in ("code", "delivery", "process"):
            for gate in (families.get(family) or {}).get("gates", []):
                if gate.get("passed") is None:
                    continue
                count += 1
                hits += bool(gate["passed"])
    return _ratio(hits, count) if count else Result(None, None, 0)


def _expansion_revenue_summary(filters: Filters, as_of: dt.datetime) -> Result:
    start, end = _window(as_of, 90)
    won = Opportunity.objects.filter(
        stage=Opportunity.Stage.WON, won_on__gt=timezone.localdate(start), won_on__lte=timezone.localdate(end)
    )
    won = _customer_filters(won, filters, "customer")
    if filters.service_type:
        won = won.filter(customer__projects__service_type=filters.service_type).distinct()
    expansion = won.aggregate(total=Sum("won_value"), count=Count("pk"))
    new = _first_projects_in_window(filters, start, end).aggregate(total=Sum("price"), count=Count("pk"))
    count = expansion["count"] + new["count"]
    if not count:
        return Result(None, None, 0)
    part = expansion["total"] or Decimal(0)
    total = part + (new["total"] or Decimal(0))
    if not total:
        return Result(None, part, count)
    return Result(round1(part / total * HUNDRED), part, count)


REGISTRY: dict[str, Kpi] = {
    kpi.key: kpi
    for kpi in [
        Kpi(
            "lead_conversion",
            "Lead conversion",
            "Leads decided in the last 30 days (won, or lost/disqualified) that converted into a customer.",
            30,
            "at_least",
            "percent",
            "ratio",
            "Sales",
            _lead_conversion,
            summarize=_lead_conversion_summary,
            filters_applied=("csm", "service_type"),
        ),
        Kpi(
            "qualification_accuracy",
            "Qualification accuracy",
            "Leads decided in the last 90 days whose qualification predicted the outcome "
            "(qualified, 60 or more, and converted; or under 60 and lost).",
            90,
            "at_least",
            "percent",
            "ratio",
            "Sales",
            _qualification_accuracy,
            summarize=_qualification_accuracy_summary,
            filters_applied=("csm", "service_type"),
        ),
        Kpi(
            "time_to_onboarding",
            "Time to onboarding",
            "Median hours from proposal acceptance to kickoff complete, for kickoffs completed in the last 30 days.",
            30,
            "at_most",
            "hours",
            "median",
            "Delivery",
            _time_to_onboarding,
            summarize=_time_to_onboarding_summary,
        ),
        Kpi(
            "project_success_rate",
            "Project success rate",
            "Guarantees finally validated in the last 90 days that succeeded.",
            90,
            "at_least",
            "percent",
            "ratio",
            "Delivery",
            _project_success,
            summarize=_project_success_summary,
        ),
        Kpi(
            "milestone_timeline_adherence",
            "Milestone timeline adherence",
            "Milestones due in the last 30 days (due date passed) that were signed off on or before their due date.",
            30,
            "at_least",
            "percent",
            "ratio",
            "Delivery",
            _milestone_adherence,
            summarize=_milestone_adherence_summary,
        ),
        Kpi(
            "quality_gate_pass_rate",
            "Quality gate pass rate",
            "Gates passed of the gates checked in quality-gate runs of the last 30 days.",
            30,
            "at_least",
            "percent",
            "ratio",
            "Delivery",
            _quality_gates,
            summarize=_quality_gates_summary,
        ),
        Kpi(
            "satisfaction",
            "Satisfaction",
            "Mean CSAT (1-10) of survey answers in the last 90 days.",
            90,
            "at_least",
            "score",
            "mean",
            "Customer success",
            _satisfaction,
            summarize=_mean_summary("csat"),
        ),
        Kpi(
            "nps",
            "Net promoter score",
            "Promoters (9-10) minus detractors (0-6), as a share of the NPS answers of the last 90 days.",
            90,
            "at_least",
            "nps",
            "nps",
            "Customer success",
            _nps,
            summarize=_nps_summary,
        ),
        Kpi(
            "claim_rate",
            "Claim rate",
            "Guarantees finally validated in the last 90 days that had a claim opened.",
            90,
            "at_most",
            "percent",
            "ratio",
            "Customer success",
            _claim_rate,
            summarize=_claim_rate_summary,
        ),
        Kpi(
            "expansion_revenue",
            "Expansion revenue",
            "Value of expansion opportunities won in the last 90 days, as a share of that value plus the value of "
            "new customers' projects signed in the same days (a new customer: no project signed before).",
            90,
            "at_least",
            "percent",
            "money_share",
            "Customer success",
            _expansion_revenue,
            summarize=_expansion_revenue_summary,
        ),
        Kpi(
            "case_study_rate",
            "Case-study rate",
            "Guarantees that succeeded in the last 90 days and are case-study candidates.",
            90,
            "at_least",
            "percent",
            "ratio",
            "Marketing",
            _case_study_rate,
            summarize=_case_study_summary,
        ),
        Kpi(
            "customer_retention",
            "Customer retention",
            "Customers not churned a year ago (365 days) that are still not churned.",
            365,
            "at_least",
            "percent",
            "ratio",
            "Customer success",
            _customer_retention,
            summarize=_retention_summary,
        ),
    ]
}


@dataclass(frozen=True)
class KpiReading:
    kpi: Kpi
    target: Decimal
    result: Result
    records: list[Record]

    @property
    def status(self) -> str:
        return self.kpi.status(self.result.value, self.target)


def read_kpi(kpi: Kpi, *, targets: dict[str, Decimal], filters: Filters, as_of: dt.datetime) -> KpiReading:
    records = kpi.records(filters, as_of)
    return KpiReading(kpi, targets[kpi.key], evaluate(kpi.kind, records), records)


def read_all(*, targets: dict[str, Decimal], filters: Filters, as_of: dt.datetime) -> list[KpiReading]:
    return [read_kpi(kpi, targets=targets, filters=filters, as_of=as_of) for kpi in REGISTRY.values()]


def read_value(kpi: Kpi, *, targets: dict[str, Decimal], filters: Filters, as_of: dt.datetime) -> KpiReading:
    """The reading without its records (the KPI page's cards): from the summary where the KPI has one."""
    if kpi.summarize is None:
        return read_kpi(kpi, targets=targets, filters=filters, as_of=as_of)
    return KpiReading(kpi, targets[kpi.key], kpi.summarize(filters, as_of), [])


def read_values(*, targets: dict[str, Decimal], filters: Filters, as_of: dt.datetime) -> list[KpiReading]:
    return [read_value(kpi, targets=targets, filters=filters, as_of=as_of) for kpi in REGISTRY.values()]
