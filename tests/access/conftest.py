"""One world per test module for the matrix and the bad-input sweeps: built once, each test in a savepoint in it.

Building the world (two companies, their people and an object of every kind each URL needs) costs more than most
of the requests a test then sends, and it was built again for each of the hundreds of URLs. `shared_world` builds
it once per module inside a transaction that stays open for the module; pytest-django's transaction for each test
nests in it as a savepoint and is rolled back, so every test still starts from the world as built, whatever the one
before it posted. The parts entries build lazily (cached properties: a quality-gate run, claims in each state) are
built up front too, so no test builds one that a rollback would undo while its object stays cached.
"""

from __future__ import annotations

from functools import cached_property

import pytest
from django.db import transaction
from django.test import override_settings


def _build_lazy_parts(world) -> None:
    for part in list(vars(world).values()):
        for name, attribute in vars(type(part)).items():
            if isinstance(attribute, cached_property):
                getattr(part, name)


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, tmp_path_factory):
    from tests.access.test_access_matrix import _world

    # The world's evidence files, and any file a request stores, go to a folder of this module's own.
    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("world-media")))
    media.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = _world()
            _build_lazy_parts(world)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            media.disable()
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
    media.disable()
