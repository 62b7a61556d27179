from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.guarantees.models import MethodSettings, TemplateMilestone

pytestmark = pytest.mark.django_db


def _settings_post(**overrides):
    row = MethodSettings.load()
    data = {
        name: str(getattr(row, name))
        for name in (*[f.name for f in MethodSettings._meta.fields if f.name not in ("id", "version", "updated_at")],)
    }
    data.update(overrides)
    return data


def test_editing_the_validation_settings_raises_their_version(client, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:guarantees_methodsettings_change", args=[1])

    response = client.post(url, _settings_post(security_medium_penalty="10"))

    assert response.status_code == 302
    row = MethodSettings.load()
    assert (row.version, row.security_medium_penalty) == (2, Decimal("10"))


def test_settings_whose_weights_do_not_sum_to_one_are_refused(client, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:guarantees_methodsettings_change", args=[1])

    response = client.post(url, _settings_post(testing_coverage_weight="0.7"))

    assert response.status_code == 200
    assert b"Automated testing weights must sum to 1" in response.content
    assert MethodSettings.load().version == 1


def test_a_template_week_whose_weights_do_not_sum_to_one_is_refused(client, admin_user):
    client.force_login(admin_user)
    week = TemplateMilestone.objects.get(template__service_type="mvp_development", week=2)
    criteria = list(week.criteria.order_by("position"))
    data = {
        "template": week.template_id,
        "week": 2,
        "title": week.title,
        "due_day": 14,
        "pass_threshold": "80",
        "escalation_threshold": "65",
        "criteria-TOTAL_FORMS": len(criteria),
        "criteria-INITIAL_FORMS": len(criteria),
        "criteria-MIN_NUM_FORMS": 0,
        "criteria-MAX_NUM_FORMS": 1000,
    }
    for i, c in enumerate(criteria):
        weight = "0.6" if i == 0 else str(c.weight)
        data.update(
            {
                f"criteria-{i}-id": c.pk,
                f"criteria-{i}-milestone": week.pk,
                f"criteria-{i}-position": c.position,
                f"criteria-{i}-key": c.key,
                f"criteria-{i}-name": c.name,
                f"criteria-{i}-weight": weight,
                f"criteria-{i}-method": c.method,
            }
        )

    response = client.post(reverse("admin:guarantees_templatemilestone_change", args=[week.pk]), data)

    assert response.status_code == 200
    assert b"must sum to 1 (they sum to 1.1" in response.content
