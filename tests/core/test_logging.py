"""A refused request logs one warning line, once; a server error keeps its traceback."""

from __future__ import annotations

import io
import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def console():
    handler = next(h for h in logging.getLogger("django").handlers if isinstance(h, logging.StreamHandler))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_a_403_logs_one_warning_line_without_a_traceback(customer_a_client, console):
    response = customer_a_client.get(reverse("customers:list"))

    output = console.getvalue()
    assert response.status_code == 403
    assert output.count("Forbidden (Permission denied): /customers/") == 1
    assert "Traceback" not in output
    assert len(output.strip().splitlines()) == 1


def test_a_server_error_still_logs_its_traceback(console):
    logger = logging.getLogger("django.request")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logger.error("Internal Server Error: /x", exc_info=True, extra={"status_code": 500})

    output = console.getvalue()
    assert output.count("Internal Server Error: /x") == 1
    assert "Traceback" in output
