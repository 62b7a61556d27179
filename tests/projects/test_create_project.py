from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.audit.models import AuditEvent
from apps.projects.models import Project
from apps.tiers.models import Tier
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db


def test_create_project_starts_in_kickoff_pending_with_six_phases_and_five_environments(company_a, csm):
    project = make_project(customer=company_a, actor=csm)

    assert project.status == Project.Status.KICKOFF_PENDING
    assert [p.key for p in project.phases.all()] == [
        "project_setup",
        "team_assembly",
        "environment_provisioning",
        "stakeholder_onboarding",
        "guarantee_activation",
        "launch",
    ]
    assert [e.name for e in project.environments.all()] == ["repository", "ci", "development", "staging", "production"]
    assert (project.source_proposal_id, project.source_lead_id) == (None, None)  # entered without a proposal
    assert AuditEvent.objects.for_object(project).get().action == "project.created"


def test_create_project_copies_the_tier_so_a_tier_edit_does_not_change_it(company_a, csm):
    tier = Tier.objects.get(slug="enterprise-mvp")
    project = make_project(customer=company_a, actor=csm, tier=tier)
    tier.developer_agents = 9
    tier.save(update_fields=["developer_agents"])

    project.refresh_from_db()
    assert project.tier == tier
    assert (project.tier_slug, project.tier_name, project.developer_agents) == ("enterprise-mvp", "Enterprise MVP", 5)


def test_create_project_refuses_a_threshold_above_100(company_a, csm):
    with pytest.raises(ValidationError):
        make_project(customer=company_a, actor=csm, guarantee_threshold=Decimal("101"))
    assert not Project.objects.exists()


def test_client_sees_only_their_own_companys_projects(company_a, company_b, customer_a, csm):
    own = make_project(customer=company_a, actor=csm)
    make_project(customer=company_b, actor=csm)

    assert list(Project.objects.visible_to(customer_a)) == [own]
    assert Project.objects.visible_to(csm).count() == 2
