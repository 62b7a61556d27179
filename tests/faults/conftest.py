"""Fault tests run a real `manage.py qcluster` against the committed PostgreSQL test database (CI's database)."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from tests.faults.cluster import Cluster

REDIS_URL = os.environ.get("FAULTS_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_reachable() -> bool:
    try:
        import redis

        return bool(redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a second process needs a real database server (CI runs PostgreSQL)"
)


@pytest.fixture
def redis_url() -> str:
    """Redis for the broker tests: skipped when none answers locally, unless FAULTS_REQUIRE_REDIS=1 (CI sets it)."""
    if not redis_reachable():
        if os.environ.get("FAULTS_REQUIRE_REDIS") == "1":
            pytest.fail(f"FAULTS_REQUIRE_REDIS=1 but no Redis answers at {REDIS_URL}")
        pytest.skip(f"no Redis answers at {REDIS_URL}")
    return REDIS_URL


@pytest.fixture
def cluster_factory(tmp_path):
    """Make clusters; every one still running at the end is killed (by its own process group id)."""
    made: list[Cluster] = []

    def make(**kwargs) -> Cluster:
        cluster = Cluster(tmp_path, **kwargs)
        made.append(cluster)
        return cluster

    yield make
    for cluster in made:
        cluster.kill()


# Hypothesis profiles for the property-based tests: a modest number of examples in CI (HYPOTHESIS_PROFILE=ci,
# set by .ci/run) and fewer on a developer machine; no deadline (a request to a loaded machine may be slow).
def _register_profiles() -> None:
    from hypothesis import HealthCheck, settings

    common = {
        "deadline": None,
        "database": None,
        "suppress_health_check": [
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.data_too_large,
        ],
    }
    settings.register_profile("faults-ci", max_examples=5, **common)
    settings.register_profile("faults-dev", max_examples=4, **common)


_register_profiles()
PROFILE = "faults-ci" if os.environ.get("HYPOTHESIS_PROFILE") == "ci" else "faults-dev"
