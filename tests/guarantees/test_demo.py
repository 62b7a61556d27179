from __future__ import annotations

from types import SimpleNamespace

import pytest

from apps.customers import demo as customers_demo
from apps.guarantees import demo
from apps.guarantees.models import Guarantee
from apps.projects.models import Project

pytestmark = pytest.mark.django_db


def _ctx():
    ctx = SimpleNamespace(password="demo-password-123", log=lambda message: None)
    customers_demo.seed(ctx)
    return ctx


def _weeks(project_name: str) -> list[tuple[str, str]]:
    guarantee = Guarantee.objects.get(project__name=project_name)
    return [(m.status, m.review) for m in guarantee.milestones.order_by("week")]


def test_demo_guarantees_cover_every_stage_and_seeding_twice_adds_nothing(committed):
    ctx = _ctx()
    with committed():
        demo.seed(ctx)
    with committed():
        demo.seed(ctx)

    assert Project.objects.filter(name__in=[s["project"] for s in demo.SCENARIOS]).count() == 4
    assert set(Project.objects.values_list("status", flat=True)) == {"active"}
    assert _weeks("Route Planner Team Extension") == [("pending", "open")] * 4
    assert Guarantee.objects.get(project__name="Robot Arm Control MVP").status == "at_risk"
    assert _weeks("Robot Arm Control MVP")[:2] == [("success", "closed"), ("at_risk", "open")]
    recovered = Guarantee.objects.get(project__name="Clinical Scheduling Modernization")
    week3 = recovered.milestones.get(week=3)
    assert (week3.status, week3.review) == ("success", "awaiting_sign_off")
    assert list(week3.scores.values_list("status", flat=True)) == ["success", "failed"]
    assert week3.actions.filter(kind="escalation").exists()
    assert _weeks("Parts Catalogue MVP") == [("success", "closed")] * 4
    # The customer's voice comes from the customer: two approvers at Acme, so "2 of 2", never "10 of 10".
    approval = (
        Guarantee.objects.get(project__name="Parts Catalogue MVP")
        .milestones.get(week=1)
        .criteria.get(key="requirements-analysis")
    )
    assert approval.latest_evidence.data == {"approved": 2, "required": 2}
    by = {c["name"]: c["on_behalf"] for c in approval.latest_evidence.contributions}
    assert by == {"Alice Carter": False, "Raj Patel": True}  # Alice signed in; Raj's answer recorded by the CSM
