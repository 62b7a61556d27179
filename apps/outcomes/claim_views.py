"""Staff pages of claims: the list, opening one for the customer, a claim's page and its decisions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.access import is_finance_user, staff_required
from apps.core.htmx import template_for
from apps.core.pagination import paginate, querystring_without_page
from apps.guarantees.models import Guarantee
from apps.outcomes import claims, pages, services
from apps.outcomes.forms import ClaimFilterForm, ClaimForm, PayoutForm, RejectForm
from apps.outcomes.models import Claim, MigrationTask, Payout


@require_GET
@staff_required
def claim_list(request: HttpRequest) -> HttpResponse:
    filters = ClaimFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    queryset = pages.claim_list(request.user, status=values.get("status", ""), remedy=values.get("remedy", ""))
    context = {
        "page": paginate(request, queryset),
        "filters": filters,
        "querystring": querystring_without_page(request),
        "recent": pages.recent_outcomes(),
        "ending": pages.ending_soon(),
        "is_finance": is_finance_user(request.user),
    }
    return render(request, template_for(request, "outcomes/claim_list.html", "claim-table"), context)


@require_http_methods(["GET", "POST"])
@staff_required
def claim_open(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    guarantee = get_object_or_404(Guarantee.objects.visible_to(request.user), pk=guarantee_id)
    return open_claim_page(
        request, guarantee, page="outcomes/claim_open.html", claim_url="outcomes:claim", back_url="outcomes:guarantee"
    )


def open_claim_page(
    request: HttpRequest, guarantee: Guarantee, *, page: str, claim_url: str, back_url: str
) -> HttpResponse:
    """Shared by the staff portal and the client view: the form, the service, and where to go next."""
    if not claims.can_open_claim(request.user, guarantee):
        raise PermissionDenied
    if claims.claimable_validation(guarantee) is None:
        messages.info(request, "This guarantee is not claim eligible.")
        return redirect(back_url, guarantee.pk)
    form = ClaimForm(request.POST or None, guarantee=guarantee)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.open_claim(actor=request.user, guarantee=guarantee, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Claim #{claim.pk} was opened.")
            return redirect(claim_url, claim.pk)
    return render(request, page, {"guarantee": guarantee, "project": guarantee.project, "form": form})


def _claim(request: HttpRequest, claim_id: int) -> Claim:
    return get_object_or_404(Claim.objects.visible_to(request.user), pk=claim_id)


def claim_context(request: HttpRequest, claim: Claim, **forms: Any) -> dict[str, Any]:
    payout = Payout.objects.filter(claim=claim).select_related("approved_by", "recorded_by").first()
    return {
        "claim": claim,
        "guarantee": claim.guarantee,
        "project": claim.guarantee.project,
        "customer": claim.guarantee.project.customer,
        "payout": payout,
        "tasks": list(claim.tasks.select_related("assignee", "done_by").order_by("position")),
        "can_decide": claims.can_decide(request.user, claim),
        "is_finance": is_finance_user(request.user),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "payout_form": forms.get("payout_form") or PayoutForm(initial={"amount": payout.amount} if payout else None),
    }


@require_GET
@staff_required
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim(request, claim_id)
    return render(request, template_for(request, "outcomes/claim.html", "claim-body"), claim_context(request, claim))


def _act(request: HttpRequest, claim: Claim, action: Callable[[], Any], done: str) -> HttpResponse:
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("outcomes:claim", claim.pk)


@require_POST
@staff_required
def claim_review(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim(request, claim_id)
    return _act(request, claim, lambda: services.start_review(actor=request.user, claim=claim), "Review started.")


@require_POST
@staff_required
def claim_approve(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim(request, claim_id)
    if not claims.can_decide(request.user, claim):
        raise PermissionDenied
    return _act(request, claim, lambda: services.approve_claim(actor=request.user, claim=claim), "Claim approved.")


@require_POST
@staff_required
def claim_reject(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim(request, claim_id)
    if not claims.can_decide(request.user, claim):
        raise PermissionDenied
    form = RejectForm(request.POST)
    if not form.is_valid():
        context = claim_context(request, claim, reject_form=form)
        return render(request, "outcomes/claim.html", context, status=422)
    reason = form.cleaned_data["reason"]
    return _act(
        request, claim, lambda: services.reject_claim(actor=request.user, claim=claim, reason=reason), "Claim rejected."
    )


@require_POST
@staff_required
def payout_record(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim(request, claim_id)
    if not is_finance_user(request.user):
        raise PermissionDenied
    payout = get_object_or_404(Payout, claim=claim)
    form = PayoutForm(request.POST)
    if not form.is_valid():
        return render(request, "outcomes/claim.html", claim_context(request, claim, payout_form=form), status=422)
    data = form.cleaned_data
    return _act(
        request, claim, lambda: services.record_payout(actor=request.user, payout=payout, **data), "Payout recorded."
    )


@require_POST
@staff_required
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(MigrationTask.objects.select_related("claim"), pk=task_id)
    claim = _claim(request, task.claim_id)
    return _act(
        request, claim, lambda: services.complete_migration_task(actor=request.user, task=task), f"Done: {task.title}."
    )
