"""Compute and store health for customers in batches: the same path for one customer, the nightly run and the bench.

1. load the configuration once; 2. per batch, load every customer's inputs set-based (loader.py);
3. score each with the pure rules; 4. upsert the latest `HealthScore` and today's `HealthSnapshot` in bulk;
5. write the derived customer statuses through the customers app's service, and identify expansion opportunities
   from the expansion results (`opportunities.identify_opportunities`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from apps.customers.models import Customer
from apps.customers.services import apply_derived_statuses
from apps.retention.bulk import upsert
from apps.retention.config import load_config
from apps.retention.loader import load_inputs
from apps.retention.models import HealthScore, HealthSnapshot
from apps.retention.opportunities import identify_opportunities
from apps.retention.playbooks import CRITICAL, StartHealth, start_critical_interventions
from apps.retention.scoring import score_health
from apps.retention.scoring_types import HealthConfig, HealthInputs, HealthResult, Source

BATCH = 1000
SCORE_FIELDS = [
    "score",
    "band",
    "components_with_data",
    "components",
    "inputs",
    "weights",
    "trend_30d",
    "trend_90d",
    "churn_risk",
    "churn_factors",
    "expansion",
    "expansion_potential",
    "strategy",
    "strategy_rule",
    "missing",
    "config_version",
    "computed_at",
]
AT_RISK_BANDS = ("at_risk", "critical")


def _d(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _sources(sources: Iterable[Source]) -> list[dict[str, str]]:
    return [{"label": s.label, "url": s.url} for s in sources]


def result_json(result: HealthResult) -> list[dict[str, Any]]:
    # A customer's parts share a few source tuples (the survey answers, the review...): convert each once.
    converted: dict[int, list[dict[str, str]]] = {}

    def sources(items: tuple[Source, ...]) -> list[dict[str, str]]:
        key = id(items)
        if key not in converted:
            converted[key] = _sources(items)
        return converted[key]

    return [
        {
            "key": c.key,
            "weight": _d(c.weight),
            "effective_weight": _d(c.effective_weight),
            "score": _d(c.score),
            "parts": [
                {
                    "key": p.key,
                    "weight": _d(p.weight),
                    "effective_weight": _d(p.effective_weight),
                    "value": _d(p.value),
                    "reason": p.reason,
                    "sources": sources(p.sources),
                }
                for p in c.parts
            ],
        }
        for c in result.components
    ]


def inputs_json(inputs: HealthInputs) -> dict[str, Any]:
    skip = {"sources", "signals"}
    data = {k: v for k, v in vars(inputs).items() if k not in skip}
    data["signals"] = sorted(inputs.signals)
    return {k: (_d(v) if isinstance(v, Decimal) else list(v) if isinstance(v, tuple) else v) for k, v in data.items()}


def weights_json(config: HealthConfig) -> dict[str, Any]:
    return {c.key: {"weight": _d(c.weight), "parts": {p.key: _d(p.weight) for p in c.parts}} for c in config.components}


def derive_status(*, current: str, band: str | None, open_claims: int, guarantee_ended: bool) -> str:
    """Churned is final; then at risk (band or open claim) wins; onboarding until a guarantee has ended."""
    if current == Customer.Status.CHURNED:
        return current
    if band in AT_RISK_BANDS or open_claims:
        return Customer.Status.AT_RISK
    return Customer.Status.ACTIVE if guarantee_ended else Customer.Status.ONBOARDING


def _score_row(
    pk: int, inputs: HealthInputs, result: HealthResult, config: HealthConfig, weights: dict, now: datetime
) -> dict[str, Any]:
    """One stored score as field values (attnames), ready for the batch's one upsert."""
    return dict(
        customer_id=pk,
        score=result.score,
        band=result.band or "",
        components_with_data=result.components_with_data,
        components=result_json(result),
        inputs=inputs_json(inputs),
        weights=weights,
        trend_30d=result.trend_30d,
        trend_90d=result.trend_90d,
        churn_risk=result.churn.score,
        churn_factors=[{"key": f.key, "points": _d(f.points), "reason": f.reason} for f in result.churn.factors],
        expansion=[
            {
                "key": o.key,
                "label": o.label,
                "met": list(o.triggers_met),
                "missing": list(o.triggers_missing),
                "share": _d(o.share_met),
                "qualified": o.qualified,
                "probability": _d(o.probability),
                "value": _d(o.value),
            }
            for o in result.opportunities
        ],
        expansion_potential=result.expansion_potential,
        strategy=result.strategy.key,
        strategy_rule=result.strategy.rule[:300],
        missing=list(result.missing),
        config_version=config.version,
        computed_at=now,
    )


@transaction.atomic
def compute_batch(
    ids: Sequence[int],
    *,
    config: HealthConfig,
    today: date,
    now: datetime,
    derive_statuses: bool = True,
    start_playbooks: bool = True,
) -> int:
    """Score one batch of customers and store it in one statement per table (bulk.py). Safe to run twice.

    `derive_statuses` False (the demo's replay of past days) stores scores and snapshots only: statuses and
    opportunities are about the present.

    A customer who enters critical intervention (their stored strategy was another, or none) gets its playbook
    started; `start_playbooks=False` for replays of past days (the demo), which must not open today's tasks.
    """
    inputs = load_inputs(ids, today=today, now=now)
    stored = HealthScore.objects.filter(customer_id__in_array=list(inputs), strategy=CRITICAL)
    was_critical = set(stored.values_list("customer_id", flat=True))
    weights = weights_json(config)
    scores, snapshots, statuses, previous, results = [], [], {}, {}, {}
    for pk, facts in inputs.items():
        result = results[pk] = score_health(facts, config)
        scores.append(_score_row(pk, facts, result, config, weights, now))
        snapshots.append(
            {
                "customer_id": pk,
                "day": today,
                "score": result.score,
                "band": result.band or "",
                "churn_risk": result.churn.score,
            }
        )
        previous[pk] = facts.customer_status
        statuses[pk] = derive_status(
            current=facts.customer_status,
            band=result.band,
            open_claims=facts.open_claims,
            guarantee_ended=facts.guarantee_ended,
        )
    upsert(HealthScore, scores, unique=["customer"], update=SCORE_FIELDS)
    upsert(HealthSnapshot, snapshots, unique=["customer", "day"], update=["score", "band", "churn_risk"])
    if derive_statuses:
        apply_derived_statuses(statuses=statuses, previous=previous)
        identify_opportunities(results, now=now)
    entered = {
        s["customer_id"]: StartHealth(s["score"], s["band"], s["strategy"])
        for s in scores
        if s["strategy"] == CRITICAL and s["customer_id"] not in was_critical
    }
    if start_playbooks and entered:
        start_critical_interventions(entered)
    return len(scores)


def compute_health(customer_ids: Sequence[int], *, batch: int = BATCH) -> int:
    """Health for these customers, in batches; returns how many were scored."""
    config, now = load_config(), timezone.now()
    today = timezone.localdate(now)
    done = 0
    for start in range(0, len(customer_ids), batch):
        done += compute_batch(customer_ids[start : start + batch], config=config, today=today, now=now)
    return done


def compute_all_health(*, batch: int = BATCH) -> int:
    """The nightly run: every customer not churned (churned ones keep their last score)."""
    ids = list(Customer.objects.exclude(status=Customer.Status.CHURNED).order_by("pk").values_list("pk", flat=True))
    return compute_health(ids, batch=batch)


def schedule_health(customer_id: int) -> None:
    """Recompute one customer's health after the current transaction commits (its inputs changed)."""
    transaction.on_commit(lambda: async_task("apps.retention.tasks.recompute_health", customer_id))
