"""Demo expansion opportunities in every stage, some won in the last weeks so the expansion revenue KPI reads a number.

Runs after the retention step (whose health computation identifies Northwind's opportunities from its review
signals) and before the dashboard step (whose KPI snapshots then include the won value). Every step goes through the
services, dated with `demo_clock`. Safe to run twice: a customer and type already played out is left alone, and an
open opportunity is only moved forward.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.core.demo import days_ago, demo_clock
from apps.customers.models import Customer
from apps.retention.models import ExpansionType, Opportunity
from apps.retention.opportunities import add_opportunity, lose_opportunity, move_opportunity, win_opportunity


@dataclass(frozen=True)
class Play:
    customer: str
    type: str
    added: int  # days ago
    steps: tuple[tuple[str, int], ...] = ()  # (stage, days ago), in order
    note: str = ""
    won_value: str = ""
    lost_reason: str = ""


PLAYS = [
    Play(
        "Acme Robotics",
        "mvp_enhancement",
        40,
        (("qualified", 38), ("proposal", 34), ("negotiation", 30), ("won", 26)),
        note="The fleet team wants route replay and alerts in the MVP.",
        won_value="36000",
    ),
    Play(
        "Globex Health",
        "scaling_services",
        37,
        (("qualified", 35), ("proposal", 30), ("negotiation", 24), ("won", 19)),
        note="Claims volume doubles when the second region goes live.",
        won_value="336000",
    ),
    Play(
        "Acme Robotics",
        "team_augmentation",
        30,
        (("qualified", 28), ("proposal", 22), ("won", 11)),
        note="Two embedded engineers for the robot arm firmware backlog.",
        won_value="132000",
    ),
    Play(
        "Acme Robotics",
        "enterprise_upgrade",
        28,
        (("qualified", 26), ("proposal", 20), ("negotiation", 14), ("won", 6)),
        note="New ISO 27001 scope after the Series C.",
        won_value="220000",
    ),
    Play(
        "Globex Health",
        "team_augmentation",
        33,
        (("qualified", 30), ("lost", 15)),
        note="Short of data engineers for the records migration.",
        lost_reason="Hiring freeze after their reorganisation; revisit next quarter.",
    ),
    Play("Acme Robotics", "scaling_services", 20, (("qualified", 18), ("proposal", 12), ("negotiation", 4))),
    Play("Globex Health", "mvp_enhancement", 12, (("qualified", 10), ("proposal", 5))),
    Play("Northwind Traders", "scaling_services", 9, (("proposal", 3),)),
    Play("Tundra Systems", "scaling_services", 1, note="Asked about load testing during the kickoff."),
    Play("Initech Logistics", "team_augmentation", 1, note="Their route planner backlog keeps growing."),
]
ORDER = list(Opportunity.OPEN_STAGES)


def _opportunity(ctx: Any, play: Play, customer: Customer, kind: ExpansionType) -> Opportunity | None:
    """The open opportunity of this customer and type (identified by health, or added now), or None if played out."""
    existing = Opportunity.objects.filter(customer=customer, type=kind).select_related("customer", "type")
    current = existing.filter(stage__in=ORDER).first()
    if current is not None or existing.exists():
        return current
    with demo_clock(days_ago(play.added, at=time(11, 0))):
        return add_opportunity(actor=ctx.csm, customer=customer, kind=kind, note=play.note)


def _play(ctx: Any, play: Play, opportunity: Opportunity) -> None:
    for stage, ago in play.steps:
        if not opportunity.is_open or (stage in ORDER and ORDER.index(stage) <= ORDER.index(opportunity.stage)):
            continue
        won_on = timezone.localdate(days_ago(ago))  # before the clock turns back: days_ago counts from today
        with demo_clock(days_ago(ago, at=time(15, 0))):
            if stage == "won":
                win_opportunity(
                    actor=ctx.csm, opportunity=opportunity, won_value=Decimal(play.won_value), won_on=won_on
                )
            elif stage == "lost":
                lose_opportunity(actor=ctx.csm, opportunity=opportunity, reason=play.lost_reason)
            else:
                move_opportunity(actor=ctx.csm, opportunity=opportunity, stage=stage)


def seed(ctx: Any) -> None:
    kinds = {kind.key: kind for kind in ExpansionType.objects.all()}
    customers = {
        c.name: c for c in Customer.objects.filter(name__in={p.customer for p in PLAYS}).select_related("owner")
    }
    for play in PLAYS:
        customer, kind = customers.get(play.customer), kinds.get(play.type)
        if customer is None or kind is None:
            continue
        opportunity = _opportunity(ctx, play, customer, kind)
        if opportunity is not None:
            _play(ctx, play, opportunity)
    won = Opportunity.objects.filter(stage=Opportunity.Stage.WON).count()
    ctx.log(f"Expansion: {Opportunity.objects.count()} opportunities on the board, {won} won.")
