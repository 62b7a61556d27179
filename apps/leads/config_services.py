"""Configuration versions: publish the admin's draft, preview its effect, and rescore the open leads in batches."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django_q.tasks import async_task

from apps.audit.services import record_event
from apps.leads.config_io import config_for, draft_config, fingerprint, to_snapshot
from apps.leads.models import Lead, LeadScore, RescoreRun, ScoringConfigVersion
from apps.leads.scoring import score_feasibility, score_qualification
from apps.leads.scoring_run import TIERS_INPUTS, compute_score, facts_hash, status_after, tiers_inputs_changed
from apps.leads.scoring_stops import LeadScoringConfig

logger = logging.getLogger(__name__)
BATCH_SIZE = 500  # leads per transaction: large enough for bulk writes, small enough to show progress
# What a rescore reads: the facts, the status and hash, and the previous score's headline (not its big parts).
BATCH_LEAD_FIELDS = (
    "service_type", "timeline_weeks", "complexity", "budget_usd", "team_size", "business_criticality",
    "requirements", "technology_preferences", "compliance_requirements", "required_integrations",
    "has_ui_requirements", "has_fallback_plan", "answers", "status", "inputs_hash", "latest_score",
)  # fmt: skip
BATCH_SCORE_FIELDS = ("config_version", "inputs_hash", *TIERS_INPUTS)
WRITTEN_FIELDS = ("latest_score", "inputs_hash", "probability_band", "status", "updated_at")


def latest_version() -> ScoringConfigVersion | None:
    return ScoringConfigVersion.objects.order_by("-number").first()


def _valid_draft() -> LeadScoringConfig:
    try:
        return draft_config()
    except ValueError as exc:
        raise ValidationError(f"The configuration is not valid: {exc}") from exc


def current_version() -> ScoringConfigVersion:
    """The newest published version; the first call ever publishes the seeded draft as version 1."""
    version = latest_version()
    if version is not None:
        return version
    snapshot = to_snapshot(_valid_draft())
    try:
        with transaction.atomic():
            return ScoringConfigVersion.objects.create(
                number=1, snapshot=snapshot, fingerprint=fingerprint(snapshot), note="Initial configuration"
            )
    except IntegrityError:  # another process published version 1 at the same moment
        return ScoringConfigVersion.objects.get(number=1)


def draft_is_published() -> bool:
    version = latest_version()
    return version is not None and version.fingerprint == fingerprint(to_snapshot(_valid_draft()))


@dataclass
class PublishPreview:
    """What publishing the draft would do to the open leads."""

    open_leads: int = 0
    unscored: int = 0
    qualification_changes: Counter = field(default_factory=Counter)
    feasibility_changes: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)

    @property
    def qualification_changed(self) -> int:
        return sum(self.qualification_changes.values())

    @property
    def change_rows(self) -> list[tuple[str, str, int]]:
        """(from level, to level, leads), most leads first."""
        return [(before, after, n) for (before, after), n in self.qualification_changes.most_common()]


def preview_publish(example_limit: int = 10) -> PublishPreview:
    """Score every open lead with the draft (nothing is saved) and count those whose level would change."""
    config = _valid_draft().scoring
    preview = PublishPreview()
    leads = (
        Lead.objects.open()
        .select_related("latest_score")
        .defer("latest_score__qualification", "latest_score__feasibility")
    )
    for lead in leads.iterator(chunk_size=BATCH_SIZE):
        preview.open_leads += 1
        before = lead.latest_score
        if before is None:
            preview.unscored += 1
            continue
        facts = lead.facts()
        qualification = score_qualification(facts, config.qualification)
        feasibility = score_feasibility(facts, config.feasibility, qualification.disqualifiers)
        if qualification.level != before.qualification_level:
            preview.qualification_changes[(before.qualification_level, qualification.level)] += 1
            if len(preview.examples) < example_limit:
                preview.examples.append(
                    {"lead": lead, "from": before.qualification_level, "to": qualification.level,
                     "score_from": before.qualification_score, "score_to": qualification.score}
                )  # fmt: skip
        if feasibility.level != before.feasibility_level:
            preview.feasibility_changes += 1
    return preview


@transaction.atomic
def publish_config(*, actor: Any, note: str = "") -> tuple[ScoringConfigVersion, RescoreRun]:
    """Freeze the draft as the next version and rescore the open leads with it in the background."""
    snapshot = to_snapshot(_valid_draft())
    previous = ScoringConfigVersion.objects.select_for_update().order_by("-number").first()
    if previous is not None and previous.fingerprint == fingerprint(snapshot):
        raise ValidationError("Nothing to publish: the configuration equals the latest version.")
    version = ScoringConfigVersion.objects.create(
        number=(previous.number + 1) if previous else 1,
        snapshot=snapshot,
        fingerprint=fingerprint(snapshot),
        note=note[:300],
        published_by=actor,
    )
    run = RescoreRun.objects.create(version=version, total=Lead.objects.open().count())
    record_event(action="scoring_config.published", obj=version, actor=actor, data={"number": version.number})
    transaction.on_commit(lambda: async_task("apps.leads.tasks.rescore_open_leads", run.pk))
    return version, run


# ---------------------------------------------------------------- the batched rescore


def _rescore_batch(leads: list[Lead], version: ScoringConfigVersion, config: LeadScoringConfig) -> tuple[int, list]:
    """Score one batch with bulk writes. Returns (qualification level changes, ids whose tiers inputs changed)."""
    ids = [lead.pk for lead in leads]
    stored = {
        (lead_id, inputs_hash): pk
        for lead_id, inputs_hash, pk in LeadScore.objects.filter(config_version=version, lead_id__in=ids).values_list(
            "lead_id", "inputs_hash", "pk"
        )
    }
    fresh, updates, level_changes, refresh = [], [], 0, []
    for lead in leads:
        before = lead.latest_score
        try:
            facts = lead.facts()
        except ValueError:
            logger.exception("Lead %s has inputs the rules refuse; left as it was", lead.pk)
            continue
        # The services keep inputs_hash in step with the inputs, so a rescore need not hash them again.
        inputs_hash = lead.inputs_hash or facts_hash(facts)
        if before and before.config_version_id == version.pk and before.inputs_hash == inputs_hash:
            continue
        if (lead.pk, inputs_hash) in stored:
            score = LeadScore.objects.get(pk=stored[(lead.pk, inputs_hash)])
        else:
            score = compute_score(lead, facts, version, config, inputs_hash)
            fresh.append(score)
        level_changes += bool(before and before.qualification_level != score.qualification_level)
        if tiers_inputs_changed(before, score):
            refresh.append(lead.pk)
        lead.latest_score, lead.inputs_hash = score, inputs_hash
        lead.probability_band, lead.status = score.probability_band, status_after(lead, score)
        updates.append(lead)
    LeadScore.objects.bulk_create(fresh)
    _write_leads(updates)
    return level_changes, refresh


def _write_leads(leads: list[Lead]) -> None:
    """One parameterised UPDATE run for every lead of the batch.

    Django's bulk_update builds a CASE expression per column and row, which took most of a rescore's time; an
    executemany of a plain UPDATE does the same writes several times faster on SQLite and PostgreSQL alike.
    """
    if not leads:
        return
    quote, meta = connection.ops.quote_name, Lead._meta
    columns = [meta.get_field(name).column for name in WRITTEN_FIELDS]
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    now = meta.get_field("updated_at").get_db_prep_value(timezone.now(), connection)
    rows = [
        (lead.latest_score.pk, lead.inputs_hash, lead.probability_band, lead.status, now, lead.pk) for lead in leads
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _next_batch(after_pk: int) -> list[Lead]:
    return list(
        Lead.objects.open()
        .filter(pk__gt=after_pk)
        .select_for_update(of=("self",))
        .select_related("latest_score")
        .only(*BATCH_LEAD_FIELDS, *(f"latest_score__{name}" for name in BATCH_SCORE_FIELDS))
        .order_by("pk")[:BATCH_SIZE]
    )


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
    after_pk = 0
    try:
        while True:
            with transaction.atomic():
                leads = _next_batch(after_pk)
                if not leads:
                    break
                changes, refresh = _rescore_batch(leads, run.version, config)
                RescoreRun.objects.filter(pk=run_id).update(
                    done=F("done") + len(leads), level_changes=F("level_changes") + changes
                )
                if refresh:
                    # One task per batch (not per lead): it calls the tiers app's per-lead refresh for each id.
                    transaction.on_commit(lambda ids=refresh: async_task("apps.leads.tasks.refresh_tiers", ids))
            after_pk = leads[-1].pk
    except Exception as exc:
        RescoreRun.objects.filter(pk=run_id).update(status=RescoreRun.Status.FAILED, error=repr(exc)[:2000])
        raise
    with transaction.atomic():
        RescoreRun.objects.filter(pk=run_id).update(status=RescoreRun.Status.DONE, finished_at=timezone.now())
        run.refresh_from_db()
        record_event(
            action="scoring_config.rescored", obj=run.version,
            data={"run": run.pk, "done": run.done, "level_changes": run.level_changes},
        )  # fmt: skip
    return run
