"""Writes of expansion opportunities: identified from health results, added by hand, moved, won and lost.

Every stage change is one conditional UPDATE (a double click changes nothing twice) and one audit event in the same
transaction. Identification runs inside the health batch and is set-based: one read of the batch's opportunities,
then only the rows that change are written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.audit.services import record_event
from apps.customers.models import Customer
from apps.projects.models import Project
from apps.retention.models import ExpansionType, HealthScore, Opportunity
from apps.retention.scoring_types import HealthResult
from apps.retention.scoring_types import Opportunity as Computed

Stage = Opportunity.Stage
FIGURES = ["triggers_met", "triggers_total", "probability", "value", "updated_at"]


@dataclass(frozen=True)
class Figures:
    """What the health computation says about one expansion type for one customer."""

    triggers_met: list[str]
    triggers_total: int
    probability: Decimal
    value: Decimal | None
    qualified: bool

    @classmethod
    def of(cls, computed: Computed) -> Figures:
        total = len(computed.triggers_met) + len(computed.triggers_missing)
        probability = computed.probability.quantize(Decimal("0.001"))
        value = None if computed.value is None else computed.value.quantize(Decimal("0.01"))
        return cls(list(computed.triggers_met), total, probability, value, computed.qualified)

    def differs(self, row: Opportunity) -> bool:
        return (row.triggers_met, row.triggers_total, row.probability, row.value) != (
            self.triggers_met,
            self.triggers_total,
            self.probability,
            self.value,
        )

    def apply(self, row: Opportunity) -> None:
        row.triggers_met, row.triggers_total = self.triggers_met, self.triggers_total
        row.probability, row.value = self.probability, self.value


def _audit(action: str, row: Opportunity, actor: Any = None, **data: Any) -> None:
    record_event(action=action, obj=row, actor=actor, customer_id=row.customer_id, data={"stage": row.stage, **data})


def _held_back(closed: list[Opportunity], figures: Figures) -> bool:
    """A type closed (won or lost) for this customer comes back only when a trigger is met that it did not have."""
    if not closed:
        return False
    latest = max(closed, key=lambda row: (row.closed_at or row.stage_changed_at, row.pk))
    return set(figures.triggers_met) <= set(latest.triggers_met)


def identify_opportunities(results: Mapping[int, HealthResult], *, now: dt.datetime) -> int:
    """1. refresh the figures of every open opportunity of these customers; 2. move a hand-added one whose triggers
    now qualify to qualified; 3. create a qualified opportunity for each qualified type without one (unless held
    back by a closed one). Runs inside the health batch's transaction; returns how many were created."""
    computed = {(pk, c.key): Figures.of(c) for pk, result in results.items() for c in result.opportunities}
    if not computed:
        return 0
    open_rows: dict[tuple[int, str], Opportunity] = {}
    closed_rows: dict[tuple[int, str], list[Opportunity]] = {}
    for row in Opportunity.objects.filter(customer_id__in={pk for pk, _ in computed}).select_related("type"):
        key = (row.customer_id, row.type.key)
        if row.is_open:
            open_rows[key] = row
        else:
            closed_rows.setdefault(key, []).append(row)
    changed = []
    for key, row in open_rows.items():
        figures = computed.get(key)
        if figures is None:
            continue
        if figures.differs(row):
            figures.apply(row)
            row.updated_at = now
            changed.append(row)
        if figures.qualified and row.stage == Stage.IDENTIFIED:
            _move(row, Stage.QUALIFIED, now=now, actor=None)
    Opportunity.objects.bulk_update(changed, FIGURES)
    wanted = [
        (key, figures)
        for key, figures in computed.items()
        if figures.qualified and key not in open_rows and not _held_back(closed_rows.get(key, []), figures)
    ]
    return _create_identified(wanted, now) if wanted else 0


def _create_identified(wanted: list[tuple[tuple[int, str], Figures]], now: dt.datetime) -> int:
    """Only a batch that identifies something pays for these reads (the steady nightly run does not)."""
    types = dict(ExpansionType.objects.values_list("key", "pk"))
    owners = dict(Customer.objects.filter(pk__in={pk for (pk, _), _ in wanted}).values_list("pk", "owner_id"))
    created = 0
    for (customer_id, type_key), figures in wanted:
        if type_key not in types:  # the type was deleted in the admin since the configuration was loaded
            continue
        row = Opportunity(
            customer_id=customer_id,
            type_id=types[type_key],
            stage=Stage.QUALIFIED,
            source=Opportunity.Source.HEALTH,
            owner_id=owners[customer_id],
            identified_at=now,
            stage_changed_at=now,
        )
        figures.apply(row)
        try:
            with transaction.atomic():  # a concurrent run created it first: the database refuses the second
                row.save(force_insert=True)
        except IntegrityError:
            continue
        row = Opportunity.objects.select_related("type", "customer").get(pk=row.pk)
        _audit("opportunity.identified", row, triggers_met=figures.triggers_met, value=figures.value)
        created += 1
    return created


def _figures_now(customer: Customer, kind: ExpansionType) -> Figures:
    """The type's figures from the customer's stored health, or none met with the latest project's value."""
    health = HealthScore.objects.filter(customer=customer).only("expansion").first()
    stored = next((o for o in (health.expansion if health else []) if o.get("key") == kind.key), None)
    if stored is not None:
        value = None if stored.get("value") is None else Decimal(stored["value"]).quantize(Decimal("0.01"))
        probability = Decimal(stored.get("probability") or 0).quantize(Decimal("0.001"))
        total = len(stored.get("met", [])) + len(stored.get("missing", []))
        return Figures(list(stored.get("met", [])), total, probability, value, bool(stored.get("qualified")))
    price = Project.objects.filter(customer=customer).order_by("-accepted_at", "-pk").values_list("price", flat=True)
    latest = price.first()
    value = None if latest is None else (latest * kind.multiplier).quantize(Decimal("0.01"))
    return Figures([], len(kind.triggers), Decimal("0.000"), value, False)


@transaction.atomic
def add_opportunity(*, actor: Any, customer: Customer, kind: ExpansionType, note: str = "") -> Opportunity:
    """A CSM adds an opportunity by hand; its figures come from the latest health computation."""
    if Opportunity.objects.open().filter(customer=customer, type=kind).exists():
        raise ValidationError({"type": f"{customer.name} already has an open {kind.label} opportunity."})
    figures, now = _figures_now(customer, kind), timezone.now()
    row = Opportunity(
        customer=customer,
        type=kind,
        stage=Stage.QUALIFIED if figures.qualified else Stage.IDENTIFIED,
        source=Opportunity.Source.MANUAL,
        owner=customer.owner,
        note=note.strip(),
        identified_at=now,
        stage_changed_at=now,
        created_by=actor,
    )
    figures.apply(row)
    row.full_clean()
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise ValidationError({"type": f"{customer.name} already has an open {kind.label} opportunity."}) from exc
    _audit("opportunity.added", row, actor, triggers_met=figures.triggers_met, value=figures.value)
    return row


def _refuse_closed(row: Opportunity) -> None:
    row.refresh_from_db(fields=["stage"])
    if not row.is_open:
        raise ValidationError(f"This opportunity is already {row.get_stage_display().lower()}.")


def _move(row: Opportunity, stage: str, *, now: dt.datetime, actor: Any, **fields: Any) -> bool:
    """One conditional UPDATE from the open stage the row is in; False when it had moved on (or closed) already."""
    before = row.stage
    moved = (
        Opportunity.objects.filter(pk=row.pk, stage=before, stage__in=Opportunity.OPEN_STAGES)
        .exclude(stage=stage)
        .update(stage=stage, stage_changed_at=now, updated_at=now, **fields)
    )
    if moved:
        row.stage, row.stage_changed_at = stage, now
        for name, value in fields.items():
            setattr(row, name, value)
        action = f"opportunity.{stage}" if stage in Opportunity.CLOSED_STAGES else f"opportunity.to_{stage}"
        _audit(action, row, actor, previous_stage=before, **{k: v for k, v in fields.items() if k != "closed_at"})
    return bool(moved)


@transaction.atomic
def move_opportunity(*, actor: Any, opportunity: Opportunity, stage: str) -> Opportunity:
    """Move an open opportunity to another open stage (forward or back); won and lost have their own services."""
    if stage not in Opportunity.OPEN_STAGES:
        raise ValidationError({"stage": "Move to identified, qualified, proposal or negotiation."})
    if opportunity.stage == stage:
        return opportunity
    if not _move(opportunity, stage, now=timezone.now(), actor=actor):
        _refuse_closed(opportunity)
    return opportunity


@transaction.atomic
def win_opportunity(*, actor: Any, opportunity: Opportunity, won_value: Decimal, won_on: dt.date) -> Opportunity:
    """Won: the signed value (more than zero) and the date it was signed (not in the future)."""
    errors = {}
    if won_value is None or won_value <= 0:
        errors["won_value"] = "Enter the signed value, more than zero."
    if won_on is None or won_on > timezone.localdate():
        errors["won_on"] = "Enter the date it was signed; it cannot be in the future."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    if not _move(opportunity, Stage.WON, now=now, actor=actor, won_value=won_value, won_on=won_on, closed_at=now):
        _refuse_closed(opportunity)
    return opportunity


@transaction.atomic
def lose_opportunity(*, actor: Any, opportunity: Opportunity, reason: str) -> Opportunity:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"lost_reason": "Say why it was lost."})
    now = timezone.now()
    if not _move(opportunity, Stage.LOST, now=now, actor=actor, lost_reason=reason, closed_at=now):
        _refuse_closed(opportunity)
    return opportunity
