from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.core.pagination import PAGE_SIZE
from apps.guarantees.models import Evidence, Milestone, MilestoneAction
from apps.guarantees.recording import record_evidence
from tests.guarantees.factories import EVIDENCE_AT, bulk_guarantees, give_evidence, make_guarantee, week
from tests.pages import assert_not_allowed, assert_not_found, body_rows, visible_text

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/"}


@pytest.fixture
def guarantee(company_a, csm, stakeholder_a):
    return make_guarantee(customer=company_a, actor=csm)


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_staff_list_shows_guarantees_and_filters_by_status(csm_client, guarantee, company_b, committed):
    other = make_guarantee(customer=company_b)
    with committed():
        give_evidence(week(other, 1), 50)

    page = csm_client.get(reverse("guarantees:list"))
    failed = csm_client.get(reverse("guarantees:list"), {"status": "failed_week"})

    assert page.status_code == 200
    assert b"Acme A" in page.content
    assert b"Globex B" in page.content
    assert b"Globex B" in failed.content
    assert b"Acme A" not in failed.content


def test_staff_list_htmx_request_gets_only_the_table(csm_client, guarantee):
    response = csm_client.get(reverse("guarantees:list"), headers=HTMX)

    assert response.status_code == 200
    assert response.content.strip().startswith(b'<div id="guarantee-table">')


@pytest.mark.parametrize("rows", [10, 200])
def test_staff_list_queries_do_not_grow_with_the_data(csm_client, company_a, django_assert_max_num_queries, rows):
    bulk_guarantees(customer=company_a, count=rows)
    with django_assert_max_num_queries(10):
        response = csm_client.get(reverse("guarantees:list"))
    assert response.status_code == 200
    assert body_rows(response) == min(rows, PAGE_SIZE)


def test_guarantee_page_shows_the_timeline_checkpoints_trend_and_next_due(csm_client, guarantee, committed):
    with committed():
        give_evidence(week(guarantee, 1), 100)

    response = csm_client.get(reverse("guarantees:detail", args=[guarantee.pk]))

    content = response.content.decode()
    assert content.count('class="day ') == 30
    assert content.count("checkpoint ms-") == 4
    assert "Weekly scores: week 1 100.0" in content
    assert "All evidence is in" in content


def test_milestone_page_shows_score_weight_contribution_and_completeness(csm_client, guarantee, committed):
    milestone = week(guarantee, 2)
    with committed():
        give_evidence(milestone, {"core-features": 80, "api-integration": 60, "security-implementation": 70})

    response = csm_client.get(reverse("guarantees:milestone", args=[milestone.pk]))

    content = response.content.decode()
    assert "72.0" in content
    assert "40.0" in content
    assert "18.0" in content
    assert "14.0" in content
    assert "Below 80" in content
    assert "Complete" in content
    assert "Recovery and escalation actions" in content


def test_milestone_htmx_request_gets_the_body_fragment(csm_client, guarantee):
    response = csm_client.get(reverse("guarantees:milestone", args=[week(guarantee, 1).pk]), headers=HTMX)

    assert response.content.strip().startswith(b'<div id="milestone-body"')


def test_evidence_form_get_as_page_and_as_htmx_fragment(csm_client, guarantee):
    url = reverse("guarantees:evidence_form", args=[week(guarantee, 1).pk, "system-architecture"])

    page = csm_client.get(url)
    fragment = csm_client.get(url, headers=HTMX)

    assert b"<html" in page.content
    assert b"Review score" in page.content
    assert b"<html" not in fragment.content
    assert b"hx-post" in fragment.content


def test_posting_evidence_by_htmx_records_a_version_and_returns_the_rescored_week(csm_client, guarantee, committed):
    milestone = week(guarantee, 1)
    url = reverse("guarantees:evidence_form", args=[milestone.pk, "system-architecture"])

    with committed():
        response = csm_client.post(url, {"reviewer": "Rita", "score": "9", "notes": "solid"}, headers=HTMX)

    assert response.status_code == 200
    assert response.content.strip().startswith(b'<div id="milestone-body"')
    assert b"Evidence for System architecture designed was recorded." in response.content
    evidence = Evidence.objects.get()
    assert (evidence.score, evidence.source, evidence.data["reviewer"]) == (Decimal("90.0"), "staff", "Rita")


def test_invalid_evidence_re_renders_the_form_with_the_error_in_the_panel(csm_client, guarantee):
    url = reverse("guarantees:evidence_form", args=[week(guarantee, 2).pk, "core-features"])

    response = csm_client.post(url, {"coverage_percent": "80", "tests_passed": "9", "tests_total": "5"}, headers=HTMX)

    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#evidence-panel"
    assert b"cannot exceed tests total" in response.content
    assert not Evidence.objects.exists()


def test_a_non_htmx_post_redirects_to_the_week(csm_client, guarantee):
    milestone = week(guarantee, 1)
    url = reverse("guarantees:evidence_form", args=[milestone.pk, "development-environment"])

    response = csm_client.post(url, {"checks": "CI pipeline = pass\nStaging = fail"})

    assert response.status_code == 302
    assert Evidence.objects.get().data == {
        "checks": [{"name": "CI pipeline", "passed": True}, {"name": "Staging", "passed": False}]
    }


@pytest.mark.parametrize(
    ("key", "week_number", "post", "score"),
    [
        ("system-architecture", 1, {"reviewer": "R", "score": "8.5"}, "85.0"),
        ("development-environment", 1, {"checks": "a = pass\nb = pass\nc = fail\nd = pass"}, "75.0"),
        ("core-features", 2, {"coverage_percent": "90", "tests_passed": "95", "tests_total": "100"}, "92.0"),
        ("api-integration", 2, {"endpoints_passing": "10", "endpoints_total": "10"}, "90.0"),
        ("security-implementation", 2, {"critical": "0", "high": "1", "medium": "1", "low": "7"}, "70.0"),
        ("quality-gates", 3, {"gates_passed": "4", "gates_total": "5"}, "80.0"),
        (
            "performance-benchmarks",
            3,
            {
                "avg_response_ms": "150",
                "target_response_ms": "100",
                "requests_per_second": "100",
                "target_rps": "100",
                "error_rate_percent": "0",
                "max_error_rate_percent": "1",
            },
            "80.0",
        ),
        (
            "production-deployment",
            4,
            {"uptime_percent": "99.5", "target_uptime_percent": "99.9", "checklist_done": "9", "checklist_total": "10"},
            "89.6",
        ),
        # The target left empty is the configured 99.9: 99.5 / 99.9 x 100 x 1 = 99.599... -> 99.6.
        ("production-deployment", 4, {"uptime_percent": "99.5", "checklist_done": "1", "checklist_total": "1"}, "99.6"),
        ("documentation", 4, {"checklist_done": "17", "checklist_total": "20"}, "85.0"),
        ("knowledge-transfer", 4, {"sessions_held": "3", "sessions_planned": "4", "attendance_percent": "80"}, "60.0"),
    ],
)
def test_each_of_the_10_evidence_forms_records_its_evidence_and_score(
    csm_client, guarantee, key, week_number, post, score
):
    milestone = week(guarantee, week_number)
    url = reverse("guarantees:evidence_form", args=[milestone.pk, key])

    response = csm_client.post(url, post)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Evidence.objects.get(criterion__key=key, criterion__milestone=milestone).score == Decimal(score)


def test_the_15_forms_cover_the_15_methods_and_stakeholder_methods_only_take_answers():
    from apps.guarantees.forms import EVIDENCE_FORMS, ON_BEHALF_FORMS
    from apps.guarantees.methods import METHODS

    assert set(EVIDENCE_FORMS) | set(ON_BEHALF_FORMS) == set(METHODS)
    assert set(ON_BEHALF_FORMS) == {key for key, spec in METHODS.items() if spec.stakeholder_supplied}
    assert not set(EVIDENCE_FORMS) & set(ON_BEHALF_FORMS)


@pytest.mark.parametrize("target", ["99.8", "0"])
def test_the_csms_form_cannot_lower_the_configured_uptime_target(csm_client, guarantee, target):
    url = reverse("guarantees:evidence_form", args=[week(guarantee, 4).pk, "production-deployment"])
    post = {"uptime_percent": "99", "target_uptime_percent": target, "checklist_done": "1", "checklist_total": "1"}

    response = csm_client.post(url, post)

    assert response.status_code == 200
    assert "never lower it" in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("key", "week_number", "answer", "score", "words"),
    [
        ("requirements-analysis", 1, {"approved": "yes"}, "100.0", "Approved"),
        ("team-communication", 1, {"rating": "8"}, "80.0", "Rating 8/10"),
        (
            "all-features",
            3,
            {"features_demonstrated": "9", "features_planned": "10"},
            "90.0",
            "9 of 10 planned features demonstrated",
        ),
        ("user-acceptance", 3, {"approves": "no"}, "0.0", "Accepts: no"),
        ("satisfaction-survey", 4, {"score": "9"}, "90.0", "Satisfaction 9/10"),
    ],
)
def test_a_csm_records_a_stakeholders_answer_on_their_behalf_with_a_note(
    csm_client, csm, guarantee, stakeholder_a, key, week_number, answer, score, words
):
    milestone = week(guarantee, week_number)
    if key in ("user-acceptance", "satisfaction-survey"):
        invite = csm_client.post(
            reverse("guarantees:participants", args=[milestone.pk, key]), {"stakeholders": [stakeholder_a.pk]}
        )
        assert invite.status_code == 302
    url = reverse("guarantees:evidence_form", args=[milestone.pk, key])

    response = csm_client.post(url, {"stakeholder": stakeholder_a.pk, "note": "Told me on the call", **answer})

    assert response.status_code == 302, response.content.decode()[:3000]
    evidence = Evidence.objects.get(criterion__key=key, criterion__milestone=milestone)
    assert (evidence.score, evidence.source) == (Decimal(score), "staff")
    page = csm_client.get(reverse("guarantees:milestone", args=[milestone.pk])).content.decode()
    assert f"{stakeholder_a.name}</strong>: {words}" in page
    assert f"recorded by {csm.get_full_name()} for {stakeholder_a.name}" in page
    assert "Told me on the call" in page


def test_an_answer_on_a_stakeholders_behalf_needs_a_note_or_a_document(csm_client, guarantee, stakeholder_a):
    url = reverse("guarantees:evidence_form", args=[week(guarantee, 1).pk, "requirements-analysis"])

    response = csm_client.post(url, {"stakeholder": stakeholder_a.pk, "approved": "yes", "note": "  "})

    assert response.status_code == 200
    assert "Add a note or attach a document" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_csm_can_record_an_approval_only_for_an_approver(csm_client, guarantee, company_a):
    from tests.customers.factories import StakeholderFactory

    viewer = StakeholderFactory(customer=company_a, name="Vic Viewer", is_approver=False)
    url = reverse("guarantees:evidence_form", args=[week(guarantee, 1).pk, "requirements-analysis"])

    page = csm_client.get(url).content.decode()
    response = csm_client.post(url, {"stakeholder": viewer.pk, "approved": "yes", "note": "by email"})

    assert "Vic Viewer" not in page
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Evidence.objects.exists()


def test_more_features_demonstrated_than_planned_is_refused_on_the_staff_form(csm_client, guarantee, stakeholder_a):
    url = reverse("guarantees:evidence_form", args=[week(guarantee, 3).pk, "all-features"])
    post = {"stakeholder": stakeholder_a.pk, "features_demonstrated": "9", "features_planned": "7", "note": "demo"}

    response = csm_client.post(url, post)

    assert response.status_code == 200
    assert "Features demonstrated (9) cannot exceed features planned (7)" in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_with_a_file_is_downloaded_only_through_the_access_checked_view(
    csm_client, guarantee, private_media, client, customer_a, customer_b
):
    url = reverse("guarantees:evidence_form", args=[week(guarantee, 1).pk, "system-architecture"])
    pdf = SimpleUploadedFile("review.pdf", b"%PDF-1.4\n%%EOF", content_type="text/html")
    csm_client.post(url, {"reviewer": "R", "score": "8", "file": pdf})
    evidence = Evidence.objects.get()

    staff = csm_client.get(reverse("guarantees:evidence_download", args=[evidence.pk]))
    assert staff.status_code == 200
    assert staff["Content-Type"] == "application/pdf"  # detected from content, not the browser's claim
    assert staff["X-Content-Type-Options"] == "nosniff"
    assert 'attachment; filename="review.pdf"' in staff["Content-Disposition"]
    assert b"".join(staff.streaming_content) == b"%PDF-1.4\n%%EOF"
    client.force_login(customer_a)
    assert client.get(reverse("client_guarantees:evidence_download", args=[evidence.pk])).status_code == 200
    client.force_login(customer_b)
    assert client.get(reverse("client_guarantees:evidence_download", args=[evidence.pk])).status_code == 404
    assert client.get(reverse("guarantees:evidence_download", args=[evidence.pk])).status_code == 403


def test_evidence_without_a_file_has_nothing_to_download(csm_client, guarantee, csm):
    criterion = week(guarantee, 1).criteria.get(key="system-architecture")
    evidence = record_evidence(actor=csm, criterion=criterion, data=EVIDENCE_AT["technical_review"](80), source="staff")

    assert_not_found(csm_client.get(reverse("guarantees:evidence_download", args=[evidence.pk])))


def test_submit_and_withdraw_are_post_only_and_report_refusals(csm_client, guarantee, committed):
    milestone = week(guarantee, 1)
    submit = reverse("guarantees:submit", args=[milestone.pk])

    assert csm_client.get(submit).status_code == 405
    refused = csm_client.post(submit, follow=True)
    assert b"still waiting for evidence" in refused.content

    with committed():
        give_evidence(milestone, 100)
    csm_client.post(submit)
    assert Milestone.objects.get(pk=milestone.pk).review == "awaiting_sign_off"
    csm_client.post(reverse("guarantees:withdraw", args=[milestone.pk]), {"reason": "Wrong CI run"})
    assert Milestone.objects.get(pk=milestone.pk).review == "open"


def test_an_action_is_assigned_and_marked_done_with_an_audit_event(csm_client, guarantee, csm, committed):
    milestone = week(guarantee, 2)
    with committed():
        give_evidence(milestone, 70)
    action = MilestoneAction.objects.filter(milestone=milestone).first()
    prefix = f"a{action.pk}"

    response = csm_client.post(
        reverse("guarantees:action_update", args=[action.pk]),
        {f"{prefix}-assignee": csm.pk, f"{prefix}-due_on": "2031-01-31", f"{prefix}-status": "done"},
        headers=HTMX,
    )

    action.refresh_from_db()
    assert response.status_code == 200
    assert (action.status, str(action.due_on)) == ("done", "2031-01-31")
    assert action.done_at is not None
    assert AuditEvent.objects.filter(action="milestone.action_updated").exists()


def test_staff_pages_refuse_client_users(client, customer_a, guarantee):
    client.force_login(customer_a)
    for url in (reverse("guarantees:list"), reverse("guarantees:detail", args=[guarantee.pk])):
        response = client.get(url)
        assert_not_allowed(response)
        assert guarantee.project.name not in visible_text(response)
