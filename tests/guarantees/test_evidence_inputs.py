from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.guarantees.client_input import (
    invite_participants,
    record_stakeholder_input,
    record_stakeholder_response,
    recorded_by_text,
)
from apps.guarantees.models import Evidence
from apps.guarantees.recording import record_evidence
from apps.guarantees.reminders import moment, send_due_reminders
from apps.guarantees.signoff import submit_for_sign_off
from apps.notifications.models import OutboxMessage
from tests.customers.factories import StakeholderFactory
from tests.guarantees.factories import EVIDENCE_AT, give_evidence, make_guarantee, week
from tests.pages import assert_not_found

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def guarantee(company_a, csm, stakeholder_a):
    return make_guarantee(customer=company_a, actor=csm)


def _review(guarantee, csm, upload):
    criterion = week(guarantee, 1).criteria.get(key="system-architecture")
    return record_evidence(
        actor=csm, criterion=criterion, data=EVIDENCE_AT["technical_review"](80), source="staff", upload=upload
    )


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("report.pdf", PDF, "application/pdf"),
        ("shot.png", PNG, "image/png"),
        ("notes.txt", b"All good", "text/plain"),
    ],
)
def test_an_allowed_file_is_stored_privately_with_its_detected_type_and_hash(
    guarantee, csm, settings, tmp_path, name, content, mime
):
    settings.MEDIA_ROOT = tmp_path
    evidence = _review(guarantee, csm, SimpleUploadedFile(name, content))

    assert (evidence.file_name, evidence.file_type, evidence.file_size) == (name, mime, len(content))
    assert len(evidence.file_sha256) == 64
    assert name not in evidence.file.name  # stored under a random name
    assert (tmp_path / evidence.file.name).read_bytes() == content


def test_a_file_whose_content_is_not_an_allowed_type_is_refused_whatever_its_name(guarantee, csm, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    executable = b"MZ\x90\x00\x03" + b"\x00" * 64  # a Windows executable renamed to .pdf
    with pytest.raises(ValidationError, match="not accepted"):
        _review(guarantee, csm, SimpleUploadedFile("report.pdf", executable))


def test_a_file_over_the_size_limit_is_refused(guarantee, csm, settings, tmp_path):
    settings.MEDIA_ROOT, settings.EVIDENCE_MAX_UPLOAD_BYTES = tmp_path, 10
    with pytest.raises(ValidationError, match="the limit is 10"):
        _review(guarantee, csm, SimpleUploadedFile("notes.txt", b"more than ten bytes"))


def test_a_file_whose_row_cannot_be_written_does_not_stay_on_disk(guarantee, csm, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path

    def fail_to_audit(**kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr("apps.guarantees.recording.record_event", fail_to_audit)
    with pytest.raises(RuntimeError):
        _review(guarantee, csm, SimpleUploadedFile("report.pdf", PDF))

    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []
    assert not Evidence.objects.exists()


def test_evidence_whose_file_went_missing_is_a_clear_404_not_a_server_error(guarantee, csm, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    evidence = _review(guarantee, csm, SimpleUploadedFile("report.pdf", PDF))
    (tmp_path / evidence.file.name).unlink()
    client.force_login(csm)

    response = client.get(reverse("guarantees:evidence_download", args=[evidence.pk]))

    assert_not_found(response)
    assert Evidence.objects.filter(pk=evidence.pk).exists()  # the record stays; only its file is gone


def test_stakeholder_ratings_are_kept_per_person_and_a_new_rating_replaces_the_old_one(
    guarantee, customer_a, company_a
):
    other = StakeholderFactory(customer=company_a, email="other@a.example", with_login=True)
    criterion = week(guarantee, 1).criteria.get(key="team-communication")

    record_stakeholder_input(user=customer_a, criterion=criterion, values={"rating": 6})
    record_stakeholder_input(user=other.user, criterion=criterion, values={"rating": 9})
    evidence = record_stakeholder_input(user=customer_a, criterion=criterion, values={"rating": 8})

    assert evidence.version == 3
    assert evidence.data == {"ratings": ["9", "8"]}
    assert evidence.score == Decimal("85.0")
    assert evidence.source == "client"


def test_approvals_count_against_every_approver_of_the_company(guarantee, customer_a, approver_a2):
    criterion = week(guarantee, 1).criteria.get(key="requirements-analysis")

    evidence = record_stakeholder_input(user=customer_a, criterion=criterion, values={"approved": True})

    assert evidence.data == {"approved": 1, "required": 2}
    assert evidence.score == Decimal("50.0")


def test_only_approvers_approve_and_machine_methods_are_not_client_input(guarantee, company_a):
    viewer = StakeholderFactory(customer=company_a, email="viewer@a.example", with_login=True)
    milestone = week(guarantee, 1)

    with pytest.raises(ValidationError, match="Only the customer's approvers can give an approval"):
        record_stakeholder_input(
            user=viewer.user, criterion=milestone.criteria.get(key="requirements-analysis"), values={"approved": True}
        )
    with pytest.raises(ValidationError, match="recorded by your customer success manager"):
        record_stakeholder_input(
            user=viewer.user, criterion=milestone.criteria.get(key="system-architecture"), values={"score": "9"}
        )
    assert not Evidence.objects.exists()


@pytest.fixture
def testers(company_a):
    return [
        StakeholderFactory(customer=company_a, name=f"Tess {i}", email=f"tess{i}@a.example", with_login=True)
        for i in range(1, 6)
    ]


def test_uat_counts_approving_votes_over_everyone_invited(guarantee, csm, testers):
    uat = week(guarantee, 3).criteria.get(key="user-acceptance")
    invite_participants(actor=csm, criterion=uat, stakeholders=testers)

    evidence = record_stakeholder_input(user=testers[0].user, criterion=uat, values={"approves": True})

    # DOMAIN: approving / all invited participants; four who have not voted count as not approving: 1 / 5 = 20.
    assert evidence.data == {"participants_approving": 1, "participants_total": 5}
    assert evidence.score == Decimal("20.0")
    for tester in testers[1:]:
        evidence = record_stakeholder_input(user=tester.user, criterion=uat, values={"approves": True})
    assert evidence.score == Decimal("100.0")


def test_uat_votes_and_survey_answers_are_only_for_the_invited(guarantee, csm, testers, customer_a):
    uat = week(guarantee, 3).criteria.get(key="user-acceptance")
    survey = week(guarantee, 4).criteria.get(key="satisfaction-survey")
    invite_participants(actor=csm, criterion=uat, stakeholders=testers[:1])
    invite_participants(actor=csm, criterion=survey, stakeholders=testers[:1])

    # customer_a is the executive approver: a role that approves, but was not invited to vote or answer.
    with pytest.raises(ValidationError, match="Only stakeholders invited"):
        record_stakeholder_input(user=customer_a, criterion=uat, values={"approves": True})
    with pytest.raises(ValidationError, match="Only stakeholders invited"):
        record_stakeholder_input(user=customer_a, criterion=survey, values={"score": 10})
    assert not Evidence.objects.exists()


def test_each_invited_stakeholder_answers_the_survey_once_and_nobody_replaces_another(guarantee, csm, testers):
    survey = week(guarantee, 4).criteria.get(key="satisfaction-survey")
    invite_participants(actor=csm, criterion=survey, stakeholders=testers[:4])

    record_stakeholder_input(user=testers[0].user, criterion=survey, values={"score": 9})
    first = record_stakeholder_input(user=testers[1].user, criterion=survey, values={"score": 10})
    # 2 of 4 answered: mean 9.5 x 10 x min(50 / 80, 1) = 95 x 0.625 = 59.375 -> 59.4
    assert first.score == Decimal("59.4")
    # Tester 1 changes their answer: it replaces only their own; the other answer stays.
    again = record_stakeholder_input(user=testers[0].user, criterion=survey, values={"score": 7})
    assert [(c["name"], c["score"]) for c in again.contributions] == [("Tess 2", 10), ("Tess 1", 7)]
    # 8.5 x 10 x 0.625 = 53.125 -> 53.1
    assert again.score == Decimal("53.1")
    assert again.reason == "Survey 8.5/10 at 50% response: 53.1."
    # Inviting more people lowers the response rate at once (a new version, recomputed): 2 of 5 = 40 %.
    invite_participants(actor=csm, criterion=survey, stakeholders=testers)
    latest = survey.evidence.order_by("-version").first()
    assert (latest.version, latest.score) == (4, Decimal("42.5"))  # 85 x 40 / 80


def test_a_survey_mean_with_many_digits_scores_exactly_and_reads_rounded(guarantee, csm, testers):
    survey = week(guarantee, 4).criteria.get(key="satisfaction-survey")
    invite_participants(actor=csm, criterion=survey, stakeholders=testers[:3])
    for tester, score in zip(testers, (9, 9, 10), strict=False):
        evidence = record_stakeholder_input(user=tester.user, criterion=survey, values={"score": score})

    # 28 / 3 = 9.333... x 10 x min(100 / 80, 1) = 93.333... -> 93.3
    assert evidence.score == Decimal("93.3")
    assert evidence.reason == "Survey 9.33/10 at 100% response: 93.3."


def test_demo_confirmation_needs_demonstrated_at_most_planned_in_the_service_too(guarantee, customer_a):
    demo = week(guarantee, 3).criteria.get(key="all-features")

    with pytest.raises(ValidationError, match=r"Features demonstrated \(9\) cannot exceed features planned \(7\)"):
        record_stakeholder_input(
            user=customer_a, criterion=demo, values={"features_demonstrated": 9, "features_planned": 7}
        )
    evidence = record_stakeholder_input(
        user=customer_a, criterion=demo, values={"features_demonstrated": 9, "features_planned": 10}
    )
    assert evidence.data == {"features_demonstrated": 9, "features_planned": 10, "confirmed_by": "Alice A"}
    assert evidence.score == Decimal("90.0")


def test_a_csm_answer_on_behalf_needs_a_note_or_a_document_and_says_who_recorded_it(guarantee, csm, stakeholder_a):
    approval = week(guarantee, 1).criteria.get(key="requirements-analysis")

    with pytest.raises(ValidationError, match="needs a note or an attached document"):
        record_stakeholder_response(actor=csm, criterion=approval, stakeholder=stakeholder_a, values={"approved": True})
    evidence = record_stakeholder_response(
        actor=csm,
        criterion=approval,
        stakeholder=stakeholder_a,
        values={"approved": True},
        note="Approved by email on 3 May",
    )

    entry = evidence.contributions[0]
    assert (entry["on_behalf"], entry["recorded_by"], entry["name"]) == (True, csm.get_full_name(), "Alice A")
    assert recorded_by_text(entry) == f"recorded by {csm.get_full_name()} for Alice A"


def test_typed_totals_for_a_stakeholder_method_are_refused_by_the_evidence_service(guarantee, csm):
    approval = week(guarantee, 1).criteria.get(key="requirements-analysis")

    with pytest.raises(ValidationError, match="given by each stakeholder"):
        record_evidence(actor=csm, criterion=approval, data={"approved": 2, "required": 2}, source="staff")


@pytest.mark.parametrize(
    ("offset", "expected"), [(-2, None), (-1, "before"), (0, "due"), (1, "due"), (2, "after"), (5, "after")]
)
def test_reminder_moments_around_the_due_date(offset, expected):
    due = timezone.localdate()
    assert moment(due, due + timedelta(days=offset), days_before=1, days_after=2) == expected


def test_reminders_go_to_approvers_who_have_not_decided_and_each_is_sent_once(guarantee, csm, stakeholder_a, committed):
    milestone = week(guarantee, 1)
    with committed():
        give_evidence(milestone, 100)
    milestone.refresh_from_db()
    submit_for_sign_off(actor=csm, milestone=milestone)
    day_before = milestone.due_date - timedelta(days=1)

    send_due_reminders(today=day_before)
    send_due_reminders(today=day_before)
    send_due_reminders(today=milestone.due_date)
    send_due_reminders(today=milestone.due_date + timedelta(days=2))

    rows = OutboxMessage.objects.filter(
        recipient_key=f"stakeholder:{stakeholder_a.pk}", channel="email", event_key__contains=":reminder:"
    )
    keys = rows.values_list("event_key", flat=True)
    assert sorted(keys) == sorted(f"milestone:{milestone.pk}:r1:reminder:{m}" for m in ("before", "due", "after"))


def test_the_csm_is_reminded_of_missing_evidence(guarantee, csm):
    milestone = week(guarantee, 2)

    send_due_reminders(today=milestone.due_date)

    message = OutboxMessage.objects.get(event_key=f"milestone:{milestone.pk}:r1:missing_evidence:due", channel="email")
    assert message.recipient_key == f"user:{csm.pk}"
    assert "Core features" in message.body
