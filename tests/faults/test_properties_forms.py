"""Property-based: whatever is typed into any form of the portal, no 500, and a refused form writes nothing.

Every POST URL of the access matrix, as the first role allowed to use it, gets forms built by Hypothesis from the
page's own fields (the values the page rendered, each field independently kept or replaced by generated input of its
kind: any unicode text, NUL, huge and non-finite numbers, impossible dates, unknown choices, missing fields). A refused
form (re-rendered with errors, or a 4xx) must leave the row count of every table as it was.
One world is built for all the forms; each example runs in a savepoint that is rolled back, so every example sees
the world as built.
On PostgreSQL (NUL and 64-bit limits reach the database there); SQLite runs the same, with less at stake.
"""

from __future__ import annotations

import re

import pytest
from django.contrib import messages
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.access.test_access_matrix import ENTRIES, _world
from tests.access.test_bad_input import FORM_PAGES, PAGE_NAMES, _fields_on, _login, _roles
from tests.faults.conftest import PROFILE
from tests.faults.rows import changed, row_counts

pytestmark = pytest.mark.django_db

POST_PAGES = [name for name in PAGE_NAMES if ENTRIES[name].method == "post" or name in FORM_PAGES]

_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", " ", "a\x00b", "x" * 5000, "<script>alert(1)</script>", "🙂" * 3, "\u202e\u0000"]),
)
_number = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", "-0", "1e309", "0x10", "١٢", "9" * 40]),
)
_date = st.one_of(
    st.dates().map(str),
    st.datetimes().map(lambda value: value.isoformat()),
    st.sampled_from(["", "2026-02-30", "0000-00-00", "99999-12-31", "2026-13-45T25:61"]),
)
JUNK = {"text": _text, "number": _number, "date": _date, "choice": st.one_of(_text, _number), "check": _text}


def _field(kind: str, rendered: str) -> st.SearchStrategy:
    """Keep the rendered value, leave the field out (None), or send junk of the field's kind."""
    return st.one_of(st.just(rendered), st.none(), JUNK.get(kind, _text))


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# How a refused form shows itself (templates/includes/_field.html and _form_errors.html).
ERROR_MARKS = ('aria-invalid="true"', "is-invalid", "alert-danger")


def _refused(response) -> bool:
    """A 4xx, a page re-rendered with errors, or a redirect carrying an error message. (Some actions answer 200 when
    they succeed: a rotated secret is shown once on the page instead of after a redirect.)"""
    if response.status_code >= 400:
        return True
    queued = getattr(getattr(response.wsgi_request, "_messages", None), "_queued_messages", [])
    if any(message.level >= messages.ERROR for message in queued):
        return True
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return False
    return any(mark in response.content.decode(errors="replace") for mark in ERROR_MARKS)


def _check_form(name: str, role: str, client, url: str, baseline: dict, files: dict) -> None:  # noqa: ANN001
    # A form of buttons only (accept, decline, withdraw) gets fields it never asked for.
    form = (
        st.fixed_dictionaries({key: _field(kind, value) for key, (kind, value) in baseline.items()})
        if baseline
        else st.dictionaries(st.text(min_size=1, max_size=12), _text, max_size=3)
    )

    @given(data=form)
    @settings(parent=settings.get_profile(PROFILE))
    def post(data: dict) -> None:
        sent = {key: value for key, value in data.items() if value is not None}
        for file in files.values():
            file.seek(0)
        with transaction.atomic():
            before = row_counts()
            response = client.post(url, {**sent, **files})
            assert response.status_code < 500, f"{name} as {role}: POST {url} {sent!r}"
            if _refused(response):
                after = row_counts()
                assert not changed(before, after), f"{name}: refused ({response.status_code}) but wrote {sent!r}"
            transaction.set_rollback(True)

    post()


def test_no_action_input_gives_a_500_and_a_refused_action_writes_nothing():
    """The POST-only URLs (actions), with the fields of the page their form is on; one world for all of them."""
    world = _world()
    for name in POST_PAGES:
        entry = ENTRIES[name]
        role = _roles(entry)[0]
        client = _login(world, role)
        url = entry.url(world)
        entry_data = entry.data(world)
        form_page = ENTRIES[FORM_PAGES[name]].url(world) if name in FORM_PAGES else url
        on_page, _ = _fields_on(client, form_page)
        files = {key: value for key, value in entry_data.items() if hasattr(value, "seek")}
        baseline = {key: kind_value for key, kind_value in on_page.items() if kind_value[0] != "file"}
        baseline.update({key: ("text", str(value)) for key, value in entry_data.items() if key not in files})
        _check_form(name, role, client, url, baseline, files)
    assert len(POST_PAGES) >= 20


SELF_POSTING = re.compile(r"<form\b[^>]*\bmethod=[\"']?post[^>]*>", re.IGNORECASE)
ACTION = re.compile(r"\baction=[\"']([^\"']*)[\"']", re.IGNORECASE)


def _posts_to_itself(html: str, path: str) -> bool:
    for tag in SELF_POSTING.findall(html):
        action = ACTION.search(tag)
        if action is None or action.group(1) in ("", path):
            return True
    return False


def test_every_page_form_that_posts_to_its_own_url_refuses_junk_without_writing(client):
    """The create and edit pages (a GET shows the form, a POST to the same URL saves it): one world for all of them,
    each example in a savepoint."""
    world = _world()
    checked = []
    for name in PAGE_NAMES:
        entry = ENTRIES[name]
        if entry.method != "get" or name.startswith("admin:"):
            continue
        role = _roles(entry)[0]
        page_client = _login(world, role)
        url = entry.url(world)
        response = page_client.get(url)
        html = response.get("Content-Type", "").startswith("text/html") and not response.streaming
        if response.status_code != 200 or not html or not _posts_to_itself(response.content.decode(), url):
            continue
        on_page, _ = _fields_on(page_client, url)
        baseline = {key: kind_value for key, kind_value in on_page.items() if kind_value[0] != "file"}
        _check_form(name, role, page_client, url, baseline, {})
        checked.append(name)
    assert {"leads:create", "leads:edit"} <= set(checked), checked
