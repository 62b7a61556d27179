"""CSMs, customers, their stakeholders and client logins.

A scale customer is named `Scale customer 000123`; the number is its index, which every other builder keys its rows
on, so a second run with the same N finds every index taken and writes nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from apps.accounts.models import User
from apps.core.scale.writer import insert, next_ids
from apps.customers.models import Customer, Stakeholder

PREFIX = "Scale customer "
CUSTOMERS_PER_CSM = 500  # 20 CSMs per 10,000 customers
SEGMENTS = [s.value for s in Customer.Segment]
SIZES = [s.value for s in Customer.Size]
INDUSTRIES = ["Logistics", "Healthcare", "Retail", "Fintech", "Manufacturing", "Education", "Media", "Energy"]
STAKEHOLDERS = [  # role, title, approver, has a client login
    (Stakeholder.Role.EXECUTIVE, "VP Engineering", True, True),
    (Stakeholder.Role.TECHNICAL_LEAD, "Tech Lead", True, False),
    (Stakeholder.Role.PRODUCT_OWNER, "Product Owner", False, False),
]


def csm_email(number: int) -> str:
    return f"scale-csm-{number:03d}@scale.example"


def client_email(index: int) -> str:
    return f"exec-{index:06d}@scale.example"


@dataclass
class Book:
    """What the builders share: the new customer indexes and the ids written for them."""

    indexes: list[int]
    csm_ids: list[int] = field(default_factory=list)
    customer_ids: dict[int, int] = field(default_factory=dict)  # index -> customer id
    owner_ids: dict[int, int] = field(default_factory=dict)  # index -> CSM id
    stakeholder_ids: dict[int, list[int]] = field(default_factory=dict)  # index -> [executive, tech lead, other]
    user_ids: dict[int, int] = field(default_factory=dict)  # index -> the executive's login


def existing_indexes() -> set[int]:
    names = Customer.objects.filter(name__startswith=PREFIX).values_list("name", flat=True)
    return {int(name.removeprefix(PREFIX)) for name in names if name.removeprefix(PREFIX).isdigit()}


def ensure_csms(total: int, password_hash: str) -> list[int]:
    """One CSM per 500 customers (at least one), created once each."""
    wanted = [csm_email(j) for j in range(max(1, math.ceil(total / CUSTOMERS_PER_CSM)))]
    have = dict(User.objects.filter(email__in=wanted).values_list("email", "pk"))
    missing = [email for email in wanted if email not in have]
    ids = next_ids(User, len(missing))
    insert(
        User,
        (
            {
                "id": pk,
                "email": email,
                "full_name": f"Scale CSM {email[10:13]}",
                "role": User.Role.CSM,
                "is_staff": True,
                "is_superuser": False,
                "password": password_hash,
                "last_login": None,
            }
            for pk, email in zip(ids, missing, strict=True)
        ),
    )
    have.update(zip(missing, ids, strict=True))
    return [have[email] for email in wanted]


def build_people(book: Book, password_hash: str) -> dict[str, int]:
    """Customers (owned round-robin by the CSMs), three stakeholders each, the executive with a client login."""
    now = timezone.now()
    n = len(book.indexes)
    customer_ids, user_ids, stakeholder_ids = next_ids(Customer, n), next_ids(User, n), next_ids(Stakeholder, 3 * n)
    for k, index in enumerate(book.indexes):
        book.customer_ids[index] = customer_ids[k]
        book.owner_ids[index] = book.csm_ids[index % len(book.csm_ids)]
        book.user_ids[index] = user_ids[k]
        book.stakeholder_ids[index] = stakeholder_ids[3 * k : 3 * k + 3]
    insert(
        Customer,
        (
            {
                "id": book.customer_ids[i],
                "name": f"{PREFIX}{i:06d}",
                "segment": SEGMENTS[i % 4],
                "industry": INDUSTRIES[i % len(INDUSTRIES)],
                "size": SIZES[i % 5],
                "website": f"https://c{i}.scale.example",
                "owner_id": book.owner_ids[i],
                "status": Customer.Status.ACTIVE,
                "created_at": now - timedelta(days=400 - i % 365),
            }
            for i in book.indexes
        ),
    )
    insert(
        User,
        (
            {
                "id": book.user_ids[i],
                "email": client_email(i),
                "full_name": f"Exec {i:06d}",
                "role": User.Role.CLIENT,
                "is_staff": False,
                "is_superuser": False,
                "password": password_hash,
                "last_login": None,
            }
            for i in book.indexes
        ),
    )
    insert(Stakeholder, _stakeholders(book, now))
    return {"customers": n, "client logins": n, "stakeholders": 3 * n}


def _stakeholders(book: Book, now: object):  # noqa: ANN202
    for i in book.indexes:
        for k, (role, title, approver, login) in enumerate(STAKEHOLDERS):
            yield {
                "id": book.stakeholder_ids[i][k],
                "customer_id": book.customer_ids[i],
                "name": f"{title} {i:06d}",
                "email": client_email(i) if login else f"p{k}@c{i}.scale.example",
                "title": title,
                "role": role,
                "is_approver": approver,
                "channels": ["email", "in_app"] if login else ["email"],
                "user_id": book.user_ids[i] if login else None,
                # The executive uses the client view (activity up to today, built in retention.py).
                "last_active_at": now if login else None,
                "created_at": now,
            }


def password_hash(password: str) -> str:
    """Hashed once and shared by every scale login (hashing 10,000 passwords would take minutes)."""
    return make_password(password)
