"""Bad input never gives a 500: every URL of the access matrix, for every role allowed to use it (and company B's
client on company A's objects), gets junk query strings and junk forms; the API gets junk JSON with a valid key.

Field names come from the pages themselves (every input, select and textarea they render) and from every form class
of the project, so a new filter or form field is fuzzed without touching this file. Junk sent in every field at once
is mostly refused by the first invalid field, so forms are also posted as the page renders them (a valid baseline)
with only the fields of one kind spoilt, and API bodies are built from the OpenAPI schema with only the values the
schema cannot refuse spoilt: that junk reaches the services and the database.
"""

from __future__ import annotations

import functools
import importlib
import json
import pkgutil
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

import pytest
from django import forms
from django.test import Client
from django.urls import resolve

import apps
from apps.api.services import create_api_key
from tests.access.matrix import API_KEY_ONLY, ROLES, Entry
from tests.access.test_access_matrix import ENTRIES, _is_login_redirect

pytestmark = pytest.mark.django_db


ALLOWED = (200, "ok")
HUGE = "9" * 20  # beyond a 64-bit integer
NUL = "a\x00b"
LONG = "x" * 10_000
SCRIPT = "http://[<script>alert(1)</script>';drop table x;--"  # also a URL urlsplit refuses
# Each is sent in every field at once: empty, unknown choices, numbers out of every range, impossible dates,
# a digit int() cannot read, a NUL byte, a very long string.
JUNK = ["", SCRIPT, "-1", "1e309", HUGE, "2026-13-45", "²", NUL, LONG]
# The other roles allowed on a URL run the same validation, and a page without a filter form reads little of its
# query string: a sample of the junk there keeps the test fast.
JUNK_SAMPLE = ["", SCRIPT, HUGE, NUL]
# Posted into the fields of one kind only, the others keeping the values the page rendered.
TYPED_JUNK = {
    "number": ["-1", HUGE, "1e309", "NaN"],
    "text": [NUL, LONG, SCRIPT],
    "choice": [SCRIPT, HUGE],
    "date": ["2026-13-45", "99999-01-01T25:61"],
}
# HTMX requests with headers no htmx sends (a URL urlsplit refuses, an unknown trigger).
HTMX_JUNK = {"HX-Request": "true", "HX-Current-URL": "http://[", "HX-Trigger-Name": SCRIPT, "HX-Target": SCRIPT}
INPUT_KINDS = {
    "number": "number",
    "range": "number",
    "date": "date",
    "datetime-local": "date",
    "time": "date",
    "month": "date",
    "radio": "choice",
    "checkbox": "check",
    "file": "file",
    "submit": "button",
    "button": "button",
}
# Names every list page might read from its query string, whether or not it renders a field for them.
QUERY_NAMES = {
    "page",
    "sort",
    "status",
    "search",
    "q",
    "filter",
    "owner",
    "level",
    "service_type",
    "remedy",
    "claim",
    "created_from",
    "created_to",
    "limit",
    "offset",
    "next",
    "done",
    "key",
    "_field",
}
# POST-only URLs: the page whose forms post to them (their fields are read there).
FORM_PAGES = {
    "leads:validate_field": "leads:create",
    "leads:override": "leads:detail",
    "leads:status": "leads:detail",
    "tiers:proposal_record": "tiers:proposal_detail",
    "proposal_link:accept": "proposal_link:view",
    "proposal_link:decline": "proposal_link:view",
    "projects:kickoff_start": "projects:detail",
    "projects:environment": "projects:detail",
    "projects:quality_run_create": "projects:detail",
    "guarantees:withdraw": "guarantees:milestone",
    "guarantees:action_update": "guarantees:milestone",
    "client_guarantees:sign_off": "client_guarantees:milestone",
    "client_education:mark": "client_education:item",
    "outcomes:claim_reject": "outcomes:claim",
    "outcomes:payout_record": "outcomes:claim",
}


def _roles(entry: Entry) -> list[str]:
    roles = [role for role in ROLES if entry.expect[role] in ALLOWED]
    if entry.expect["customer_b"] == 404:  # company B's client on company A's objects
        roles.append("customer_b")
    return roles


PAGE_NAMES = sorted(name for name, entry in ENTRIES.items() if _roles(entry))
API_NAMES = sorted(name for name, entry in ENTRIES.items() if entry.expect == API_KEY_ONLY)


class _Fields(HTMLParser):
    """Every named field of a page: its kind (text, number, choice, date, check, file) and its rendered value."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, tuple[str, str]] = {}
        self._open: tuple[str, str] | None = None  # (tag, name) of an open textarea or select

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        name = attr.get("name", "")
        if tag == "option" and self._open and self._open[0] == "select":
            select = self._open[1]
            if select not in self.fields or "selected" in attr:
                self.fields[select] = ("choice", attr.get("value", ""))
        if not name or name == "csrfmiddlewaretoken":
            return
        if tag == "input":
            kind = INPUT_KINDS.get(attr.get("type", "text"), "text")
            if kind == "button" or (kind in ("choice", "check") and name in self.fields and "checked" not in attr):
                return
            value = attr.get("value", "on" if kind == "check" else "")
            if kind == "check" and "checked" not in attr:
                return
            self.fields[name] = (kind, value)
        elif tag in ("textarea", "select"):
            self.fields.setdefault(name, ("text" if tag == "textarea" else "choice", ""))
            self._open = (tag, name)

    def handle_data(self, data: str) -> None:
        if self._open and self._open[0] == "textarea":
            self.fields[self._open[1]] = ("text", self.fields[self._open[1]][1] + data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            self._open = None


def _fields_on(client: Client, url: str) -> tuple[dict[str, tuple[str, str]], bool]:
    """The page's fields, and whether it has a filter form (a form that GETs: the page reads its query string)."""
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return {}, False
    parser = _Fields()
    parser.feed(response.content.decode())
    return parser.fields, bool(re.search(r"<form[^>]*method=.get", response.content.decode(), re.IGNORECASE))


def _declared_form_fields() -> set[str]:
    for info in pkgutil.walk_packages(apps.__path__, "apps."):
        if info.name.rsplit(".", 1)[-1] == "forms":
            importlib.import_module(info.name)
    names: set[str] = set()
    pending = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        names.update(getattr(cls, "base_fields", {}))
    return names


FORM_FIELDS = _declared_form_fields()


def _login(world: Any, role: str) -> Client:
    client = Client()
    if role != "anon":
        client.force_login(getattr(world, role))
    return client


def _assert_no_server_error(response: Any, where: str) -> None:
    assert response.status_code < 500, f"{where}: got {response.status_code}"


def _junk_requests(
    client: Client, url: str, names: dict[str, set[str]], junk: dict[str, list[str]]
) -> Iterator[tuple[str, Any]]:
    """GETs with a junk query string, then POSTs with a junk form; each stops at a 405 (the method is not used)."""
    for method, fields in names.items():
        for number, value in enumerate(junk[method]):
            headers = HTMX_JUNK if number % 2 else {}
            response = getattr(client, method)(url, dict.fromkeys(fields, value), headers=headers)
            yield f"{method.upper()} {url} with every field = {value[:30]!r}", response
            if response.status_code == 405:
                break
        if response.status_code != 405 and junk[method] is JUNK:
            response = getattr(client, method)(url, {name: ["1", "abc"] for name in fields})
            yield f"{method.upper()} {url} with every field given twice", response


def _typed_junk_posts(client: Client, url: str, baseline: dict[str, tuple[str, str]]) -> Iterator[tuple[str, Any]]:
    """The form as rendered, with the fields of one kind spoilt: the junk gets past the other fields' validation."""
    for kind, values in TYPED_JUNK.items():
        names = [name for name, (field_kind, _) in baseline.items() if field_kind == kind]
        for number, value in enumerate(values if names else []):
            data = {field: rendered for field, (field_kind, rendered) in baseline.items() if field_kind != "file"}
            data.update(dict.fromkeys(names, value))
            headers = HTMX_JUNK if number % 2 else {}
            yield f"POST {url} with the {kind} fields {names} = {value[:30]!r}", client.post(url, data, headers=headers)


RAW_FORMS = [
    ("multipart/form-data", b"no boundary"),
    ("multipart/form-data; boundary=xyz", b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated'),
    ("application/x-www-form-urlencoded", b"name=%ff%fe&note=\xff\xfe"),
    ("application/x-www-form-urlencoded", b"&".join(b"f%d=1" % i for i in range(1_500))),  # past the field limit
    ("application/json", b'{"name": ["not", "a", "form"]}'),
]


def _raw_posts(client: Client, url: str) -> Iterator[tuple[str, Any]]:
    """Bodies no browser sends: a broken multipart, bytes that are not UTF-8, too many fields, JSON to a form."""
    for content_type, body in RAW_FORMS:
        yield f"POST {url} as {content_type} {body[:40]!r}", client.generic("POST", url, body, content_type)


def _with_huge_ids(url: str) -> str:
    return re.sub(r"(?<=/)\d+(?=/|\.|$)", HUGE, url)


def _odd_urls(url: str) -> list[str]:
    """The URL with every id past 64 bits, and with each word it carries (a key, a slug, a token) spoilt."""
    words = [v for v in resolve(url).kwargs.values() if isinstance(v, str) and not v.isdigit()]
    spoilt = [url.replace(f"/{word}/", f"/{junk}/", 1) for word in words for junk in ("a%00b", "x" * 300, "%C2%B2")]
    return [odd for odd in (_with_huge_ids(url), *spoilt) if odd != url]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_junk_query_strings_and_forms_never_give_a_server_error(shared_world, name):
    """The world is built once for the module (tests/access/conftest.py), its evidence files in a folder of its
    own; each test runs in a savepoint of it."""
    entry = ENTRIES[name]
    world = shared_world
    roles = _roles(entry)
    url = entry.url(world)
    form_page = ENTRIES[FORM_PAGES[name]].url(world) if name in FORM_PAGES else url
    on_page, filters = _fields_on(_login(world, roles[0]), form_page)
    baseline = {**on_page, **{key: ("text", str(value)) for key, value in entry.data(world).items()}}
    names = {"get": QUERY_NAMES | set(on_page), "post": QUERY_NAMES | FORM_FIELDS | set(baseline)}
    for role in roles:
        client = _login(world, role)
        # All the junk for the first role (in the query string only where the page has a filter form), a sample
        # for the others.
        first = role == roles[0]
        junk = {"get": JUNK if first and filters else JUNK_SAMPLE, "post": JUNK if first else JUNK_SAMPLE}
        requests = _junk_requests(client, url, names, junk)
        # The form-aware junk reaches the services, which do not depend on the role: the first role is enough.
        if role == roles[0] and client.post(url).status_code != 405:
            requests = (*requests, *_typed_junk_posts(client, url, baseline), *_raw_posts(client, url))
        for where, response in requests:
            _assert_no_server_error(response, f"{name} as {role}: {where}")
        for odd in _odd_urls(url):
            for method in ("get", "post"):
                response = getattr(client, method)(odd)
                _assert_no_server_error(response, f"{name} as {role}: {method.upper()} {odd[:200]}")


LOGIN_FIRST = sorted(name for name, entry in ENTRIES.items() if entry.expect["anon"] == "login")


def test_an_anonymous_htmx_request_with_a_malformed_current_url_is_sent_to_the_login_page(client, shared_world):
    world = shared_world
    for name in LOGIN_FIRST:
        entry = ENTRIES[name]
        for current_url in ("http://[", "http://testserver/%zz", LONG):
            headers = {"HX-Request": "true", "HX-Current-URL": current_url}
            response = getattr(client, entry.method)(entry.url(world), headers=headers)
            assert _is_login_redirect(response, htmx=True) or _is_login_redirect(response, htmx=False), (
                f"{name} with HX-Current-URL {current_url[:30]!r}: got {response.status_code}"
            )


# --- the JSON API -------------------------------------------------------------------------------------------------

INF = "__inf__"  # replaced by a bare 1e309 in the JSON text (json.dumps would write Infinity)
RAW_BODIES = ["{", "[]", "null", '"text"', "123", "{}", '{"unknown": 1}', "[{}]", "\xff\xfe", "[" * 5000]


@functools.cache
def _openapi() -> dict[str, Any]:
    from apps.api.api import api

    return api.get_openapi_schema(path_prefix="/api/v1/")


def _operations(schema: dict[str, Any], url: str) -> dict[str, dict[str, Any]]:
    for template, item in schema["paths"].items():
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern + "/?", url):
            return item
    raise AssertionError(f"No API operation matches {url}")


def _deref(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


Leaf = tuple[tuple[Any, ...], dict[str, Any]]  # (path in the body, the leaf's schema with its constraints)


def _skeleton(schema: dict[str, Any], root: dict[str, Any], path: tuple = (), leaves: list | None = None) -> Any:
    """A value that fits `schema`, collecting its scalar leaves (so junk can be put in one kind at a time)."""
    leaves = [] if leaves is None else leaves
    schema = _deref(schema, root)
    for combined in ("allOf", "anyOf", "oneOf"):
        if combined in schema:
            options = [_deref(o, root) for o in schema[combined] if _deref(o, root).get("type") != "null"]
            merged = {**{k: v for k, v in schema.items() if k != combined}, **options[0]}
            return _skeleton(merged, root, path, leaves)
    kind = schema.get("type")
    if kind == "object":
        return {
            key: _skeleton(value, root, (*path, key), leaves) for key, value in schema.get("properties", {}).items()
        }
    if kind == "array":
        return [_skeleton(schema["items"], root, (*path, 0), leaves)] if "items" in schema else []
    leaves.append((path, schema))
    if "enum" in schema or "const" in schema:
        return schema.get("enum", [schema.get("const")])[0]
    if kind in ("integer", "number"):
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return True
    if any("email" in str(part) for part in path):
        return "junk@example.com"
    return "x" * max(schema.get("minLength", 1), 1)


def _put(body: Any, path: tuple, value: Any) -> Any:
    body = json.loads(json.dumps(body))
    node = body
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return body


def _spoil(body: Any, leaves: list[Leaf], value: Any) -> Any:
    for path, _ in leaves:
        body = _put(body, path, value)
    return body


def _is_text(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "string" and "enum" not in schema and "const" not in schema and "format" not in schema


def _json_bodies(skeleton: Any, leaves: list[Leaf]) -> Iterator[Any]:
    """Wrong types everywhere, then the values the schema lets through, put into the leaves that let them through."""
    numbers = [(p, s) for p, s in leaves if s.get("type") in ("integer", "number")]
    texts = [(p, s) for p, s in leaves if _is_text(s) and "email" not in str(p)]
    scalars = [(p, s) for p, s in leaves if p]
    for wrong in ("abc", 123, ["a"], {"a": 1}, None, True, INF):
        yield _spoil(skeleton, scalars, wrong)
    if isinstance(skeleton, dict):
        yield [skeleton]
        yield {key: [value] for key, value in skeleton.items()}
    yield _spoil(skeleton, texts, NUL)
    yield _spoil(skeleton, [(p, s) for p, s in texts if s.get("maxLength", 10**9) >= len(LONG)], LONG)
    yield _spoil(skeleton, [(p, s) for p, s in numbers if s.get("minimum", -1) < 0], -1)
    yield _spoil(skeleton, [(p, s) for p, s in numbers if s.get("minimum", 0) <= 0], 0)
    yield _spoil(skeleton, [(p, s) for p, s in numbers if "maximum" not in s], 10**30)
    yield _spoil(skeleton, [(p, s) for p, s in numbers if "maximum" not in s and s["type"] == "number"], 1e308)


def _body_skeletons(operation: dict[str, Any], root: dict[str, Any]) -> list[tuple[Any, list[Leaf]]]:
    schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return []
    leaves: list[Leaf] = []
    skeleton = _skeleton(schema, root, leaves=leaves)
    if skeleton:
        return [(skeleton, leaves)]
    # A free-form body (machine evidence): each validation method's own fields.
    from apps.guarantees.api import MACHINE_SCHEMAS

    skeletons = []
    for model in MACHINE_SCHEMAS.values():
        leaves = []
        skeletons.append((_skeleton(model.model_json_schema(), model.model_json_schema(), leaves=leaves), leaves))
    return skeletons


def _encode(body: Any) -> str:
    return json.dumps(body).replace(f'"{INF}"', "1e309")


@pytest.mark.parametrize("name", API_NAMES)
def test_junk_api_input_with_a_valid_key_gets_a_4xx_never_a_server_error(client, shared_world, name):
    world = shared_world
    _, raw_key = create_api_key(name="Fuzzer")
    headers = {"Authorization": f"Bearer {raw_key}"}
    url = ENTRIES[name].url(world)
    root = _openapi()
    for method, operation in _operations(root, url).items():
        send = getattr(client, method)
        queries = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        for query in queries:  # one parameter at a time: each reaches the view while the others are valid
            for value in JUNK:
                response = send(f"{url}?{urlencode({query: value})}", headers=headers)
                _assert_no_server_error(response, f"{name}: {method.upper()} ?{query}={value[:30]!r}")
        bodies = [
            *RAW_BODIES,
            *(_encode(b) for s, leaves in _body_skeletons(operation, root) for b in _json_bodies(s, leaves)),
        ]
        for body in bodies if method != "get" else []:
            response = send(url, body, content_type="application/json", headers=headers)
            _assert_no_server_error(response, f"{name}: {method.upper()} {body[:300]!r}")
            assert response["Content-Type"].startswith("application/json"), f"{name}: {body[:300]!r}"
        for odd in _odd_urls(url):
            body = "{}" if method != "get" else ""
            response = client.generic(method.upper(), odd, body, "application/json", headers=headers)
            _assert_no_server_error(response, f"{name}: {method.upper()} {odd[:200]}")
