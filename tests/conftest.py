"""Named people for every test: a manager, a customer of company A, a customer of company B, an admin."""

from __future__ import annotations

from io import StringIO
from types import SimpleNamespace

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
    fixtures = getattr(item, "fixturenames", ())
    return item.get_closest_marker("django_db") is not None or "db" in fixtures or "seeded_demo" in fixtures


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


# The demo dataset, seeded once per test process and shared. Seeding takes a long while (every app's demo, through
# the services), and a dozen tests read it: the crawl of human labels (three roles), the demo's history and each app's
# demo checks. `seeded_demo` opens a transaction, seeds the demo in it and leaves it open; each demo test runs inside
# it in its own savepoint (pytest-django's usual test transaction, nested), so every one of them starts from the
# same freshly seeded demo whatever the one before did. Before the first test that does not ask for the demo, and
# at the end of the session, the transaction is rolled back: other tests never see demo rows. The demo tests are
# run together, last (and on one worker under xdist), so the demo is seeded once per run.
DEMO = SimpleNamespace(atomic=None, blocker=None, output="")


def _open_demo(blocker) -> None:
    from django.core.management import call_command
    from django.db import transaction

    with blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        out = StringIO()
        try:
            call_command("seed_demo", stdout=out)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    DEMO.atomic, DEMO.blocker, DEMO.output = atomic, blocker, out.getvalue()


def _close_demo() -> None:
    if DEMO.atomic is None:
        return
    from django.db import transaction

    with DEMO.blocker.unblock():
        transaction.set_rollback(True)
        DEMO.atomic.__exit__(None, None, None)
    DEMO.atomic = None


@pytest.fixture(scope="session")
def _demo_session(django_db_setup, django_db_blocker):
    yield
    _close_demo()


@pytest.fixture
def seeded_demo(request, _demo_session, django_db_blocker) -> str:
    """The seeded demo (see DEMO above); returns what `seed_demo` printed. Do not also mark the test django_db:
    this fixture opens the test's own transaction (`db`) after the demo's, inside it."""
    if request.node.get_closest_marker("django_db") is not None:
        raise pytest.UsageError(f"{request.node.nodeid}: use seeded_demo without the django_db mark")
    if DEMO.atomic is None:
        _open_demo(django_db_blocker)
    request.getfixturevalue("db")
    return DEMO.output


def _uses_demo(item: pytest.Item) -> bool:
    return "seeded_demo" in getattr(item, "fixturenames", ())


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Demo tests last and together (one group for xdist's --dist loadgroup), so the demo is seeded once."""
    demo = [item for item in items if _uses_demo(item)]
    for item in demo:
        item.add_marker(pytest.mark.xdist_group("demo"))
        # Listed last, so `db` is set up after the demo's transaction; and pytest-django sets up the test
        # database for a run of demo tests alone.
        if "db" not in item.fixturenames:
            item.fixturenames.append("db")
    items[:] = [item for item in items if not _uses_demo(item)] + demo


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if not _uses_demo(item):
        _close_demo()
