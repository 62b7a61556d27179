"""The money ledger: every guarantee with the amount at stake, its latest claim and its refund.

Rows and totals come from the same list, so the totals always reconcile with the rows (and with the CSV).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q

from apps.core import csv_export
from apps.guarantees.models import Guarantee
from apps.outcomes.models import Claim, Payout

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LedgerRow:
    guarantee_id: int
    customer: str
    project: str
    service_type: str
    status: str
    status_label: str
    activated_on: date
    amount: Decimal
    at_stake: Decimal
    claim_id: int | None
    claim_status: str
    remedy: str
    claim_status_label: str
    remedy_label: str
    refund_approved: Decimal  # approved or recorded, not yet paid
    refund_paid: Decimal
    reference: str


@dataclass(frozen=True)
class LedgerTotals:
    guarantees: int
    amount: Decimal
    at_stake: Decimal
    refund_approved: Decimal
    refund_paid: Decimal
    open_claims: int


def at_stake(*, status: str, amount: Decimal, refunded: bool, remedy_delivered: bool) -> Decimal:
    """What could still be owed: nothing once succeeded, refunded, or another remedy was delivered for the round."""
    if status == Guarantee.Status.SUCCEEDED or refunded or remedy_delivered:
        return ZERO
    return amount


def ledger_totals(rows: Sequence[LedgerRow]) -> LedgerTotals:
    return LedgerTotals(
        guarantees=len(rows),
        amount=sum((r.amount for r in rows), ZERO),
        at_stake=sum((r.at_stake for r in rows), ZERO),
        refund_approved=sum((r.refund_approved for r in rows), ZERO),
        refund_paid=sum((r.refund_paid for r in rows), ZERO),
        open_claims=sum(1 for r in rows if r.claim_status in ("opened", "under_review", "approved")),
    )


def ledger_rows(*, search: str = "", status: str = "", claim: str = "", remedy: str = "") -> list[LedgerRow]:
    """Three queries whatever the number of guarantees: guarantees, their claims, their payouts."""
    guarantees = Guarantee.objects.select_related("project__customer").prefetch_related(
        Prefetch("claims", queryset=Claim.objects.order_by("-opened_at", "-id")),
        Prefetch("payouts", queryset=Payout.objects.all()),
    )
    if search:
        guarantees = guarantees.filter(
            Q(project__customer__name__icontains=search) | Q(project__name__icontains=search)
        )
    if status:
        guarantees = guarantees.filter(status=status)
    rows = [_row(g) for g in guarantees.order_by("-activated_at", "-id")]
    if claim:
        rows = [r for r in rows if r.claim_status == ("" if claim == "none" else claim)]
    if remedy:
        rows = [r for r in rows if r.remedy == remedy]
    return rows


def _row(guarantee: Guarantee) -> LedgerRow:
    claims = list(guarantee.claims.all())
    latest = claims[0] if claims else None
    payout = next(iter(guarantee.payouts.all()), None)
    paid = payout is not None and payout.status == Payout.Status.PAID
    delivered = latest is not None and latest.status == Claim.Status.FULFILLED and guarantee.is_final
    return LedgerRow(
        guarantee_id=guarantee.pk,
        customer=guarantee.project.customer.name,
        project=guarantee.project.name,
        service_type=guarantee.get_service_type_display(),
        status=guarantee.status,
        status_label=guarantee.get_status_display(),
        activated_on=guarantee.activated_at.date(),
        amount=guarantee.amount,
        at_stake=at_stake(status=guarantee.status, amount=guarantee.amount, refunded=paid, remedy_delivered=delivered),
        claim_id=latest.pk if latest else None,
        claim_status=latest.status if latest else "",
        remedy=latest.remedy if latest else "",
        claim_status_label=latest.get_status_display() if latest else "",
        remedy_label=latest.get_remedy_display() if latest else "",
        refund_approved=payout.amount if payout is not None and not paid else ZERO,
        refund_paid=payout.amount if paid else ZERO,
        reference=payout.reference if payout is not None else "",
    )


# Human headers; amounts stay plain numbers (USD) so a spreadsheet can add them up.
CSV_HEADER = [
    "Guarantee ID",
    "Customer",
    "Project",
    "Service type",
    "Status",
    "Activated on",
    "Amount (USD)",
    "At stake (USD)",
    "Claim ID",
    "Claim status",
    "Remedy",
    "Refund approved (USD)",
    "Refund paid (USD)",
    "Payout reference",
]


def ledger_csv(rows: Iterable[LedgerRow], totals: LedgerTotals) -> str:
    buffer = io.StringIO()
    writer = csv_export.writer(buffer)  # every cell guarded against spreadsheet formulas
    writer.writerow(CSV_HEADER)
    for r in rows:
        writer.writerow(
            [
                r.guarantee_id,
                r.customer,
                r.project,
                r.service_type,
                r.status_label,
                r.activated_on.isoformat(),
                r.amount,
                r.at_stake,
                r.claim_id or "",
                r.claim_status_label,
                r.remedy_label,
                r.refund_approved,
                r.refund_paid,
                r.reference,
            ]
        )
    writer.writerow(
        [
            "Total",
            "",
            "",
            "",
            "",
            "",
            totals.amount,
            totals.at_stake,
            "",
            "",
            "",
            totals.refund_approved,
            totals.refund_paid,
            "",
        ]
    )
    return buffer.getvalue()
