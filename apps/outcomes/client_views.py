"""The client view of a guarantee's end: outcome, success document, and claims (opened by the executive)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.access import client_required
from apps.core.htmx import template_for
from apps.guarantees.models import Guarantee
from apps.outcomes import pages
from apps.outcomes.claim_views import open_claim_page
from apps.outcomes.models import Claim, MigrationTask, Payout, SuccessDocument


def _guarantee(request: HttpRequest, guarantee_id: int) -> Guarantee:
    return get_object_or_404(Guarantee.objects.visible_to(request.user), pk=guarantee_id)


@require_GET
@client_required
def outcome_list(request: HttpRequest) -> HttpResponse:
    guarantees = (
        Guarantee.objects.visible_to(request.user)
        .prefetch_related(Prefetch("claims", queryset=Claim.objects.order_by("-opened_at", "-id")))
        .select_related("success_document")
        .order_by("-activated_at", "-id")
    )
    return render(request, "outcomes/client/list.html", {"guarantees": guarantees})


@require_GET
@client_required
def guarantee_outcome(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    guarantee = _guarantee(request, guarantee_id)
    context = pages.outcome_page(guarantee, request.user, preview=False)
    return render(request, template_for(request, "outcomes/client/guarantee.html", "outcome-body"), context)


@require_http_methods(["GET", "POST"])
@client_required
def claim_open(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    guarantee = _guarantee(request, guarantee_id)
    return open_claim_page(
        request,
        guarantee,
        page="outcomes/client/claim_open.html",
        claim_url="client_outcomes:claim",
        back_url="client_outcomes:guarantee",
    )


@require_GET
@client_required
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.visible_to(request.user), pk=claim_id)
    context = {
        "claim": claim,
        "guarantee": claim.guarantee,
        "project": claim.guarantee.project,
        "payout": Payout.objects.filter(claim=claim).first(),
        "tasks": list(MigrationTask.objects.filter(claim=claim).order_by("position")),
    }
    return render(request, template_for(request, "outcomes/client/claim.html", "claim-body"), context)


def _document(request: HttpRequest, guarantee_id: int) -> SuccessDocument:
    # guarantee__pk, not guarantee_id: an id past the database's integer range is then a 404, not an OverflowError.
    return get_object_or_404(SuccessDocument.objects.visible_to(request.user), guarantee__pk=guarantee_id)


@require_GET
@client_required
def success_document(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    context = pages.success_page(_document(request, guarantee_id))
    return render(request, "outcomes/client/success.html", context)


@require_GET
@client_required
def success_print(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    context = {**pages.success_page(_document(request, guarantee_id)), "client": True}
    return render(request, "outcomes/success_print.html", context)
