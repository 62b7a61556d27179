"""Every URL pattern has an entry, and every role gets what the entry declares (with and without HTMX)."""

from __future__ import annotations

import importlib
import pkgutil
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

import tests.access
from tests.access.matrix import ROLES, Entry
from tests.customers.factories import CustomerFactory, StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db

# The pages Django's admin makes itself (five per registered model, its login and the like) are guarded by the admin;
# admin:index stands in for them. A view the project adds to the admin is not exempt: it needs its own entry.
ADMIN_SITE_PAGES = (
    "index",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "autocomplete",
    "jsi18n",
    "view_on_site",
    "app_list",
    "auth_user_password_change",
)
MODEL_ADMIN_PAGES = ("changelist", "add", "history", "delete", "change")


def _generated_admin_pages() -> set[str]:
    names = {f"admin:{page}" for page in ADMIN_SITE_PAGES}
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        names.update(prefix + page for page in MODEL_ADMIN_PAGES)
    return names


def _exempt(name: str) -> bool:
    return name.startswith("admin:<unnamed ") or name in _generated_admin_pages()


def _entry_modules():
    for info in pkgutil.iter_modules(tests.access.__path__):
        if info.name.startswith("entries_"):
            yield importlib.import_module(f"tests.access.{info.name}")


MODULES = list(_entry_modules())
ENTRIES: dict[str, Entry] = {name: entry for module in MODULES for name, entry in module.ENTRIES.items()}


def _url_names(patterns, namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>"


def test_every_url_pattern_has_an_access_entry():
    names = {name for name in _url_names(get_resolver().url_patterns) if not _exempt(name)}
    missing = sorted(names - set(ENTRIES))
    assert not missing, f"URL patterns without an access-matrix entry: {missing}"
    stale = sorted(set(ENTRIES) - names - {"admin:index"})
    assert not stale, f"Matrix entries for URLs that no longer exist: {stale}"


def _world():
    csm = UserFactory(email="matrix-csm@portal.example")
    admin = UserFactory(email="matrix-admin@portal.example", admin=True)
    company_a = CustomerFactory(name="Matrix A", owner=csm)
    company_b = CustomerFactory(name="Matrix B", owner=csm)
    stakeholder_a = StakeholderFactory(customer=company_a, executive=True, with_login=True)
    stakeholder_b = StakeholderFactory(customer=company_b, executive=True, with_login=True)
    world = SimpleNamespace(
        csm=csm,
        admin=admin,
        company_a=company_a,
        company_b=company_b,
        stakeholder_a=stakeholder_a,
        stakeholder_b=stakeholder_b,
        customer_a=stakeholder_a.user,
        customer_b=stakeholder_b.user,
    )
    for module in MODULES:
        if hasattr(module, "build"):
            module.build(world)
    return world


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_every_role_gets_declared_access(client, shared_world, name):
    """One world (built once, each test in its own savepoint: tests/access/conftest.py); each role's request (plain
    and HTMX) runs in a savepoint that is rolled back, so every request sees the world as built, whatever the one
    before it changed."""
    entry = ENTRIES[name]
    world = shared_world
    # Build what the entry creates lazily (cached properties) before the savepoints, so no rollback undoes it.
    url, data, entry_headers = entry.url(world), entry.data(world), entry.headers(world)
    failures = []
    for role in ROLES:
        for htmx in (False, True):
            with transaction.atomic():
                client.logout()
                if role != "anon":
                    client.force_login(getattr(world, role))
                headers = {"HX-Request": "true", "HX-Current-URL": "http://testserver/"} if htmx else {}
                headers.update(entry_headers)
                request = getattr(client, entry.method)
                kwargs = {"content_type": entry.content_type} if entry.content_type else {}
                response = request(url, data, headers=headers, **kwargs)
                try:
                    _assert_expected(response, entry.expect[role], name, role, htmx)
                except AssertionError as error:
                    failures.append(str(error))
                transaction.set_rollback(True)
    assert not failures, "\n".join(failures)


LOGIN_PAGES = (settings.LOGIN_URL_PATH, "/admin/login/")


def _is_login_redirect(response, htmx: bool) -> bool:
    if htmx and response.status_code == 401:
        return response.headers.get("HX-Redirect", "").startswith(LOGIN_PAGES)
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES)


def _assert_expected(response, expected, name: str, role: str, htmx: bool) -> None:
    where = f"{name} as {role}{' (htmx)' if htmx else ''}: got {response.status_code}"
    if expected == "login":
        assert _is_login_redirect(response, htmx), where
    elif expected == "ok":
        assert response.status_code < 400, where
        assert not _is_login_redirect(response, htmx), where
    else:
        assert response.status_code == expected, where
