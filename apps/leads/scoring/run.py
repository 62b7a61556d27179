"""The glue that touches the database: score one lead into a `LeadScore`, and rescore every open lead in batches.

Both store what `record.score_record` returns. The batched rescore is the hot path after every publish, so it
reads plain values instead of model instances and writes each batch in two statements (`bulk.py`; see
docs/performance.md, "Lead rescoring").
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models import F, Subquery, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django_q.tasks import async_task

from apps.audit.services import record_event
from apps.leads.models import Lead, LeadScore, RescoreRun, ScoringConfigVersion
from apps.leads.scoring.bulk import ScoreWriter, point_leads
from apps.leads.scoring.config import LeadScoringConfig
from apps.leads.scoring.facts import FACT_FIELDS, JSON_FACTS, FactsReader, LeadFacts, facts_hash
from apps.leads.scoring.record import ScoreRecord, score_record
from apps.leads.scoring.versions import config_for

logger = logging.getLogger(__name__)

# The status a scored open lead takes from its qualification level.
LEVEL_STATUS = {
    "highly_qualified": Lead.Status.QUALIFIED,
    "qualified": Lead.Status.QUALIFIED,
    "moderately_qualified": Lead.Status.MODERATELY_QUALIFIED,
    "unqualified": Lead.Status.UNQUALIFIED,
}
# What the tiers app reads from a score: when none of it changes, its recommendations need no refresh.
TIERS_INPUTS = (
    "qualification_level",
    "qualification_score",
    "feasibility_score",
    "disqualifiers",
    "blocked_service_types",
    "estimated_weeks",
)
BATCH_SIZE = 500  # leads per transaction: large enough for bulk writes, small enough to show progress


def new_score(
    lead: Lead, facts: LeadFacts, version: ScoringConfigVersion, config: LeadScoringConfig, inputs_hash: str = ""
) -> LeadScore:
    """Score `facts` with one version's config; the result is not saved."""
    record = score_record(facts, config)
    return LeadScore(
        lead=lead, config_version=version, inputs_hash=inputs_hash or facts_hash(facts), **record.model_fields()
    )


def status_after(lead_status: str, qualification_level: str) -> str:
    """An open lead's status follows its qualification level; proposal, won and lost are kept."""
    if lead_status not in Lead.OPEN_STATUSES:
        return lead_status
    return LEVEL_STATUS.get(qualification_level, Lead.Status.UNQUALIFIED)


def tiers_inputs_changed(before: dict[str, Any] | None, after: dict[str, Any]) -> bool:
    """Whether anything the tiers app reads differs between two scores (given as {field: value})."""
    if before is None:
        return True
    return any(before[name] != after[name] for name in TIERS_INPUTS)


def tiers_inputs(score: ScoreRecord) -> dict[str, Any]:
    values = {name: getattr(score, name) for name in TIERS_INPUTS}
    # Stored JSON lists come back from the database as lists; a record holds tuples.
    values["disqualifiers"] = list(values["disqualifiers"])
    values["blocked_service_types"] = list(values["blocked_service_types"])
    return values


# ---------------------------------------------------------------- the batched rescore: reading

# What a rescore reads of a lead: its facts, status and hash, and the previous score's headline (not its big parts).
# The JSON columns of the facts come as text (`FactsReader` parses each distinct text once).
BEFORE_FIELDS = ("config_version_id", "inputs_hash", *TIERS_INPUTS)
PLAIN_FACTS = tuple(name for name in FACT_FIELDS if name not in JSON_FACTS)
LEAD_VALUES = (
    "pk",
    *PLAIN_FACTS,
    *(f"text_{name}" for name in JSON_FACTS),
    "status",
    "inputs_hash",
    "latest_score_id",
    *(f"latest_score__{f}" for f in BEFORE_FIELDS),
)
_PLAIN = slice(1, 1 + len(PLAIN_FACTS))
_TEXTS = slice(_PLAIN.stop, _PLAIN.stop + len(JSON_FACTS))
_STATUS, _HASH, _LATEST = (_TEXTS.stop + i for i in range(3))
_BEFORE = slice(_LATEST + 1, None)


def _next_batch(after_pk: int) -> list[tuple[Any, ...]]:
    # The ids first, then their rows: ordering and limiting the joined rows themselves let PostgreSQL, without
    # statistics (a freshly loaded table), join and sort every remaining open lead with its JSON for each batch.
    ids = Lead.objects.open().filter(pk__gt=after_pk).order_by("pk").values("pk")[:BATCH_SIZE]
    return list(
        Lead.objects.open()
        .filter(pk__in=Subquery(ids))
        .select_for_update(of=("self",))
        .order_by("pk")
        .annotate(**{f"text_{name}": Cast(name, TextField()) for name in JSON_FACTS})
        .values_list(*LEAD_VALUES)
    )


def _stored_scores(version: ScoringConfigVersion, lead_ids: list[int]) -> dict[tuple[int, str], dict[str, Any]]:
    """Scores this version already holds for these leads (a rerun, or a lead scored on its own meanwhile)."""
    rows = LeadScore.objects.filter(config_version=version, lead_id__in=lead_ids).values(
        "pk", "lead_id", "inputs_hash", "probability_band", *TIERS_INPUTS
    )
    return {(row["lead_id"], row["inputs_hash"]): row for row in rows}


# ---------------------------------------------------------------- the batched rescore


def _rescore_batch(
    rows: list[tuple[Any, ...]], version: ScoringConfigVersion, config: LeadScoringConfig, reader: FactsReader
) -> tuple[int, list]:
    """Score one batch with bulk writes. Returns (qualification level changes, ids whose tiers inputs changed).

    1. Skip leads already scored with this version and their current inputs, and leads the rules refuse.
    2. Reuse a score this version already stored for the same inputs; score the rest, writing each as it comes.
    3. Point every changed lead at its score in one statement.
    """
    stored = _stored_scores(version, [row[0] for row in rows])
    todo = []
    for row in rows:
        pk, before_id = row[0], row[_LATEST]
        before = dict(zip(BEFORE_FIELDS, row[_BEFORE], strict=True)) if before_id is not None else None
        try:
            facts = reader.facts(
                dict(zip(PLAIN_FACTS, row[_PLAIN], strict=True)), dict(zip(JSON_FACTS, row[_TEXTS], strict=True))
            )
        except ValueError:
            logger.exception("Lead %s has inputs the rules refuse; left as it was", pk)
            continue
        # The services keep inputs_hash in step with the inputs, so a rescore need not hash them again.
        inputs_hash = row[_HASH] or facts_hash(facts)
        if before and before["config_version_id"] == version.pk and before["inputs_hash"] == inputs_hash:
            continue
        todo.append((pk, row[_STATUS], before, facts, inputs_hash))
    changed, level_changes, refresh = [], 0, []
    with ScoreWriter(version.pk, sum((pk, h) not in stored for pk, _, _, _, h in todo)) as writer:
        for pk, status, before, facts, inputs_hash in todo:
            after = stored.get((pk, inputs_hash))
            if after is None:
                record = score_record(facts, config)
                writer.add(pk, inputs_hash, record)
                after = {**tiers_inputs(record), "pk": None, "probability_band": record.probability_band}
            level_changes += bool(before and before["qualification_level"] != after["qualification_level"])
            if tiers_inputs_changed(before, after):
                refresh.append(pk)
            new_status = status_after(status, after["qualification_level"])
            changed.append((pk, after["pk"], inputs_hash, after["probability_band"], new_status))
    point_leads([(pk, score_id or writer.ids[pk], *rest) for pk, score_id, *rest in changed])
    return level_changes, refresh


def run_rescore(*, run_id: int) -> RescoreRun | None:
    """Rescore every open lead with the run's version, one transaction per batch, counting progress as it goes.

    Safe to run twice: leads already scored with this version are skipped, and a finished run is left alone.
    """
    claimed = RescoreRun.objects.filter(pk=run_id).exclude(status=RescoreRun.Status.DONE)
    if not claimed.update(status=RescoreRun.Status.RUNNING, started_at=timezone.now(), done=0, error=""):
        return None
    RescoreRun.objects.filter(pk=run_id).update(total=Lead.objects.open().count())
    run = RescoreRun.objects.select_related("version").get(pk=run_id)
    config = config_for(run.version)
    reader = FactsReader()
    after_pk = 0
    try:
        while True:
            with transaction.atomic():
                rows = _next_batch(after_pk)
                if not rows:
                    break
                changes, refresh = _rescore_batch(rows, run.version, config, reader)
                RescoreRun.objects.filter(pk=run_id).update(
                    done=F("done") + len(rows), level_changes=F("level_changes") + changes
                )
                if refresh:
                    # One task per batch (not per lead): it calls the tiers app's per-lead refresh for each id.
                    transaction.on_commit(lambda ids=refresh: async_task("apps.leads.tasks.refresh_tiers", ids))
            after_pk = rows[-1][0]
    except Exception as exc:
        RescoreRun.objects.filter(pk=run_id).update(status=RescoreRun.Status.FAILED, error=repr(exc)[:2000])
        raise
    with transaction.atomic():
        RescoreRun.objects.filter(pk=run_id).update(status=RescoreRun.Status.DONE, finished_at=timezone.now())
        run.refresh_from_db()
        record_event(
            action="scoring_config.rescored",
            obj=run.version,
            data={"run": run.pk, "done": run.done, "level_changes": run.level_changes},
        )
    return run
