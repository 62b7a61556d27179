"""The demo shows every way a guarantee ends: a success document, one claim per remedy, one refund paid."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from apps.outcomes.models import Claim, FinalValidation, Payout, Remedy, SuccessDocument


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (FinalValidation, SuccessDocument, Claim, Payout))


def test_the_demo_has_a_success_document_a_claim_per_remedy_and_a_paid_refund_and_is_safe_twice(seeded_demo):
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first
    document = SuccessDocument.objects.get()
    assert document.business_impact
    assert document.case_study_candidate
    assert sorted(Claim.objects.values_list("remedy", flat=True)) == sorted(Remedy.values)
    payout = Payout.objects.get()
    assert payout.status == Payout.Status.PAID
    assert payout.claim.status == Claim.Status.PAID
    extended = Claim.objects.get(remedy=Remedy.CONTINUED_DEVELOPMENT)
    assert extended.status == Claim.Status.FULFILLED
    assert extended.guarantee.milestones.count() == 6
