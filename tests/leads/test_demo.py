"""The demo leads cover every level, fit and disqualifier, and seeding twice adds nothing."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from apps.leads import demo
from apps.leads.models import Lead, LeadScore
from apps.leads.scoring.config import DISQUALIFIER_CODES

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(csm, admin_user):
    return SimpleNamespace(csm=csm, admin=admin_user, log=lambda message: None)


def test_the_demo_leads_cover_every_level_fit_and_disqualifier(ctx):
    demo.seed(ctx)
    leads = list(Lead.objects.select_related("latest_score"))
    scores = [lead.latest_score for lead in leads]
    assert len(leads) == len(demo.NAMES)
    assert {s.qualification_level for s in scores} == {
        "highly_qualified",
        "qualified",
        "moderately_qualified",
        "unqualified",
    }
    assert {s.feasibility_level for s in scores} == {"highly_feasible", "feasible", "marginal", "infeasible"}
    fits = {fit["fit"] for s in scores for fit in s.qualification["service_fit"]}
    assert fits == {"ideal", "fit", "weak", "blocked"}
    codes = {item["code"] for s in scores for item in s.qualification["all_disqualifiers"]}
    assert codes == set(DISQUALIFIER_CODES)
    assert any(lead.is_stopped for lead in leads)
    assert any(lead.is_overridden for lead in leads)
    assert {"proposal", "won", "lost"} <= {lead.status for lead in leads}


def test_seeding_twice_adds_nothing(ctx):
    demo.seed(ctx)
    counts = Lead.objects.count(), LeadScore.objects.count()
    demo.seed(ctx)
    assert (Lead.objects.count(), LeadScore.objects.count()) == counts
