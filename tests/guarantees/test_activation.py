from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.guarantees.activation import activate_guarantee
from apps.guarantees.models import Guarantee, TemplateCriterion, TemplateMilestone
from tests.guarantees.factories import make_guarantee
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db


def test_activation_creates_30_days_and_four_weeks_due_on_days_7_14_21_28(company_a, csm):
    guarantee = make_guarantee(customer=company_a, actor=csm, guarantee_amount=Decimal("90000"))
    today = timezone.localdate()

    assert guarantee.status == Guarantee.Status.ACTIVE
    assert (guarantee.starts_on, guarantee.ends_on) == (today, today + timedelta(days=30))
    assert guarantee.amount == Decimal("90000")
    assert guarantee.threshold == Decimal("80.0")
    weeks = list(guarantee.milestones.order_by("week"))
    assert [m.due_date - today for m in weeks] == [timedelta(days=d) for d in (7, 14, 21, 28)]
    assert [(m.pass_threshold, m.escalation_threshold) for m in weeks] == [
        (Decimal("85.0"), Decimal("70.0")),
        (Decimal("80.0"), Decimal("65.0")),
        (Decimal("85.0"), Decimal("70.0")),
        (Decimal("90.0"), Decimal("75.0")),
    ]
    assert [c.method for c in weeks[0].criteria.order_by("position")] == [
        "stakeholder_sign_off",
        "technical_review",
        "automated_verification",
        "stakeholder_feedback",
    ]
    assert AuditEvent.objects.for_object(guarantee).get().action == "guarantee.activated"


@pytest.mark.parametrize("service_type", ["mvp_development", "legacy_modernization", "team_augmentation"])
def test_every_service_type_has_a_seeded_template_whose_weeks_weigh_one(company_a, csm, service_type):
    guarantee = make_guarantee(customer=company_a, actor=csm, service_type=service_type)

    for milestone in guarantee.milestones.all():
        assert sum(c.weight for c in milestone.criteria.all()) == Decimal(1)


def test_a_template_edit_never_changes_a_running_guarantee(company_a, csm):
    guarantee = make_guarantee(customer=company_a, actor=csm)
    week1 = TemplateMilestone.objects.get(template__service_type="mvp_development", week=1)
    week1.pass_threshold = Decimal("95")
    week1.save()
    TemplateCriterion.objects.filter(milestone=week1).update(name="Renamed")

    milestone = guarantee.milestones.get(week=1)
    assert milestone.pass_threshold == Decimal("85.0")
    assert "Renamed" not in set(milestone.criteria.values_list("name", flat=True))


def test_activating_twice_returns_the_same_guarantee(company_a, csm):
    guarantee = make_guarantee(customer=company_a, actor=csm)

    assert activate_guarantee(actor=csm, project=guarantee.project) == guarantee
    assert Guarantee.objects.count() == 1


def test_a_template_whose_weights_do_not_sum_to_one_is_refused_with_a_clear_error(company_a, csm):
    project = make_project(customer=company_a, actor=csm)
    TemplateCriterion.objects.filter(milestone__template__service_type="mvp_development", key="core-features").update(
        weight=Decimal("0.4")
    )

    with pytest.raises(ValidationError, match="week 2: criterion weights must sum to 1"):
        activate_guarantee(actor=csm, project=project)
    assert not Guarantee.objects.exists()
