from __future__ import annotations

from functools import partial

import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what the code queued for after commit (the tasks), as production would."""
    return partial(django_capture_on_commit_callbacks, execute=True)
