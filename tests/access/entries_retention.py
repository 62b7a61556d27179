from __future__ import annotations

from django.urls import reverse

from tests.access.matrix import API_KEY_ONLY, CLIENT_ANY, CLIENT_OWN, PUBLIC, STAFF, STAFF_ACTION, Entry


def _a(name: str):
    return lambda w: reverse(name, args=[w.company_a.pk])


ENTRIES = {
    "retention:survey_send": Entry(_a("retention:survey_send"), STAFF),
    "retention:touchpoint_add": Entry(_a("retention:touchpoint_add"), STAFF),
    "retention:review_add": Entry(_a("retention:review_add"), STAFF),
    "retention:health_recompute": Entry(_a("retention:health_recompute"), STAFF_ACTION, method="post"),
    "retention:tasks": Entry(lambda w: reverse("retention:tasks"), STAFF),
    "retention:task_close": Entry(
        lambda w: reverse("retention:task_close", args=[w.task_a.pk]),
        STAFF_ACTION,
        method="post",
        data=lambda w: {"status": "done"},
    ),
    "retention:playbook_start": Entry(_a("retention:playbook_start"), STAFF),
    "retention:playbooks": Entry(lambda w: reverse("retention:playbooks"), STAFF),
    "customers:churn": Entry(_a("customers:churn"), STAFF),
    "client_retention:list": Entry(lambda w: reverse("client_retention:list"), CLIENT_ANY),
    # Company A's stakeholder's own invitation: B gets a 404, staff a 403 (the client view is for clients).
    "client_retention:answer": Entry(
        lambda w: reverse("client_retention:answer", args=[w.invitation_a.pk]), CLIENT_OWN
    ),
    # The emailed link needs no login: the signature is the key, and it names one invitation.
    "survey_link:answer": Entry(lambda w: reverse("survey_link:answer", args=[w.survey_token_a]), PUBLIC),
    "api:list_customers": Entry(lambda w: reverse("api:list_customers"), API_KEY_ONLY),
    "api:customer_health": Entry(lambda w: reverse("api:customer_health", args=[w.company_a.pk]), API_KEY_ONLY),
    "api:post_survey": Entry(
        lambda w: reverse("api:post_survey", args=[w.company_a.pk]),
        API_KEY_ONLY,
        method="post",
        data=lambda w: {"stakeholder_ids": [w.stakeholder_a.pk]},
        content_type="application/json",
    ),
}


def build(world) -> None:
    from django.utils import timezone

    from apps.retention.models import Task
    from apps.retention.surveys import link_token, send_survey

    survey = send_survey(actor=world.csm, customer=world.company_a, stakeholders=[world.stakeholder_a])
    world.invitation_a = survey.invitations.get()
    world.survey_token_a = link_token(world.invitation_a)
    world.task_a = Task.objects.create(
        customer=world.company_a,
        kind=Task.Kind.DETRACTOR_FOLLOW_UP,
        title="Follow up",
        owner=world.csm,
        due_on=timezone.localdate(),
    )
