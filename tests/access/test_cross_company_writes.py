"""Company B's client cannot write to company A's objects: each client-view form posted with valid data by B is a
404 and changes nothing, while the same post by A's own stakeholder is recorded (so the refusal is the scoping, not a
bad form). The access matrix checks the pages; this checks the writes behind them."""

from __future__ import annotations

import pytest

from apps.audit.models import AuditEvent
from apps.education.models import PlanItem
from apps.guarantees.models import Evidence, SignOff
from apps.outcomes.models import Claim
from tests.access.test_access_matrix import ENTRIES, _world
from tests.customers.factories import StakeholderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """The world's evidence file (and any file a junk post stores) goes to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path


# Every client-view URL that writes, with data its form accepts; `recorded` says whether A's post writes in the
# matrix's world (a week must be awaiting sign-off before anyone can sign it off).
WRITES = {
    "client_guarantees:input": ({"rating": "9", "note": "Great week"}, True),
    "client_outcomes:claim_open": ({"remedy": "refund", "description": "It failed."}, True),
    "client_education:mark": ({"done": "1"}, True),
    "client_guarantees:sign_off": ({"decision": "approved", "reason": "Fine", "digest": "0" * 64}, False),
    "client_retention:answer": ({"nps": "9", "csat": "8", "comment": "Good weeks."}, True),
    # Marking one's own notification read changes only that notification (no audited record).
    "notifications:mark_read": ({}, False),
}


def _state() -> tuple[int, ...]:
    return (
        AuditEvent.objects.count(),
        Evidence.objects.count(),
        Claim.objects.count(),
        SignOff.objects.count(),
        PlanItem.objects.filter(completed_at__isnull=False).count(),
    )


def test_every_client_url_on_company_a_objects_that_takes_a_post_is_covered_here(client):
    world = _world()
    client.force_login(world.customer_a)
    own = [name for name, e in ENTRIES.items() if e.expect["customer_b"] == 404 and e.expect["customer_a"] != 404]
    posting = {name for name in own if client.post(ENTRIES[name].url(world)).status_code != 405}
    assert posting == set(WRITES)


@pytest.mark.parametrize("name", sorted(WRITES))
def test_company_b_posting_to_company_a_objects_gets_a_404_and_changes_nothing(client, name):
    world = _world()
    url, (data, recorded) = ENTRIES[name].url(world), WRITES[name]
    before = _state()

    client.force_login(world.customer_b)
    for headers in ({}, {"HX-Request": "true"}):
        assert client.post(url, data, headers=headers).status_code == 404
    assert _state() == before

    client.force_login(world.customer_a)
    response = client.post(url, data)
    assert response.status_code < 400
    assert (_state() != before) is recorded


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_colleague_at_the_same_company_cannot_open_or_mark_another_stakeholders_education_item(client, method):
    world = _world()
    colleague = StakeholderFactory(customer=world.company_a, email="colleague@a.example", with_login=True)
    client.force_login(colleague.user)
    name = "client_education:item" if method == "get" else "client_education:mark"

    response = getattr(client, method)(ENTRIES[name].url(world), {"done": "1"} if method == "post" else {})

    assert response.status_code == 404
    assert not PlanItem.objects.filter(completed_at__isnull=False).exists()
