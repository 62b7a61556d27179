"""Demo: two accounts from more than a year ago (one churned since) so the yearly retention KPI counts something,
then 90 days of daily KPI snapshots computed from the demo's records for the trends."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.utils import timezone

from apps.core.demo import days_ago, demo_clock
from apps.customers.models import Customer
from apps.customers.services import create_customer, mark_churned
from apps.dashboard.services import backfill_snapshots, snapshot_kpis

LONG_STANDING = [
    # name, segment, industry, days since signing, churned this many days ago (None: still a customer)
    ("Northwind Traders", "mid_market", "Wholesale", 430, None),
    ("Contoso Retail", "smb", "Retail", 400, 45),
]


def seed(ctx: Any) -> None:
    for name, segment, industry, signed, churned in LONG_STANDING:
        if Customer.objects.filter(name=name).exists():
            continue
        with demo_clock(days_ago(signed, at=time(11, 0))):
            customer = create_customer(
                actor=ctx.csm, data={"name": name, "segment": segment, "industry": industry, "owner": ctx.csm}
            )
        if churned is not None:
            with demo_clock(days_ago(churned, at=time(15, 0))):
                mark_churned(
                    actor=ctx.csm,
                    customer=customer,
                    churned_on=timezone.localdate() - timedelta(days=churned),
                    reason="Moved their development in-house after the platform launch.",
                )
    snapshot_kpis()  # today's reading reflects the demo as it is now, even on a second run
    backfill_snapshots(days=90)
