"""Property-based: every API operation that takes input, with bodies and parameters Hypothesis builds from the
OpenAPI schema, both fitting it (positive) and not (negative): no 500, and a refused request (4xx) writes nothing.

The same operations as tests/api/test_openapi.py (real object ids, a key holding every scope); each example runs in a
savepoint that is rolled back, and compares the row count of every table before and after a 4xx.
"""

from __future__ import annotations

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import given, settings
from schemathesis.generation.modes import GenerationMode

from apps.api.api import api
from apps.api.services import create_api_key
from apps.dashboard.kpis import REGISTRY
from apps.projects.models import Project
from tests.faults.conftest import PROFILE
from tests.faults.rows import changed, row_counts
from tests.guarantees.factories import make_guarantee, week
from tests.leads.factories import LeadFactory
from tests.notifications.factories import make_endpoint

pytestmark = pytest.mark.django_db

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(company_a, csm):
    _, raw = create_api_key(name="Property check")
    guarantee = make_guarantee(customer=company_a, actor=csm)
    lead = LeadFactory()
    Project.objects.filter(pk=guarantee.project_id).update(source_lead=lead)
    ids = {
        "guarantee_id": guarantee.pk,
        "milestone_id": week(guarantee, 2).pk,
        "key": "core-features",
        "lead_id": lead.pk,
        "project_id": guarantee.project_id,
        "customer_id": company_a.pk,
        "endpoint_id": make_endpoint(customer=company_a)[0].pk,
        "name": "ci",
    }
    return ids, {"Authorization": f"Bearer {raw}"}


def _operations():
    import schemathesis

    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
    schema.app = get_wsgi_application()
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_api_input_gives_a_500_and_a_refused_request_writes_nothing(world, mode):
    ids, key = world
    operations = [op for op in _operations() if op.method.upper() in WRITES or op.query or op.body]
    assert len(operations) >= 5
    # As Django's test client does: a request must not close the test's database connection (PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        for operation in operations:
            _check(operation, mode, ids, key)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _check(operation, mode, ids, key) -> None:  # noqa: ANN001
    where = f"{operation.method.upper()} {operation.path} ({mode.value})"

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(parent=settings.get_profile(PROFILE))
    def run(case) -> None:  # noqa: ANN001
        if case.path_parameters:
            known = {**ids, "key": next(iter(REGISTRY))} if "/kpis/" in operation.path else ids
            case.path_parameters = {name: known.get(name, value) for name, value in case.path_parameters.items()}
        case.headers = {**(case.headers or {}), **key}
        with transaction.atomic():
            before = row_counts()
            response = case.call()
            assert response.status_code < 500, f"{where}: {response.status_code} for {case.body!r}"
            if response.status_code >= 400:
                assert not changed(before, row_counts()), f"{where}: refused ({response.status_code}) but wrote"
            transaction.set_rollback(True)

    run()
