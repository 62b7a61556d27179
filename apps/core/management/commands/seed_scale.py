"""`manage.py seed_scale --customers N`: benchmark data at scale, written in bulk (see apps/core/scale/)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from apps.accounts.models import User
from apps.core.demo import DEMO_PASSWORD
from apps.core.scale.guarantees import build_guarantees
from apps.core.scale.history import build_audit, build_outbox
from apps.core.scale.leads import build_leads
from apps.core.scale.people import (
    Book,
    build_people,
    client_email,
    csm_email,
    ensure_csms,
    existing_indexes,
    password_hash,
)
from apps.core.scale.retention import build_engagement, build_health, build_kpis


class Command(BaseCommand):
    help = (
        "Build benchmark data for N customers (default 10,000) with bulk inserts; per 10,000 customers 50,000 "
        "scored leads, 2,000 guarantees, 20 CSMs, 30,000 stakeholders, 200,000 audit events, 500,000 outbox "
        "messages and the health and KPI data. Idempotent for a given N: customers already built are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--customers", type=int, default=10_000)

    def handle(self, *args: object, customers: int, **options: object) -> None:
        started = time.perf_counter()
        hashed = password_hash(DEMO_PASSWORD)
        book = Book(indexes=sorted(set(range(customers)) - existing_indexes()))
        # One transaction for the whole build: a run that fails leaves nothing half-built for the next to skip.
        with transaction.atomic():
            book.csm_ids = ensure_csms(customers, hashed)
            if not book.indexes:
                self.stdout.write(f"All {customers:,} scale customers exist already; nothing to do.")
            else:
                self._build(book, hashed)
        if book.indexes and connection.vendor == "postgresql":
            # Fresh statistics: without them the planner guesses from the empty tables (a 1 s plan for the
            # staff home's due-milestone count instead of 10 ms); and a visibility map, so counts can read the
            # indexes alone. Autovacuum would get there, but only later.
            began = time.perf_counter()
            with connection.cursor() as cursor:
                # VACUUM cannot run inside a transaction (a caller's, such as a test's); ANALYZE alone can.
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
            self.stdout.write(f"  {'vacuum':<11} {time.perf_counter() - began:7.1f} s")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.perf_counter() - started:.1f} s."))
        self.stdout.write(f"Logins (password {DEMO_PASSWORD}): CSM {csm_email(0)}, customer {client_email(0)}")

    def _build(self, book: Book, hashed: str) -> None:
        self.stdout.write(f"Building {len(book.indexes):,} customers ({len(book.csm_ids)} CSMs) ...")
        csm_emails = dict(User.objects.filter(pk__in=book.csm_ids).values_list("pk", "email"))
        steps: list[tuple[str, Callable[[], dict[str, int]]]] = [
            ("customers", lambda: build_people(book, hashed)),
            ("leads", lambda: build_leads(book)),
            ("guarantees", lambda: build_guarantees(book)),
            ("audit", lambda: build_audit(book, csm_emails)),
            ("outbox", lambda: build_outbox(book, csm_emails)),
            ("engagement", lambda: build_engagement(book)),
            ("health", lambda: build_health(book)),
            ("kpis", build_kpis),
        ]
        for name, step in steps:
            began = time.perf_counter()
            made = step()
            summary = ", ".join(f"{count:,} {what}" for what, count in made.items())
            self.stdout.write(f"  {name:<11} {time.perf_counter() - began:7.1f} s  {summary}")
