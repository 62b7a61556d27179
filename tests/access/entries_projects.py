from __future__ import annotations

from functools import cached_property

from django.urls import reverse

from tests.access.matrix import API_KEY_ONLY, CLIENT_ANY, CLIENT_OWN, STAFF, STAFF_ACTION, Entry

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
    "projects:progress_update_create": Entry(
        lambda w: reverse("projects:progress_update_create", args=[w.project_a.pk]),
        STAFF_ACTION,
        method="post",
        data=lambda w: {"percent_complete": "10", "risk_level": "low"},
    ),
    "client_projects:list": Entry(lambda w: reverse("client_projects:list"), CLIENT_ANY),
    "client_projects:detail": Entry(lambda w: reverse("client_projects:detail", args=[w.project_a.pk]), CLIENT_OWN),
    "api:post_progress_update": Entry(
        lambda w: reverse("api:post_progress_update", args=[w.project_a.pk]),
        API_KEY_ONLY,
        method="post",
        content_type="application/json",
    ),
    "api:post_environment": Entry(
        lambda w: reverse("api:post_environment", args=[w.project_a.pk, "ci"]),
        API_KEY_ONLY,
        method="post",
        content_type="application/json",
    ),
}


# Quality gates (kept apart to ease merging).
QUALITY_ENTRIES = {
    "projects:quality_run_create": Entry(
        lambda w: reverse("projects:quality_run_create", args=[w.project_a.pk]),
        STAFF_ACTION,
        method="post",
        data=lambda w: {"coverage_percent": "96"},
    ),
    "projects:quality_run": Entry(
        lambda w: reverse("projects:quality_run", args=[w.project_a.pk, w.lazy_quality.run_a.pk]), STAFF
    ),
    "api:post_quality_gate_run": Entry(
        lambda w: reverse("api:post_quality_gate_run", args=[w.project_a.pk]),
        API_KEY_ONLY,
        method="post",
        content_type="application/json",
    ),
    "api:get_quality_gate_run": Entry(
        lambda w: reverse("api:get_quality_gate_run", args=[w.project_a.pk, w.lazy_quality.run_a.pk]), API_KEY_ONLY
    ),
}
ENTRIES.update(QUALITY_ENTRIES)


class _LazyQuality:
    """The quality-gate run is made only for the entries that open it (a run costs most of a world's build)."""

    def __init__(self, world) -> None:
        self.world = world

    @cached_property
    def run_a(self):
        from apps.projects.services_quality import run_quality_gates

        return run_quality_gates(
            actor=self.world.csm, project=self.world.project_a, metrics={"coverage_percent": 96}, source="staff"
        )


def build(world) -> None:
    from tests.projects.factories import make_project

    world.project_a = make_project(customer=world.company_a, actor=world.csm, name="Matrix project A")
    world.lazy_quality = _LazyQuality(world)
