"""Lead intake, background scoring, stop overrides, status moves and guarantee outcomes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.audit.models import AuditEvent
from apps.leads import services
from apps.leads.models import GuaranteeOutcome, Lead, LeadScore
from tests.leads.factories import LeadFactory, lead_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(django_capture_on_commit_callbacks):
    """Create a lead through the service and let its scoring task run (tasks are synchronous in tests)."""

    def make(actor, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            lead = services.create_lead(actor=actor, data=lead_input(owner=actor, **overrides))
        lead.refresh_from_db()
        return lead

    return make


def test_creating_a_lead_scores_it_in_the_background(csm, scored):
    lead = scored(csm)
    assert lead.latest_score is not None
    assert not lead.score_pending
    assert lead.latest_score.qualification_score == Decimal("100.0")
    assert lead.status == Lead.Status.QUALIFIED
    assert lead.latest_score.config_version.number == 1


def test_a_new_lead_is_pending_until_its_task_runs(csm):
    lead = services.create_lead(actor=csm, data=lead_input(owner=csm))
    assert lead.status == Lead.Status.NEW
    assert lead.score_pending
    assert lead.qualification_level is None


def test_scoring_twice_with_the_same_inputs_changes_nothing(csm, scored):
    lead = scored(csm)
    updated_at = lead.updated_at
    score = services.score_lead(lead_id=lead.pk)
    lead.refresh_from_db()
    assert score == lead.latest_score
    assert LeadScore.objects.filter(lead=lead).count() == 1
    assert lead.updated_at == updated_at
    assert AuditEvent.objects.filter(action="lead.scored").count() == 1


def test_changing_an_input_rescores_and_keeps_the_old_score(csm, scored, django_capture_on_commit_callbacks):
    lead = scored(csm)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_lead(actor=csm, lead=lead, data={"answers": {}})
    lead.refresh_from_db()
    assert lead.latest_score.qualification_score < Decimal(60)
    assert lead.status == Lead.Status.UNQUALIFIED
    assert lead.scores.count() == 2


def test_changing_only_the_contact_does_not_rescore(csm, scored, django_capture_on_commit_callbacks):
    lead = scored(csm)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.update_lead(actor=csm, lead=lead, data={"contact_name": "Someone Else"})
    assert callbacks == []
    assert lead.scores.count() == 1


def test_going_back_to_earlier_inputs_reuses_the_earlier_score(csm, scored, django_capture_on_commit_callbacks):
    lead = scored(csm)
    first = lead.latest_score
    with django_capture_on_commit_callbacks(execute=True):
        services.update_lead(actor=csm, lead=lead, data={"team_size": 0})
    with django_capture_on_commit_callbacks(execute=True):
        services.update_lead(actor=csm, lead=lead, data={"team_size": 4})
    lead.refresh_from_db()
    assert lead.latest_score == first
    assert lead.scores.count() == 2


def test_a_missing_tiers_task_does_not_break_scoring(csm, scored):
    lead = scored(csm)
    assert lead.latest_score is not None


def test_bad_answers_are_refused_with_nothing_saved(csm):
    with pytest.raises(ValidationError):
        services.create_lead(actor=csm, data=lead_input(answers={"requirements_clarity": "crystal"}))
    assert not Lead.objects.exists()


def test_a_zero_week_timeline_is_refused(csm):
    with pytest.raises(ValidationError):
        services.create_lead(actor=csm, data=lead_input(timeline_weeks=0))
    assert not Lead.objects.exists()


def test_an_unqualified_lead_is_stopped_until_a_csm_overrides_it(csm, scored):
    lead = scored(csm, answers={})
    assert lead.open_stops == ["unqualified"]
    services.override_stop(actor=csm, lead=lead, reason="Board approved the budget yesterday by phone.")
    lead.refresh_from_db()
    assert not lead.is_stopped
    assert lead.is_overridden
    assert lead.overridden_by == csm
    event = AuditEvent.objects.get(action="lead.stop_overridden")
    assert event.data["reason"].startswith("Board approved")


def test_an_infeasible_lead_is_stopped(csm, scored):
    lead = scored(csm, timeline_weeks=1, complexity="very_high", team_size=0, budget_usd=Decimal(0))
    assert "infeasible" in lead.open_stops


def test_an_override_needs_a_written_reason(csm, scored):
    lead = scored(csm, answers={})
    with pytest.raises(ValidationError):
        services.override_stop(actor=csm, lead=lead, reason="  ok  ")
    lead.refresh_from_db()
    assert lead.is_stopped


def test_a_lead_that_is_not_stopped_cannot_be_overridden(csm, scored):
    lead = scored(csm)
    with pytest.raises(ValidationError, match="not stopped"):
        services.override_stop(actor=csm, lead=lead, reason="Just because we want to.")


def test_a_stopped_lead_gets_no_proposal_until_overridden(csm, scored):
    lead = scored(csm, answers={})
    with pytest.raises(ValidationError):
        services.change_lead_status(actor=csm, lead=lead, status=Lead.Status.PROPOSAL)
    services.override_stop(actor=csm, lead=lead, reason="The sponsor confirmed alignment in writing.")
    services.change_lead_status(actor=csm, lead=lead, status=Lead.Status.PROPOSAL)
    assert lead.status == Lead.Status.PROPOSAL


def test_losing_a_lead_needs_a_reason(csm, scored):
    lead = scored(csm)
    with pytest.raises(ValidationError):
        services.change_lead_status(actor=csm, lead=lead, status=Lead.Status.LOST)
    services.change_lead_status(actor=csm, lead=lead, status=Lead.Status.LOST, lost_reason="Chose a competitor")
    lead.refresh_from_db()
    assert (lead.status, lead.lost_reason) == ("lost", "Chose a competitor")


def test_only_a_proposal_can_be_won(csm, scored):
    lead = scored(csm)
    with pytest.raises(ValidationError):
        services.change_lead_status(actor=csm, lead=lead, status=Lead.Status.WON)
    services.change_lead_status(actor=csm, lead=lead, status=Lead.Status.PROPOSAL)
    services.change_lead_status(actor=csm, lead=lead, status=Lead.Status.WON)
    assert lead.status == Lead.Status.WON


def test_rescoring_a_won_lead_keeps_its_status(csm, scored, django_capture_on_commit_callbacks):
    lead = scored(csm)
    services.change_lead_status(actor=csm, lead=lead, status=Lead.Status.PROPOSAL)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_lead(actor=csm, lead=lead, data={"answers": {}})
    lead.refresh_from_db()
    assert lead.status == Lead.Status.PROPOSAL
    assert lead.qualification_level == "unqualified"


def test_a_guarantee_outcome_is_counted_in_the_leads_probability_band(csm, scored):
    lead = scored(csm)
    outcome = services.record_guarantee_outcome(lead=lead, succeeded=True)
    assert outcome.band == lead.latest_score.probability_band == lead.probability_band
    services.record_guarantee_outcome(lead=lead, succeeded=False)
    assert GuaranteeOutcome.objects.get(lead=lead).succeeded is False


def test_an_unscored_lead_has_no_band_to_count_an_outcome_in():
    lead = LeadFactory()
    with pytest.raises(ValidationError):
        services.record_guarantee_outcome(lead=lead, succeeded=True)


def test_the_tiers_accessors_read_the_current_score(csm, scored):
    lead = scored(csm, team_size=0, service_type="team_augmentation")
    assert lead.disqualifier_codes == ["no_existing_team"]
    assert lead.blocked_service_types == {"team_augmentation", "legacy_modernization"}
    assert lead.estimated_weeks == Decimal("5.5")
    assert lead.qualification_level in {"highly_qualified", "qualified"}
    assert lead.config_version_number == 1
    assert lead.latest_score.estimated_weeks_rounded_up == 6
    assert lead.facts().team_size == 0
