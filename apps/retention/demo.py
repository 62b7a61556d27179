"""Demo retention data: five accounts, one per health band, with 120 days of believable history.

Surveys, answers, touchpoints, reviews and client-view activity go through the services with their real past dates;
then health is replayed day by day (the loader bounds every read by the day), so snapshots and trends are true to
the data. Every other customer gets today's health. Safe to run twice: an account that has surveys is left alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.customers import services as customer_services
from apps.customers.models import Customer, Stakeholder
from apps.retention import services
from apps.retention.config import load_config
from apps.retention.health import compute_all_health, compute_batch
from apps.retention.models import Survey, Task
from apps.retention.registry import FEATURES
from apps.retention.surveys import answer_survey, send_survey

HISTORY_DAYS = 120


@dataclass(frozen=True)
class Profile:
    name: str
    industry: str
    # (early, recent) score ranges: how answers drift over the 120 days.
    nps_early: tuple[int, int]
    nps_recent: tuple[int, int]
    answer_rate: float
    active_share: float  # share of days a stakeholder with a login uses the client view
    features: int  # how many client-view features they touch
    touchpoints_every: int  # days between CSM touchpoints
    review: tuple[int, int, int, int]  # sentiment, ROI achieved, business impact, goals met
    signals: tuple[str, ...] = ()


PROFILES = [
    Profile(
        "Northwind Traders",
        "Wholesale distribution",
        (9, 10),
        (9, 10),
        1.0,
        0.55,
        6,
        3,
        (9, 95, 92, 94),
        ("feature_requests_open", "team_growth", "platform_usage_70"),
    ),
    Profile(
        "Blue Harbor Bank",
        "Retail banking",
        (8, 10),
        (8, 9),
        0.9,
        0.35,
        5,
        5,
        (8, 80, 78, 82),
        ("new_compliance_needs",),
    ),
    Profile("Cedar Health", "Clinics", (8, 9), (6, 8), 0.7, 0.25, 4, 7, (7, 65, 60, 66)),
    Profile("Pinecone Retail", "E-commerce", (7, 9), (3, 6), 0.6, 0.12, 3, 12, (5, 45, 40, 50)),
    Profile("Redwood Freight", "Logistics", (5, 7), (0, 3), 0.5, 0.03, 1, 25, (3, 20, 15, 25)),
]
PEOPLE = [
    ("executive", "Executive sponsor", True),
    ("technical_lead", "Head of engineering", True),
    ("product_owner", "Product owner", False),
]
FIRST_NAMES = ["Avery", "Jordan", "Riley", "Morgan", "Quinn", "Harper", "Rowan", "Sage", "Emerson", "Dakota"]
LAST_NAMES = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Alvarez", "Haddad", "Kowalski", "Brennan", "Ivanova"]


def _at(day: Any, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _company(ctx: Any, profile: Profile, rng: random.Random) -> tuple[Customer, list[Stakeholder]]:
    customer = Customer.objects.filter(name=profile.name).first()
    if customer is None:
        customer = customer_services.create_customer(
            actor=ctx.csm,
            data={
                "name": profile.name,
                "industry": profile.industry,
                "owner": ctx.csm,
                "segment": Customer.Segment.MID_MARKET,
            },
        )
    domain = profile.name.split()[0].lower() + ".example"
    people = []
    for role, title, login in PEOPLE:
        email = f"{role.split('_')[0]}@{domain}"
        stakeholder = customer.stakeholders.filter(email=email).first()
        if stakeholder is None:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            stakeholder = customer_services.add_stakeholder(
                actor=ctx.csm,
                customer=customer,
                data={
                    "name": name,
                    "email": email,
                    "title": title,
                    "role": role,
                    "is_approver": role == "executive",
                    "channels": ["email", "in_app"],
                },
            )
        if login and not stakeholder.has_client_login:
            invite = customer_services.invite_stakeholder(actor=ctx.csm, stakeholder=stakeholder)
            customer_services.accept_invite(invite=invite, password=ctx.password)
        people.append(stakeholder)
    return customer, people


def _score(rng: random.Random, profile: Profile, progress: float) -> int:
    low = round(profile.nps_early[0] + (profile.nps_recent[0] - profile.nps_early[0]) * progress)
    high = round(profile.nps_early[1] + (profile.nps_recent[1] - profile.nps_early[1]) * progress)
    return rng.randint(low, max(low, high))


COMMENTS = {
    True: ["Delivery has been smooth.", "The team is responsive.", "Great weekly updates."],
    False: ["Releases keep slipping.", "We wait days for answers.", "Quality dropped this month."],
}


def _surveys(ctx: Any, customer: Customer, people: list[Stakeholder], profile: Profile, rng: random.Random) -> None:
    today = timezone.localdate()
    for days_ago in (110, 80, 50, 20):
        sent = _at(today - timedelta(days=days_ago), 9)
        survey = send_survey(
            actor=ctx.csm,
            customer=customer,
            stakeholders=people,
            now=sent,
            message="Our quarterly two-question check-in.",
        )
        progress = 1 - days_ago / HISTORY_DAYS
        for invitation in survey.invitations.select_related("survey", "stakeholder"):
            if rng.random() > profile.answer_rate:
                continue
            nps = _score(rng, profile, progress)
            csat = max(1, min(10, nps + rng.choice([-1, 0, 0, 1])))
            answer_survey(
                invitation=invitation,
                nps=nps,
                csat=csat,
                comment=rng.choice(COMMENTS[nps >= 7]),
                via="link",
                now=sent + timedelta(days=rng.randint(0, 4), hours=rng.randint(0, 6)),
            )


def _engagement(ctx: Any, customer: Customer, people: list[Stakeholder], profile: Profile, rng: random.Random) -> None:
    today = timezone.localdate()
    features = [key for key, _ in FEATURES][: profile.features]
    for days_ago in range(HISTORY_DAYS, -1, -1):
        day = today - timedelta(days=days_ago)
        for stakeholder in people:
            if stakeholder.user_id and rng.random() < profile.active_share:
                for feature in rng.sample(features, k=rng.randint(1, len(features))):
                    services.record_activity(
                        stakeholder_id=stakeholder.pk, customer_id=customer.pk, feature=feature, day=day
                    )
        if days_ago % profile.touchpoints_every == 0:
            kind = rng.choice(["call", "meeting", "email"])
            services.log_touchpoint(
                actor=ctx.csm,
                customer=customer,
                kind=kind,
                occurred_on=day,
                stakeholders=[rng.choice(people)],
                note=f"Regular {kind} about the roadmap.",
            )
    sentiment, roi, impact, goals = profile.review
    for days_ago, drift in ((100, 1), (40, 0)):
        services.record_review(
            actor=ctx.csm,
            customer=customer,
            reviewed_on=today - timedelta(days=days_ago),
            sentiment=min(10, sentiment + drift),
            roi_achieved=Decimal(min(100, roi + 10 * drift)),
            business_impact=Decimal(min(100, impact + 10 * drift)),
            goals_met=Decimal(min(100, goals + 10 * drift)),
            expansion_signals=list(profile.signals) if not drift else [],
            note="Quarterly business review.",
        )


def _close_old_follow_ups(ctx: Any, customer: Customer) -> None:
    """Follow-ups from older detractors were worked by the CSM; the latest stays open."""
    cutoff = timezone.localdate() - timedelta(days=14)
    for task in Task.objects.filter(customer=customer, status=Task.Status.OPEN, due_on__lt=cutoff):
        services.close_task(actor=ctx.csm, task=task, status=Task.Status.DONE)


def _replay(ids: list[int]) -> None:
    """Health as it was each day of the history, so the 30- and 90-day trends have their snapshots."""
    config, today = load_config(), timezone.localdate()
    for days_ago in range(HISTORY_DAYS, 0, -1):
        day = today - timedelta(days=days_ago)
        compute_batch(ids, config=config, today=day, now=_at(day, 23), derive_statuses=False, start_playbooks=False)


# The other demo steps' customers (in onboarding) get a steady, unremarkable history too.
STEADY = Profile("", "", (7, 9), (7, 9), 0.8, 0.3, 4, 6, (7, 70, 65, 70))


def _history(ctx: Any, customer: Customer, people: list[Stakeholder], profile: Profile) -> bool:
    if not people or Survey.objects.filter(customer=customer).exists():
        return False
    rng = random.Random(customer.name)
    _surveys(ctx, customer, people, profile, rng)
    _engagement(ctx, customer, people, profile, rng)
    _close_old_follow_ups(ctx, customer)
    return True


def seed(ctx: Any) -> None:
    fresh = []
    for profile in PROFILES:
        customer, people = _company(ctx, profile, random.Random(profile.name))
        if _history(ctx, customer, people, profile):
            fresh.append(customer.pk)
    others = Customer.objects.exclude(name__in=[p.name for p in PROFILES]).prefetch_related("stakeholders")
    for customer in others.exclude(status=Customer.Status.CHURNED):
        if _history(ctx, customer, list(customer.stakeholders.all()), STEADY):
            fresh.append(customer.pk)
    if fresh:
        _replay(fresh)
    count = compute_all_health()
    ctx.log(f"Retention: {len(fresh)} account(s) with 120 days of history; health computed for {count} customer(s).")
