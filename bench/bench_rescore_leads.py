"""Benchmark: score 10,000 leads, publish a configuration change, and rescore them all.

Run from the repository root:  .venv/bin/python bench/bench_rescore_leads.py [--leads 10000] [--tracemalloc]
[--profile FILE] (cProfile of the rescore after publishing, for `python -m pstats FILE`) [--distinct] (every lead
names a stack of its own, so no two leads share a qualification result: the worst case for the rescore's reuse)

It uses a throwaway SQLite database in a temporary folder unless DATABASE_URL is set (point it at a scratch
PostgreSQL database, never a real one: the script writes 10,000 leads). The rescore is the production code path
(`apps.leads.scoring.run.run_rescore`), run in this process; follow-up tasks for the tiers app are enqueued on
django-q2's ORM broker as in production, not executed. Prints leads per second and peak memory.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCRATCH = Path(tempfile.mkdtemp(prefix="bench-leads-"))
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

from apps.accounts.models import User  # noqa: E402
from apps.leads.models import Lead, LeadScore, QualificationLevel, RescoreRun, ScoringSettings  # noqa: E402
from apps.leads.scoring import versions  # noqa: E402
from apps.leads.scoring.facts import facts_hash  # noqa: E402
from apps.leads.scoring.run import run_rescore  # noqa: E402

COMPLEXITIES = ["low", "medium", "high", "very_high"]
SERVICES = ["mvp_development", "legacy_modernization", "team_augmentation"]
CHOICES = {  # best answer first
    "project_documentation": ["comprehensive", "partial", "none"],
    "requirements_clarity": ["very_clear", "mostly_clear", "somewhat_clear", "vague"],
    "timeline_urgency": ["urgent", "moderate", "flexible"],
    "stakeholder_alignment": ["excellent", "good", "fair", "poor"],
    "budget_status": ["approved", "preliminary", "undefined"],
    "decision_authority": ["full", "partial", "none"],
    "change_readiness": ["enthusiastic", "open", "cautious", "resistant"],
    "team_availability": ["full", "partial", "limited"],
    "communication_structure": ["excellent", "good", "fair", "poor"],
}
BOOLEANS = [
    "existing_codebase",
    "infrastructure_plan",
    "success_criteria_defined",
    "change_management_experience",
    "payment_terms_acceptable",
    "high_priority",
]


def make_answers(n: int) -> dict[str, object]:
    """Answers whose strength varies with n, so the scores spread over every level."""
    strength = n % 4  # 0: strong ... 3: weak
    answers: dict[str, object] = {
        key: values[min(len(values) - 1, max(0, strength + (n * (i + 7)) % 3 - 1))]
        for i, (key, values) in enumerate(CHOICES.items())
    }
    answers.update({key: (n * (i + 5)) % 4 >= strength for i, key in enumerate(BOOLEANS)})
    answers["contract_timeline_weeks"] = [1, 3, 6, 12][strength]
    return answers


DISTINCT = False  # --distinct: every lead names its own stack, so no two leads share a qualification result


def make_lead(n: int, owner: User) -> Lead:
    """A varied, deterministic lead: every level, disqualifier and fit occurs across the set."""
    answers = make_answers(n)
    stack = [f"Stack {n}", "alpha"][: 1 + n % 2] if DISTINCT else ["Django", "alpha"][: n % 3]
    lead = Lead(
        organization_name=f"Bench prospect {n}",
        contact_name="Bench",
        contact_email=f"bench{n}@example.com",
        service_type=SERVICES[n % 3],
        timeline_weeks=2 + n % 20,
        complexity=COMPLEXITIES[n % 4],
        requirements=[f"Requirement {i}" for i in range(n % 25)],
        technology_preferences=stack,
        compliance_requirements=["HIPAA", "ISO 27001"][: n % 3],
        required_integrations=[f"S{i}" for i in range(n % 7)],
        budget_usd=Decimal(5_000 + (n * 7919) % 250_000),
        business_criticality=["low", "high", "critical"][n % 3],
        team_size=n % 6,
        has_ui_requirements=n % 2 == 1,
        has_fallback_plan=n % 4 != 0,
        answers=answers,
        owner=owner,
    )
    lead.inputs_hash = facts_hash(lead.facts())
    return lead


def database_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend, when the server runs on this machine (else None)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rescore(label: str, run: RescoreRun, trace: bool, profile: str | None = None) -> float:
    if trace:
        tracemalloc.start()
    statements: list[str] = []

    def count(execute, sql, params, many, context):  # noqa: ANN001, ANN202  (Django's execute_wrapper signature)
        statements.append(sql)
        return execute(sql, params, many, context)

    profiler = cProfile.Profile() if profile else None
    db_started = database_cpu()
    started, cpu_started = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):
        if profiler:
            profiler.runcall(run_rescore, run_id=run.pk)
        else:
            run_rescore(run_id=run.pk)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if profiler and profile:
        profiler.dump_stats(profile)
    db_cpu = database_cpu()
    run.refresh_from_db()
    peak = f", Python peak {tracemalloc.get_traced_memory()[1] / 2**20:.1f} MiB" if trace else ""
    if trace:
        tracemalloc.stop()
    # Wall time depends on what else the machine runs; CPU time says what the code costs (the database's included
    # when it runs here: Python and PostgreSQL each need that much of a core, on a shared machine or not).
    db = ""
    if db_cpu is not None and db_started is not None:
        db = f"; PostgreSQL backend CPU {db_cpu - db_started:.2f} s"
    print(
        f"{label}: {run.done} leads in {elapsed:.2f} s = {run.done / elapsed:,.0f} leads/s "
        f"(Python CPU {cpu:.2f} s = {run.done / cpu:,.0f} leads/s of CPU{db}; "
        f"{run.level_changes} changed qualification level{peak})"
    )
    batches = sum(1 for sql in statements if sql.startswith('UPDATE "leads_rescorerun" SET "done"'))
    copies = " (+ one COPY each on PostgreSQL)" if connection.vendor == "postgresql" else ""
    print(f"  {len(statements)} statements for {batches} batches{copies}; load {os.getloadavg()[0]:.1f}")
    return run.done / elapsed


def stored_digest() -> str:
    """SHA-256 over every stored score and lead outcome, keyed by organisation name (ids differ between runs).

    Decimals as text, JSON parsed and re-dumped with sorted keys, plus the raw JSON text as the database holds it.
    """
    import hashlib
    import json as _json

    digest = hashlib.sha256()
    columns = (
        "lead__organization_name",
        "config_version__number",
        "inputs_hash",
        "qualification_score",
        "qualification_level",
        "feasibility_score",
        "feasibility_level",
        "estimated_weeks",
        "disqualifiers",
        "blocked_service_types",
        "combined_score",
        "probability_band",
        "probability_percent",
        "stops",
        "qualification",
        "feasibility",
    )
    for row in LeadScore.objects.order_by("lead__organization_name", "config_version__number").values_list(*columns):
        digest.update(_json.dumps(row, sort_keys=True, default=str).encode())
    leads = Lead.objects.order_by("organization_name").values_list(
        "organization_name", "status", "probability_band", "inputs_hash", "latest_score__config_version__number"
    )
    for row in leads:
        digest.update(_json.dumps(row).encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT qualification, feasibility FROM leads_leadscore ORDER BY lead_id, config_version_id")
        raw = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()[:16]
    return f"{digest.hexdigest()[:16]} (raw JSON text {raw})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations (slower)")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the rescore after publishing to FILE")
    parser.add_argument("--distinct", action="store_true", help="a stack of its own per lead (no shared results)")
    args = parser.parse_args()
    global DISTINCT  # a flag for make_lead
    DISTINCT = args.distinct
    print(f"Database: {connection.vendor} ({os.environ['DATABASE_URL'].split('@')[-1]}); load {os.getloadavg()}")
    call_command("migrate", verbosity=0)
    owner = User.objects.create_user("bench-csm@example.com", "bench-password-123", is_staff=True)

    started = time.perf_counter()
    Lead.objects.bulk_create((make_lead(n, owner) for n in range(args.leads)), batch_size=1000)
    print(f"Created {args.leads:,} leads in {time.perf_counter() - started:.2f} s")

    # First pass: version 1 scores every lead (the same batched code path as a publish).
    first = RescoreRun.objects.create(version=versions.current_version(), total=args.leads)
    rescore("Initial scoring (version 1)", first, args.tracemalloc)

    # A configuration change an admin might make: a stricter qualified band and heavier compliance deduction.
    QualificationLevel.objects.filter(key="qualified").update(minimum=Decimal(65))
    ScoringSettings.objects.update(compliance_deduction=Decimal(15))
    preview_started = time.perf_counter()
    preview = versions.preview_publish()
    print(
        f"Preview: {preview.qualification_changed:,} of {preview.open_leads:,} open leads would change "
        f"qualification level ({time.perf_counter() - preview_started:.2f} s)"
    )
    version, run = versions.publish_config(actor=owner, note="bench")
    reset_queries()
    rate = rescore(f"Rescore after publishing version {version.number}", run, args.tracemalloc, args.profile)

    assert LeadScore.objects.filter(config_version=version).count() == run.done
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak resident memory of the process: {peak_mib:.0f} MiB")
    print(f"Stored scores digest: {stored_digest()}")
    aim = "met" if rate >= 5000 else "not met"
    print(f"Target >= 1,000 leads/s: {'met' if rate >= 1000 else 'NOT met'} (aim 5,000: {aim})")


if __name__ == "__main__":
    main()
