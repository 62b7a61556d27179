"""A NUL character in any one text field of any form never gives a 500 on PostgreSQL.

PostgreSQL's text and jsonb cannot hold NUL: the insert fails. The general fuzzer (test_bad_input.py) spoils all
the text fields of a form at once, so the first field that refuses NUL stops the form before a field that lets it
through (a list stored as JSON) reaches the database. Here each text field is spoilt alone, the rest of the form
keeping the values the page rendered. Runs when DATABASE_URL points at PostgreSQL (CI does); SQLite stores NUL.
"""

from __future__ import annotations

import pytest
from django.db import connection

from tests.access.test_access_matrix import ENTRIES
from tests.access.test_bad_input import (
    FORM_PAGES,
    PAGE_NAMES,
    _assert_no_server_error,
    _fields_on,
    _login,
    _roles,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="NUL reaches the database only on PostgreSQL"),
]

NUL_VALUES = ["a\x00b", "line one\nline\x00two"]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_nul_in_any_one_text_field_never_gives_a_server_error_on_postgresql(shared_world, name):
    """One world for the module (tests/access/conftest.py), each test in a savepoint of it."""
    entry = ENTRIES[name]
    world = shared_world
    role = _roles(entry)[0]
    client = _login(world, role)
    url = entry.url(world)
    form_page = ENTRIES[FORM_PAGES[name]].url(world) if name in FORM_PAGES else url
    on_page, _ = _fields_on(client, form_page)
    baseline = {**on_page, **{key: ("text", str(value)) for key, value in entry.data(world).items()}}
    texts = [field for field, (kind, _) in baseline.items() if kind == "text"]
    if not texts or client.post(url).status_code == 405:
        return
    data = {field: rendered for field, (kind, rendered) in baseline.items() if kind != "file"}
    for field in texts:
        for value in NUL_VALUES:
            response = client.post(url, {**data, field: value})
            _assert_no_server_error(response, f"{name} as {role}: POST {url} with {field} = {value!r}")
