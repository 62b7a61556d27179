"""Final validation: decided once per round from the portal's data and the CSM's figures, with every source kept."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.guarantees.models import Guarantee, Milestone
from apps.notifications.models import OutboxMessage
from apps.outcomes import tasks
from apps.outcomes.final import run_final_validation, save_final_input
from apps.outcomes.models import FinalCriterionConfig, FinalValidation, OutcomeSettings, SuccessDocument
from tests.outcomes.factories import coverage, finish, make_guarantee, satisfaction, set_week_scores

pytestmark = pytest.mark.django_db


def _mvp(customer, weeks=(96, 97, 95, 98), cov="97", sat="9.4"):
    guarantee = make_guarantee(customer=customer)
    coverage(guarantee, cov)
    satisfaction(guarantee, sat)
    set_week_scores(guarantee, list(weeks))
    return guarantee


def test_an_mvp_guarantee_above_its_threshold_succeeds_with_every_figure_and_its_source(company_a, stakeholder_a):
    guarantee = _mvp(company_a)
    validation = finish(guarantee)
    guarantee.refresh_from_db()
    assert guarantee.status == Guarantee.Status.SUCCEEDED
    assert validation.outcome == "succeeded"
    # 0.4 x 96.5 + 0.3 x 100 + 0.3 x 100
    assert validation.score == D("98.6")
    assert validation.threshold == guarantee.threshold
    assert validation.trigger == FinalValidation.Trigger.END_DATE
    assert validation.config_version == OutcomeSettings.load().version
    by_key = {p["key"]: p for p in validation.criteria}
    assert by_key["weekly-milestones"]["actual"] == "96.5"
    assert by_key["test-coverage"]["evidence"]["method"] == "automated_testing"
    assert by_key["test-coverage"]["evidence"]["week"] == 2
    assert by_key["satisfaction"]["actual"] == "9.4"
    # Ten invited stakeholders answered the survey, one evidence version each: the tenth is the one that counts.
    assert by_key["satisfaction"]["evidence"]["version"] == 10
    assert [a["key"] for a in validation.achievements] == ["test-coverage", "satisfaction"]
    assert validation.case_study_candidate is True
    assert len(validation.inputs_hash) == 64


def test_success_writes_the_success_document_and_tells_the_csm_and_the_executive(company_a, stakeholder_a):
    guarantee = _mvp(company_a)
    validation = finish(guarantee)
    document = SuccessDocument.objects.get(guarantee=guarantee)
    assert document.validation == validation
    assert "succeeded with a final score of 98.6" in document.summary
    assert document.case_study_candidate is True
    recipients = set(
        OutboxMessage.objects.filter(event_key=f"final-validation:{validation.pk}").values_list(
            "recipient_key", flat=True
        )
    )
    assert recipients == {f"user:{company_a.owner_id}", f"stakeholder:{stakeholder_a.pk}"}


def test_running_final_validation_twice_changes_nothing(company_a, stakeholder_a):
    guarantee = _mvp(company_a)
    first = finish(guarantee)
    counts = (AuditEvent.objects.count(), OutboxMessage.objects.count(), FinalValidation.objects.count())
    second = finish(guarantee)
    third = tasks.run_final_validation(guarantee.pk)
    assert second.pk == first.pk
    assert second.inputs_hash == first.inputs_hash
    assert third == "succeeded"
    assert (AuditEvent.objects.count(), OutboxMessage.objects.count(), FinalValidation.objects.count()) == counts
    assert AuditEvent.objects.filter(action="guarantee.final_validated").count() == 1
    assert AuditEvent.objects.filter(action="guarantee.status_changed", object_id=str(guarantee.pk)).count() == 1


def test_a_low_score_makes_the_guarantee_claim_eligible_without_a_success_document(company_a):
    guarantee = _mvp(company_a, weeks=(60, 55, 50, 40), cov="70", sat="6")
    validation = finish(guarantee)
    guarantee.refresh_from_db()
    assert guarantee.status == Guarantee.Status.CLAIM_ELIGIBLE
    assert validation.outcome == "claim_eligible"
    assert validation.case_study_candidate is False
    assert not SuccessDocument.objects.filter(guarantee=guarantee).exists()


def test_nothing_is_decided_before_the_end_date_while_the_last_week_is_open(company_a):
    guarantee = _mvp(company_a)
    assert run_final_validation(guarantee_id=guarantee.pk, as_of=guarantee.ends_on - timedelta(days=1)) is None
    assert not FinalValidation.objects.exists()


def test_closing_the_last_week_decides_before_the_end_date(company_a):
    guarantee = _mvp(company_a)
    Milestone.objects.filter(guarantee=guarantee).update(review=Milestone.Review.CLOSED)
    validation = run_final_validation(guarantee_id=guarantee.pk, as_of=guarantee.starts_on + timedelta(days=28))
    assert validation.trigger == FinalValidation.Trigger.LAST_WEEK_CLOSED


def test_a_week_never_scored_counts_as_zero_in_the_weekly_mean(company_a):
    guarantee = _mvp(company_a, weeks=(100, 100, 100, None))
    validation = finish(guarantee)
    part = next(p for p in validation.criteria if p["key"] == "weekly-milestones")
    assert part["actual"] == "75.0"
    assert "W4 not scored (0)" in part["source"]


def test_the_latest_evidence_version_is_the_one_used(company_a):
    guarantee = _mvp(company_a, cov="80")
    newer = coverage(guarantee, "96")
    validation = finish(guarantee)
    part = next(p for p in validation.criteria if p["key"] == "test-coverage")
    assert part["actual"] == "96.0"
    assert part["evidence"]["evidence_id"] == newer.pk
    assert part["evidence"]["version"] == 2


def _legacy(customer):
    guarantee = make_guarantee(customer=customer, service_type="legacy_modernization", price=D("400000"))
    satisfaction(guarantee, "9")
    return guarantee


def _config(key, service_type="legacy_modernization"):
    return FinalCriterionConfig.objects.get(service_type=service_type, key=key)


def test_legacy_figures_entered_by_the_csm_are_scored_with_their_source(company_a, csm):
    guarantee = _legacy(company_a)
    save_final_input(
        actor=csm,
        guarantee=guarantee,
        config=_config("performance-improvement"),
        value=D("60"),
        source_note="Load test report 2026-03-01",
    )
    save_final_input(
        actor=csm,
        guarantee=guarantee,
        config=_config("vulnerability-reduction"),
        baseline=D("40"),
        current=D("2"),
        source_note="SAST scans before/after",
    )
    validation = finish(guarantee)
    by_key = {p["key"]: p for p in validation.criteria}
    assert by_key["performance-improvement"]["actual"] == "60.0"
    assert "Load test report" in by_key["performance-improvement"]["source"]
    assert by_key["vulnerability-reduction"]["actual"] == "95.0"
    assert by_key["vulnerability-reduction"]["evidence"]["baseline"] == "40.00"
    assert validation.outcome == "succeeded"


def test_last_week_closed_without_the_csm_figures_waits_and_asks_the_csm_once(company_a, csm):
    guarantee = _legacy(company_a)
    Milestone.objects.filter(guarantee=guarantee).update(review=Milestone.Review.CLOSED)
    early = guarantee.starts_on + timedelta(days=28)
    assert run_final_validation(guarantee_id=guarantee.pk, as_of=early) is None
    assert run_final_validation(guarantee_id=guarantee.pk, as_of=early) is None
    asked = OutboxMessage.objects.filter(event_key=f"final-inputs:{guarantee.pk}:r1")
    assert asked.filter(channel="email").count() == 1
    assert not FinalValidation.objects.exists()


def test_at_the_end_date_a_missing_csm_figure_scores_zero(company_a):
    guarantee = _legacy(company_a)
    validation = finish(guarantee)
    part = next(p for p in validation.criteria if p["key"] == "performance-improvement")
    assert part["actual"] is None
    assert part["reason"] == "no data"
    assert validation.outcome == "claim_eligible"


def test_csm_figures_cannot_change_after_the_guarantee_ended(company_a, csm):
    guarantee = _legacy(company_a)
    finish(guarantee)
    guarantee.refresh_from_db()
    with pytest.raises(ValidationError, match="can no longer change"):
        save_final_input(
            actor=csm, guarantee=guarantee, config=_config("performance-improvement"), value=D("70"), source_note="late"
        )


def test_a_figure_the_portal_computes_cannot_be_typed_in(company_a, csm):
    guarantee = _legacy(company_a)
    with pytest.raises(ValidationError, match="not entered by hand"):
        save_final_input(actor=csm, guarantee=guarantee, config=_config("satisfaction"), value=D("10"), source_note="x")


def test_saving_a_csm_figure_is_audited_with_before_and_after(company_a, csm):
    guarantee = _legacy(company_a)
    config = _config("performance-improvement")
    save_final_input(actor=csm, guarantee=guarantee, config=config, value=D("40"), source_note="first run")
    save_final_input(actor=csm, guarantee=guarantee, config=config, value=D("55"), source_note="rerun")
    event = AuditEvent.objects.filter(action="final_input.saved").first()
    assert event.data["before"]["value"] == "40.00"
    assert event.data["after"]["value"] == "55"


def test_the_scheduled_task_decides_every_guarantee_whose_end_date_came_once(company_a, company_b):
    due = _mvp(company_a)
    not_due = _mvp(company_b)
    Guarantee.objects.filter(pk=due.pk).update(ends_on=timezone.localdate())
    assert tasks.run_due_final_validations() == 1
    assert tasks.run_due_final_validations() == 0
    assert FinalValidation.objects.filter(guarantee=due).count() == 1
    assert not FinalValidation.objects.filter(guarantee=not_due).exists()
