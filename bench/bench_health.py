"""Benchmark: compute health for 10,000 customers with realistic data, through the nightly task's code path.

Run from the repository root:  .venv/bin/python bench/bench_health.py [--customers 10000]

Uses a throwaway SQLite database unless DATABASE_URL is set (point it at a scratch PostgreSQL database, never a real
one: the script writes ~400,000 rows). Each customer gets three stakeholders (two with client-view logins), a survey
with answers, touchpoints, a review, 30 days of client-view activity and snapshots 30 and 90 days back; half of them
a guarantee with four weekly milestones. Then `apps.retention.tasks.recompute_all_health` runs (the nightly task)
twice: the first run also derives every customer's status; the second is the steady nightly run.
Prints customers per second, queries per batch, peak memory (tracemalloc), the load average next to each figure
(the machine may be shared), and a digest of everything stored (scores with every part, input, weight and config
version; today's snapshots; customer statuses), so two versions of the code can be shown to store the same.

`--reuse` skips building when the database already holds the data (a scratch PostgreSQL database kept between
runs): the statuses are set back to onboarding and the stored scores and today's snapshots removed first, so the
first run does what it does on fresh data.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCRATCH = Path(tempfile.mkdtemp(prefix="bench-health-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{SCRATCH / 'bench.sqlite3'}")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.customers.models import Customer, Stakeholder  # noqa: E402
from apps.guarantees.models import Guarantee, Milestone  # noqa: E402
from apps.projects.models import Project  # noqa: E402
from apps.retention import tasks  # noqa: E402
from apps.retention.health import BATCH  # noqa: E402
from apps.retention.models import (  # noqa: E402
    Activity,
    HealthScore,
    HealthSnapshot,
    Review,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    Touchpoint,
)
from apps.retention.registry import FEATURES  # noqa: E402
from apps.tiers.models import Tier  # noqa: E402

CHUNK = 2000
FEATURE_KEYS = [key for key, _ in FEATURES]


def _bulk(model, rows):  # noqa: ANN001, ANN202
    return model.objects.bulk_create(rows, batch_size=CHUNK)


def build(n: int) -> None:
    """Realistic, varied data for n customers, written with bulk inserts (the data, not the code under test)."""
    now, today = timezone.now(), timezone.localdate()
    csm = User.objects.create(email="bench-csm@example.com", full_name="Bench CSM", is_staff=True, role="csm")
    customers = _bulk(Customer, [Customer(name=f"Bench customer {i}", owner=csm) for i in range(n)])
    users = _bulk(
        User,
        [
            User(
                email=f"b{i}-{k}@bench.example",
                full_name=f"Person {i}-{k}",
                role="client",
                is_staff=False,
                password="!",
            )
            for i in range(n)
            for k in (0, 1)
        ],
    )
    roles = ["executive", "technical_lead", "other"]
    people = _bulk(
        Stakeholder,
        [
            Stakeholder(
                customer=c,
                name=f"Person {i}-{k}",
                email=f"p{k}@c{i}.example",
                role=roles[k],
                user=users[2 * i + k] if k < 2 else None,
            )
            for i, c in enumerate(customers)
            for k in range(3)
        ],
    )
    surveys = _bulk(
        Survey,
        [
            Survey(
                customer=c,
                questions=["nps", "csat"],
                sent_at=now - timedelta(days=20 + i % 60),
                expires_at=now + timedelta(days=10),
            )
            for i, c in enumerate(customers)
        ],
    )
    invitations = _bulk(
        SurveyInvitation,
        [
            SurveyInvitation(
                survey=s,
                stakeholder=people[3 * i + k],
                customer_id=s.customer_id,
                sent_at=s.sent_at,
                answered_at=s.sent_at + timedelta(days=1) if k < 2 else None,
            )
            for i, s in enumerate(surveys)
            for k in range(3)
        ],
    )
    _bulk(
        SurveyAnswer,
        [
            SurveyAnswer(
                invitation=inv,
                customer_id=inv.customer_id,
                purpose="manual",
                nps=(i * 7) % 11,
                csat=1 + (i * 5) % 10,
                via="link",
                answered_at=inv.answered_at,
            )
            for i, inv in enumerate(invitations)
            if inv.answered_at
        ],
    )
    _bulk(
        Touchpoint,
        [
            Touchpoint(
                customer=c,
                kind="call",
                occurred_on=today - timedelta(days=(i + k * 9) % 40),
                note="Check-in",
                logged_by=csm,
            )
            for i, c in enumerate(customers)
            for k in range(4)
        ],
    )
    _bulk(
        Review,
        [
            Review(
                customer=c,
                reviewed_on=today - timedelta(days=i % 80),
                sentiment=1 + i % 10,
                roi_achieved=Decimal(i % 101),
                business_impact=Decimal((i * 3) % 101),
                goals_met=Decimal((i * 7) % 101),
                expansion_signals=["team_growth"] if i % 3 else [],
                recorded_by=csm,
            )
            for i, c in enumerate(customers)
        ],
    )
    _bulk(
        Activity,
        [
            Activity(
                stakeholder=people[3 * i + k],
                customer=c,
                day=today - timedelta(days=d),
                feature=FEATURE_KEYS[(i + d) % 6],
            )
            for i, c in enumerate(customers)
            for k in (0, 1)
            for d in range(0, 30, 2 + (i + k) % 5)
        ],
    )
    _bulk(
        HealthSnapshot,
        [
            HealthSnapshot(customer=c, day=today - timedelta(days=d), score=Decimal(40 + i % 60))
            for i, c in enumerate(customers)
            for d in (30, 90)
        ],
    )
    tier = Tier.objects.get(slug="startup-mvp")
    half = customers[::2]
    projects = _bulk(
        Project,
        [
            Project(
                customer=c,
                name=f"Project {c.pk}",
                service_type="mvp_development",
                tier=tier,
                tier_slug=tier.slug,
                tier_name=tier.name,
                developer_agents=3,
                price=Decimal(100000),
                timeline_weeks=6,
                guarantee_amount=Decimal(100000),
                guarantee_threshold=Decimal(80),
                accepted_at=now,
                status="active",
            )
            for c in half
        ],
    )
    guarantees = _bulk(
        Guarantee,
        [
            Guarantee(
                project=p,
                service_type="mvp_development",
                template_name="Bench",
                amount=Decimal(100000),
                threshold=Decimal(80),
                starts_on=today - timedelta(days=25),
                ends_on=today + timedelta(days=5),
                activated_at=now,
                status_changed_at=now,
            )
            for p in projects
        ],
    )
    statuses = ["success", "success", "at_risk", "failed", "pending"]
    _bulk(
        Milestone,
        [
            Milestone(
                guarantee=g,
                week=w,
                title=f"Week {w}",
                due_date=g.starts_on + timedelta(days=7 * w),
                pass_threshold=Decimal(85),
                escalation_threshold=Decimal(70),
                status=statuses[(i + w) % 5],
                review="closed" if w < 3 else "open",
                closed_at=now - timedelta(days=20 - 7 * w) if w < 3 else None,
            )
            for i, g in enumerate(guarantees)
            for w in (1, 2, 3, 4)
        ],
    )


def run(label: str, n: int, *, trace: bool = False) -> None:
    """Time the nightly task; with `trace`, measure peak Python memory (tracemalloc slows it, so a separate run)."""
    reset_queries()
    if trace:
        tracemalloc.start()
    started, cpu, server = time.perf_counter(), time.process_time(), _server_cpu()
    done = tasks.recompute_all_health()
    elapsed, cpu, server = time.perf_counter() - started, time.process_time() - cpu, _server_cpu() - server
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    if trace:
        tracemalloc.stop()
        print(
            f"{label}: {done / elapsed:,.0f} customers/s under tracemalloc; peak Python memory {peak / 1e6:.0f} MB; "
            f"peak RSS {_rss_mb():.0f} MB; load {os.getloadavg()[0]:.1f}"
        )
        return
    queries = len(connection.queries)
    load = os.getloadavg()[0]
    if os.environ.get("BENCH_SLOWEST"):
        for q in sorted(connection.queries, key=lambda q: -float(q["time"]))[:4]:
            print(f"  {q['time']} s  {q['sql'][:160]}")
    batches = -(-n // BATCH)
    print(
        f"{label}: {done} customers in {elapsed:.1f} s = {done / elapsed:,.0f} customers/s; "
        f"{queries} queries ({queries / batches:.0f} per batch of {BATCH}); load {load:.1f}; "
        f"CPU: Python {cpu:.1f} s, database server {server:.1f} s"
    )


def _server_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend (from /proc, when the server runs on this machine)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _plain(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value


def digest() -> str:
    """What the runs stored, in a vendor-neutral form (JSON with sorted keys, decimals as text); computed_at aside."""
    sha = hashlib.sha256()
    fields = [f.attname for f in HealthScore._meta.concrete_fields if f.attname not in ("id", "computed_at")]
    for row in HealthScore.objects.order_by("customer_id").values_list(*fields).iterator(chunk_size=2000):
        sha.update(json.dumps([_plain(v) for v in row], sort_keys=True).encode())
    today = timezone.localdate()
    snapshots = HealthSnapshot.objects.filter(day=today).order_by("customer_id")
    for row in snapshots.values_list("customer_id", "score", "band", "churn_risk").iterator(chunk_size=2000):
        sha.update(json.dumps([_plain(v) for v in row]).encode())
    for row in Customer.objects.order_by("pk").values_list("pk", "status").iterator(chunk_size=2000):
        sha.update(json.dumps(row).encode())
    return sha.hexdigest()[:16]


def reset() -> None:
    """Back to the state right after building: no stored score, no snapshot today, statuses not derived yet."""
    HealthScore.objects.all().delete()
    HealthSnapshot.objects.filter(day=timezone.localdate()).delete()
    Customer.objects.update(status=Customer.Status.ONBOARDING)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--reuse", action="store_true", help="keep the data already built in this database")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    if args.reuse and Customer.objects.count() == args.customers:
        print(f"Database: {vendor}; reusing the data of {args.customers:,} customers.")
        reset()
    else:
        print(f"Database: {vendor}; building data for {args.customers:,} customers...")
        started = time.perf_counter()
        build(args.customers)
        print(f"Data built in {time.perf_counter() - started:.0f} s.")
    from django.conf import settings

    settings.DEBUG = True  # count queries
    reverse("customers:detail", args=[1])  # load the URLconf once, as a running worker has
    run("First nightly run (statuses derived)", args.customers)
    run("Steady nightly run", args.customers)
    run("Steady nightly run", args.customers, trace=True)
    scored = HealthScore.objects.exclude(score=None).count()
    bands = dict(HealthScore.objects.values_list("band").annotate(n=django.db.models.Count("pk")).order_by())
    print(f"Scored: {scored:,}; bands: {bands}")
    from apps.retention.models import PlaybookRun

    # The first run also starts critical intervention for every customer entering it (each: run, tasks, notices).
    print(f"Critical-intervention playbooks started: {PlaybookRun.objects.count():,}")
    print(f"Stored health digest: {digest()}")


if __name__ == "__main__":
    main()
