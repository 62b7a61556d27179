"""The guarantees app's last-week hook runs final validation when the approvers sign off the last week."""

from __future__ import annotations

import pytest

from apps.guarantees.hooks import LAST_WEEK_CLOSED
from apps.guarantees.models import Guarantee
from apps.guarantees.signoff import record_signoff, submit_for_sign_off
from apps.guarantees.validation import digest_of
from apps.outcomes.models import FinalValidation, SuccessDocument
from apps.outcomes.pages import success_page
from tests.outcomes.factories import coverage, make_guarantee, satisfaction, set_week_scores

pytestmark = pytest.mark.django_db


def test_final_validation_is_registered_on_the_last_week_hook():
    assert "apps.outcomes.tasks.run_final_validation" in LAST_WEEK_CLOSED


def test_signing_off_the_last_week_decides_the_guarantee_before_day_30(
    company_a, csm, customer_a, django_capture_on_commit_callbacks
):
    guarantee = make_guarantee(customer=company_a)
    coverage(guarantee, "97")
    satisfaction(guarantee, "9.5")
    set_week_scores(guarantee, [95, 96, 97, 98])
    for milestone in guarantee.milestones.order_by("week"):
        with django_capture_on_commit_callbacks(execute=True):
            submit_for_sign_off(actor=csm, milestone=milestone)
            record_signoff(
                user=customer_a,
                milestone_id=milestone.pk,
                decision="approved",
                reason=f"Week {milestone.week} delivered what we asked for.",
                digest_seen=digest_of(milestone),
                ip=None,
                user_agent="pytest",
            )
        decided = FinalValidation.objects.filter(guarantee=guarantee).exists()
        assert decided == (milestone.week == 4)
    validation = FinalValidation.objects.get(guarantee=guarantee)
    assert validation.trigger == FinalValidation.Trigger.LAST_WEEK_CLOSED
    guarantee.refresh_from_db()
    assert guarantee.status == Guarantee.Status.SUCCEEDED
    page = success_page(SuccessDocument.objects.get(guarantee=guarantee))
    assert [s.reason for s in page["testimonials"]][0] == "Week 1 delivered what we asked for."
    assert len(page["testimonials"]) == 4
