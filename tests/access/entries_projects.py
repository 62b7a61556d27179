from __future__ import annotations

from django.urls import reverse

from tests.access.matrix import API_KEY_ONLY, STAFF, STAFF_ACTION, Entry

ENTRIES = {
    "projects:list": Entry(lambda w: reverse("projects:list"), STAFF),
    "projects:detail": Entry(lambda w: reverse("projects:detail", args=[w.project_a.pk]), STAFF),
    "projects:kickoff_start": Entry(
        lambda w: reverse("projects:kickoff_start", args=[w.project_a.pk]), STAFF_ACTION, method="post"
    ),
    "projects:kickoff_retry": Entry(
        lambda w: reverse("projects:kickoff_retry", args=[w.project_a.pk]), STAFF_ACTION, method="post"
    ),
    "projects:environment": Entry(
        lambda w: reverse("projects:environment", args=[w.project_a.pk, "ci"]),
        STAFF_ACTION,
        method="post",
        data=lambda w: {"ready": "on"},
    ),
    "api:post_environment": Entry(
        lambda w: reverse("api:post_environment", args=[w.project_a.pk, "ci"]),
        API_KEY_ONLY,
        method="post",
        content_type="application/json",
    ),
}


def build(world) -> None:
    from tests.projects.factories import make_project

    world.project_a = make_project(customer=world.company_a, actor=world.csm, name="Matrix project A")
