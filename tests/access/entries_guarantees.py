from __future__ import annotations

from django.urls import reverse

from tests.access.matrix import (
    API_KEY_ONLY,
    CLIENT_ANY,
    CLIENT_OWN,
    CLIENT_OWN_ACTION,
    STAFF,
    STAFF_ACTION,
    Entry,
)

ENTRIES = {
    "guarantees:list": Entry(lambda w: reverse("guarantees:list"), STAFF),
    "guarantees:detail": Entry(lambda w: reverse("guarantees:detail", args=[w.guarantee_a.pk]), STAFF),
    "guarantees:milestone": Entry(lambda w: reverse("guarantees:milestone", args=[w.week1_a.pk]), STAFF),
    "guarantees:evidence_form": Entry(
        lambda w: reverse("guarantees:evidence_form", args=[w.week1_a.pk, "system-architecture"]), STAFF
    ),
    "guarantees:participants": Entry(
        lambda w: reverse("guarantees:participants", args=[w.week3_a.pk, "user-acceptance"]), STAFF
    ),
    "guarantees:submit": Entry(
        lambda w: reverse("guarantees:submit", args=[w.week1_a.pk]), STAFF_ACTION, method="post"
    ),
    "guarantees:withdraw": Entry(
        lambda w: reverse("guarantees:withdraw", args=[w.week1_a.pk]), STAFF_ACTION, method="post"
    ),
    "guarantees:action_update": Entry(
        lambda w: reverse("guarantees:action_update", args=[w.action_a.pk]), STAFF_ACTION, method="post"
    ),
    "guarantees:evidence_download": Entry(
        lambda w: reverse("guarantees:evidence_download", args=[w.evidence_a.pk]), STAFF
    ),
    # The client view: company A's guarantee is a 404 for company B; staff use the staff pages (403).
    "client_guarantees:list": Entry(lambda w: reverse("client_guarantees:list"), CLIENT_ANY),
    "client_guarantees:detail": Entry(
        lambda w: reverse("client_guarantees:detail", args=[w.guarantee_a.pk]), CLIENT_OWN
    ),
    "client_guarantees:milestone": Entry(
        lambda w: reverse("client_guarantees:milestone", args=[w.week1_a.pk]), CLIENT_OWN
    ),
    "client_guarantees:input": Entry(
        lambda w: reverse("client_guarantees:input", args=[w.week1_a.pk, "team-communication"]), CLIENT_OWN
    ),
    "client_guarantees:sign_off": Entry(
        lambda w: reverse("client_guarantees:sign_off", args=[w.week1_a.pk]), CLIENT_OWN_ACTION, method="post"
    ),
    "client_guarantees:evidence_download": Entry(
        lambda w: reverse("client_guarantees:evidence_download", args=[w.evidence_a.pk]), CLIENT_OWN
    ),
    "api:list_guarantees": Entry(lambda w: reverse("api:list_guarantees"), API_KEY_ONLY),
    "api:get_guarantee": Entry(lambda w: reverse("api:get_guarantee", args=[w.guarantee_a.pk]), API_KEY_ONLY),
    "api:get_milestone": Entry(lambda w: reverse("api:get_milestone", args=[w.week1_a.pk]), API_KEY_ONLY),
    "api:post_evidence": Entry(
        lambda w: reverse("api:post_evidence", args=[w.week1_a.pk, "development-environment"]),
        API_KEY_ONLY,
        method="post",
        content_type="application/json",
    ),
}


def build(world) -> None:
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.guarantees.models import MilestoneAction
    from apps.guarantees.recording import record_evidence
    from tests.guarantees.factories import EVIDENCE_AT, make_guarantee

    world.guarantee_a = make_guarantee(customer=world.company_a, actor=world.csm)
    world.week1_a = world.guarantee_a.milestones.get(week=1)
    world.week3_a = world.guarantee_a.milestones.get(week=3)
    world.evidence_a = record_evidence(
        actor=world.csm,
        criterion=world.week1_a.criteria.get(key="system-architecture"),
        source="staff",
        data=EVIDENCE_AT["technical_review"](90),
        upload=SimpleUploadedFile("review.txt", b"Architecture review notes"),
    )
    world.action_a = MilestoneAction.objects.create(
        milestone=world.week1_a,
        round=1,
        kind="recovery",
        dedupe_key="recovery:x",
        title="Fix it",
        due_on=date(2030, 1, 1),
    )
