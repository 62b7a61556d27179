"""Demo data steps, in order. Each app adds a `seed(ctx)` function; each must be safe to run twice."""

from __future__ import annotations

DEMO_STEPS: list[str] = [
    "apps.customers.demo.seed",
    "apps.leads.demo.seed",
    "apps.tiers.demo.seed",
    "apps.guarantees.demo.seed",
    "apps.projects.demo_quality.seed",
    "apps.outcomes.demo.seed",
    "apps.projects.demo.seed",
    "apps.retention.demo.seed",
    "apps.dashboard.demo.seed",
]

DEMO_PASSWORD = "portal-demo-2026"
