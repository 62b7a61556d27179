"""Named people for every test: a manager, a customer of company A, a customer of company B, an admin."""

from __future__ import annotations

import pytest

from apps.accounts.services import grant_finance
from tests.customers.factories import CustomerFactory, StakeholderFactory, UserFactory
from tests.seeding import ensure_seeded


@pytest.fixture
def csm(db):
    return UserFactory(email="casey@portal.example", full_name="Casey Manager")


@pytest.fixture
def admin_user(db):
    user = UserFactory(email="ada@portal.example", full_name="Ada Admin", admin=True)
    grant_finance(user=user)
    return user


@pytest.fixture
def company_a(csm):
    return CustomerFactory(name="Acme A", owner=csm)


@pytest.fixture
def company_b(csm):
    return CustomerFactory(name="Globex B", owner=csm)


@pytest.fixture
def stakeholder_a(company_a):
    return StakeholderFactory(
        customer=company_a, name="Alice A", email="alice@a.example", executive=True, with_login=True
    )


@pytest.fixture
def stakeholder_b(company_b):
    return StakeholderFactory(customer=company_b, name="Bob B", email="bob@b.example", executive=True, with_login=True)


@pytest.fixture
def customer_a(stakeholder_a):
    """The login of a customer stakeholder at company A."""
    return stakeholder_a.user


@pytest.fixture
def customer_b(stakeholder_b):
    return stakeholder_b.user


@pytest.fixture
def csm_client(client, csm):
    client.force_login(csm)
    return client


@pytest.fixture
def customer_a_client(client, customer_a):
    client.force_login(customer_a)
    return client


def _uses_database(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or "db" in getattr(item, "fixturenames", ())


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    in_marker = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    return in_marker or bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(scope="session", autouse=True)
def _seeded_database(request, django_db_blocker):
    """Seeded configuration at the start (a reused database may come from a run that ended in a flush) and end."""
    if not any(_uses_database(item) for item in request.session.items):
        yield
        return
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        ensure_seeded()
    yield
    with django_db_blocker.unblock():
        ensure_seeded()


@pytest.fixture(autouse=True)
def _seeded_after_flush(request, django_db_blocker):
    """A transactional test starts after the previous one's flush: put the seeded configuration back first."""
    if _is_transactional(request):
        with django_db_blocker.unblock():
            ensure_seeded()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: throttling counters (password reset) must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
