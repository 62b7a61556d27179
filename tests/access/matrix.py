"""The access-control matrix: every URL of the project, and what each role gets from it.

Each app declares its URLs in `tests/access/entries_<app>.py`: an `ENTRIES` dict from URL name to `Entry`, and
optionally `build(world)` to add objects that belong to company A. Expectations per role:
- "login": anonymous users are sent to the login page (HTMX requests get an HX-Redirect instead)
- an int: that exact status code (403 wrong role, 404 another company's object, 405 wrong method, ...)
- "ok": any success (2xx, or a 3xx that is not the login page)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

ROLES = ("anon", "customer_a", "customer_b", "csm", "admin")

World = SimpleNamespace


@dataclass(frozen=True)
class Entry:
    url: Callable[[World], str]
    expect: dict[str, Any]
    method: str = "get"
    data: Callable[[World], dict[str, Any]] = field(default=lambda world: {})
    content_type: str | None = None
    headers: Callable[[World], dict[str, str]] = field(default=lambda world: {})


def expect(anon: Any = "login", customer_a: Any = 403, customer_b: Any = 403, csm: Any = 403, admin: Any = 403):
    return {"anon": anon, "customer_a": customer_a, "customer_b": customer_b, "csm": csm, "admin": admin}


STAFF = expect(csm=200, admin=200)
STAFF_ACTION = expect(csm="ok", admin="ok")
ADMIN_ONLY = expect(csm=403, admin=200)
# Company A's page in the client view: A sees it, B gets a 404 (its existence is not revealed), staff 403.
CLIENT_OWN = expect(customer_a=200, customer_b=404)
CLIENT_OWN_ACTION = expect(customer_a="ok", customer_b=404)
CLIENT_ANY = expect(customer_a=200, customer_b=200)
ANY_USER = expect(customer_a=200, customer_b=200, csm=200, admin=200)
ANY_USER_ACTION = expect(customer_a="ok", customer_b="ok", csm="ok", admin="ok")
PUBLIC = expect(anon=200, customer_a=200, customer_b=200, csm=200, admin=200)
# The JSON API authenticates by API key only; a browser session is not enough.
API_KEY_ONLY = expect(anon=401, customer_a=401, customer_b=401, csm=401, admin=401)
