"""Admins edit the quality gates; every edit is a new settings version that later runs record."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.projects.models_quality import QualityGate, QualityGateSettings
from apps.projects.services_quality import run_quality_gates
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db


def _form_data(settings_row: QualityGateSettings, **changes) -> dict[str, str]:
    gates = list(settings_row.gates.order_by("position"))
    data = {
        "code_weight": "0.4",
        "delivery_weight": "0.3",
        "process_weight": "0.3",
        "escalate_below": "80",
        "escalate_failed_over": "2",
        "signoff_grace_days": "2",
        "gates-TOTAL_FORMS": str(len(gates)),
        "gates-INITIAL_FORMS": str(len(gates)),
        "gates-MIN_NUM_FORMS": "0",
        "gates-MAX_NUM_FORMS": "1000",
    }
    for i, gate in enumerate(gates):
        data.update(
            {
                f"gates-{i}-id": str(gate.pk),
                f"gates-{i}-gate_settings": str(settings_row.pk),
                f"gates-{i}-position": str(gate.position),
                f"gates-{i}-direction": gate.direction,
                f"gates-{i}-threshold": str(gate.threshold),
                f"gates-{i}-recommendation": gate.recommendation,
            }
        )
    data.update(changes)
    return data


def test_the_seeded_defaults_are_domain_section_5():
    settings_row = QualityGateSettings.load()
    gates = {g.key: (g.direction, g.threshold) for g in QualityGate.objects.all()}

    assert settings_row.weights() == {"code": Decimal("0.4"), "delivery": Decimal("0.3"), "process": Decimal("0.3")}
    assert (settings_row.escalate_below, settings_row.escalate_failed_over) == (Decimal(80), 2)
    assert gates["coverage_percent"] == ("at_least", Decimal(95))
    assert gates["cyclomatic_complexity"] == ("at_most", Decimal(10))
    assert gates["high_critical_vulnerabilities"] == ("at_most", Decimal(0))
    assert gates["escalation_resolution_hours"] == ("at_most", Decimal(24))
    assert gates["satisfaction"] == ("at_least", Decimal(8))
    assert len(gates) == 13


def test_an_admin_edit_of_a_threshold_is_a_new_version_used_by_the_next_run(client, admin_user, company_a, csm):
    client.force_login(admin_user)
    settings_row = QualityGateSettings.load()
    url = reverse("admin:projects_qualitygatesettings_change", args=[settings_row.pk])

    response = client.post(url, _form_data(settings_row, **{"gates-0-threshold": "90"}))

    assert response.status_code == 302
    settings_row.refresh_from_db()
    assert settings_row.version == 2
    run = run_quality_gates(
        actor=None, project=make_project(customer=company_a, actor=csm), metrics={"coverage_percent": 91}, source="api"
    )
    assert run.config_version == 2
    assert run.families["code"]["gates"][0]["passed"] is True


def test_a_threshold_outside_the_metrics_range_is_refused(client, admin_user):
    client.force_login(admin_user)
    settings_row = QualityGateSettings.load()
    url = reverse("admin:projects_qualitygatesettings_change", args=[settings_row.pk])

    response = client.post(url, _form_data(settings_row, **{"gates-0-threshold": "120"}))

    assert response.status_code == 200
    assert "Enter a number from 0 to 100." in response.content.decode()
    settings_row.refresh_from_db()
    assert settings_row.version == 1
