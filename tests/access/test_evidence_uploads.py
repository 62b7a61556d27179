"""Evidence uploads that are refused (wrong type by content, too large) come back as a form error, never a 500, and
leave nothing behind: no evidence row, no audit event, no file in MEDIA_ROOT, no temporary upload file."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.guarantees.models import Evidence
from tests.guarantees.factories import make_guarantee, week

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/"}
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200  # a Windows executable


@pytest.fixture
def folders(settings, tmp_path):
    """MEDIA_ROOT and the temporary upload folder, both empty: whatever a request leaves there is seen."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "uploads"
    settings.MEDIA_ROOT.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    return settings.MEDIA_ROOT, settings.FILE_UPLOAD_TEMP_DIR


@pytest.fixture
def guarantee(company_a, csm, stakeholder_a):
    return make_guarantee(customer=company_a, actor=csm)


def _staff_url(guarantee):
    return reverse("guarantees:evidence_form", args=[week(guarantee, 1).pk, "system-architecture"])


def _client_url(guarantee):
    return reverse("client_guarantees:input", args=[week(guarantee, 1).pk, "team-communication"])


def _nothing_left(folders) -> None:
    assert not Evidence.objects.exists()
    assert not AuditEvent.objects.filter(action="evidence.recorded").exists()
    for folder in folders:
        assert not [path for path in folder.rglob("*") if path.is_file()], f"left behind in {folder}"


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_an_executable_renamed_pdf_is_refused_on_the_staff_form_and_nothing_is_stored(
    csm_client, guarantee, folders, headers
):
    upload = SimpleUploadedFile("report.pdf", EXECUTABLE, content_type="application/pdf")

    response = csm_client.post(_staff_url(guarantee), {"reviewer": "R", "score": "8", "file": upload}, headers=headers)

    assert response.status_code == 200
    assert b"This file type is not accepted" in response.content
    assert (b"<html" in response.content) is not bool(headers)  # the form fragment for HTMX, the page otherwise
    _nothing_left(folders)


def test_an_executable_renamed_pdf_is_refused_in_the_client_view_and_nothing_is_stored(
    customer_a_client, guarantee, folders
):
    upload = SimpleUploadedFile("minutes.pdf", EXECUTABLE, content_type="application/pdf")

    response = customer_a_client.post(_client_url(guarantee), {"rating": "9", "file": upload})

    assert response.status_code == 200
    assert b"This file type is not accepted" in response.content
    _nothing_left(folders)


def test_a_file_over_the_limit_is_refused_with_a_form_error_and_nothing_is_left_on_disk(
    csm_client, guarantee, folders, settings
):
    # Past FILE_UPLOAD_MAX_MEMORY_SIZE, so Django spools it to a temporary file first, as in production.
    size = settings.EVIDENCE_MAX_UPLOAD_BYTES + 1
    assert size > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (size - 9), content_type="application/pdf")

    response = csm_client.post(_staff_url(guarantee), {"reviewer": "R", "score": "8", "file": upload})

    assert response.status_code == 200
    assert b"the limit is 10.0" in response.content
    _nothing_left(folders)


def test_a_file_over_the_limit_is_refused_in_the_client_view(customer_a_client, guarantee, folders, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 100
    upload = SimpleUploadedFile("notes.txt", b"x" * 101)

    response = customer_a_client.post(_client_url(guarantee), {"rating": "9", "file": upload}, headers=HTMX)

    assert response.status_code == 200
    assert b"the limit is 100" in response.content
    _nothing_left(folders)


def test_an_accepted_file_is_stored_once_under_a_random_name(csm_client, guarantee, folders):
    media, uploads = folders
    upload = SimpleUploadedFile("review.pdf", b"%PDF-1.4\n%%EOF")

    response = csm_client.post(_staff_url(guarantee), {"reviewer": "R", "score": "8", "file": upload})

    assert response.status_code == 302
    stored = [path for path in media.rglob("*") if path.is_file()]
    assert len(stored) == 1
    assert "review" not in stored[0].name
    assert not [path for path in uploads.rglob("*") if path.is_file()]
