"""The demo data: proposals in every state, converted customers with education under way, safe to run twice."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from apps.customers.models import Customer
from apps.education.models import PlanItem
from apps.projects.models import Project
from apps.tiers.models import Proposal


def test_the_demo_has_proposals_in_every_state_and_converted_customers_learning(seeded_demo, client):
    call_command("seed_demo", stdout=StringIO())  # a second run
    keys = {p.status_key for p in Proposal.objects.all()}
    assert keys >= {"draft", "sent", "expired", "superseded", "declined", "accepted"}
    assert Proposal.objects.filter(status="accepted", accepted_offline=True).count() == 1
    converted = Customer.objects.filter(name__in=["Sierra Solar", "Tundra Systems", "Umbra Studios"])
    assert converted.count() == 3
    assert Project.objects.filter(customer__in=converted).count() == 3
    items = PlanItem.objects.filter(plan__customer__in=converted)
    assert items.filter(completed_at__isnull=False).count() == 3
    assert items.filter(completed_at__isnull=True).exists()
    assert client.login(email="sam@sierra.example", password="portal-demo-2026")
    assert "How our delivery works" in client.get("/client/learning/").content.decode()
