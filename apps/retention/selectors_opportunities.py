"""Reads of expansion opportunities: the board's columns and the customer page's list (a fixed number of queries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.core.numbers import round1
from apps.retention.models import ExpansionType, Opportunity
from apps.retention.registry import SIGNAL_LABELS

# Won and lost cards stay on the board this long after closing (a quarter, as the expansion revenue KPI counts).
CLOSED_SHOWN_DAYS = 90
STAGES = list(Opportunity.Stage.choices)
OPEN = list(Opportunity.OPEN_STAGES)


@dataclass(frozen=True)
class BoardFilters:
    csm_id: int | None = None
    type_key: str = ""

    def query(self) -> str:
        parts = [f"csm={self.csm_id}"] if self.csm_id else []
        return "&".join(parts + ([f"type={self.type_key}"] if self.type_key else []))


@dataclass(frozen=True)
class Card:
    opportunity: Opportunity
    triggers: str
    back: tuple[str, str] | None
    forward: tuple[str, str] | None

    @property
    def probability(self) -> str:
        return f"{round1(self.opportunity.probability * 100)}%"


@dataclass
class Column:
    key: str
    label: str
    cards: list[Card] = field(default_factory=list)
    total: Decimal = Decimal(0)


def triggers_text(row: Opportunity) -> str:
    met = [SIGNAL_LABELS.get(key, key) for key in row.triggers_met]
    head = f"{len(met)} of {row.triggers_total} triggers"
    return f"{head}: {', '.join(met)}" if met else head


def _neighbours(stage: str) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    if stage not in OPEN:
        return None, None
    labels, i = dict(STAGES), OPEN.index(stage)
    back = (OPEN[i - 1], labels[OPEN[i - 1]]) if i else None
    forward = (OPEN[i + 1], labels[OPEN[i + 1]]) if i + 1 < len(OPEN) else None
    return back, forward


def card(row: Opportunity) -> Card:
    return Card(row, triggers_text(row), *_neighbours(row.stage))


def board_rows(filters: BoardFilters, *, now: dt.datetime | None = None) -> QuerySet[Opportunity]:
    since = (now or timezone.now()) - dt.timedelta(days=CLOSED_SHOWN_DAYS)
    rows = Opportunity.objects.filter(Q(stage__in=OPEN) | Q(closed_at__gt=since))
    if filters.csm_id:
        rows = rows.filter(owner_id=filters.csm_id)
    if filters.type_key:
        rows = rows.filter(type__key=filters.type_key)
    return rows.select_related("customer", "type", "owner").order_by("-probability", "-value", "pk")


def board(filters: BoardFilters) -> list[Column]:
    """One column per stage, in the order opportunities move; totals are pipeline value (won: signed value)."""
    columns = {key: Column(key, label) for key, label in STAGES}
    for row in board_rows(filters):
        column = columns[row.stage]
        column.cards.append(card(row))
        amount = row.won_value if row.stage == Opportunity.Stage.WON else row.value
        column.total += amount or Decimal(0)
    for key in Opportunity.CLOSED_STAGES:  # the latest closed first
        columns[key].cards.sort(key=lambda c: (c.opportunity.closed_at, c.opportunity.pk), reverse=True)
    return list(columns.values())


def type_choices() -> list[tuple[str, str]]:
    return list(ExpansionType.objects.values_list("key", "label"))


def customer_opportunities(customer: Any) -> list[Card]:
    rows = Opportunity.objects.filter(customer=customer).select_related("type", "owner")
    return [card(row) for row in rows.order_by("-stage_changed_at", "-pk")[:20]]
