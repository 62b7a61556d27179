"""The expansion opportunities board and its actions: staff only (customers of either company get a 403)."""

from __future__ import annotations

from django.urls import reverse

from tests.access.matrix import STAFF, STAFF_ACTION, Entry


def _o(name: str):
    return lambda w: reverse(name, args=[w.opportunity_a.pk])


ENTRIES = {
    "retention:opportunities": Entry(lambda w: reverse("retention:opportunities"), STAFF),
    "retention:opportunity_move": Entry(
        _o("retention:opportunity_move"), STAFF_ACTION, method="post", data=lambda w: {"stage": "proposal"}
    ),
    "retention:opportunity_won": Entry(_o("retention:opportunity_won"), STAFF),
    "retention:opportunity_lost": Entry(_o("retention:opportunity_lost"), STAFF),
    "retention:opportunity_add": Entry(lambda w: reverse("retention:opportunity_add", args=[w.company_a.pk]), STAFF),
}


def build(world) -> None:
    from apps.retention.models import ExpansionType
    from apps.retention.opportunities import add_opportunity

    kind = ExpansionType.objects.get(key="scaling_services")
    world.opportunity_a = add_opportunity(actor=world.csm, customer=world.company_a, kind=kind)
