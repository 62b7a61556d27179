"""Staff views of expansion opportunities: the board, moving a card, won and lost, adding one for a customer.

Every action works as a plain form post (redirect back to the board) and as an HTMX request (the board is swapped).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.access import staff_required
from apps.core.filters import choice_filter
from apps.core.htmx import template_for, wants_partial
from apps.customers.models import Customer
from apps.dashboard.selectors import csm_choices
from apps.retention import opportunities
from apps.retention import selectors_opportunities as board
from apps.retention.forms_opportunities import OpportunityAddForm, OpportunityLostForm, OpportunityWonForm
from apps.retention.models import Opportunity
from apps.retention.views import _refused

BOARD = "retention/opportunity_board.html"
CLOSE = "retention/opportunity_close.html"


def _filters(request: HttpRequest) -> board.BoardFilters:
    csm = choice_filter(request, "csm", [(str(pk), label) for pk, label in csm_choices()])
    return board.BoardFilters(int(csm) if csm else None, choice_filter(request, "type", board.type_choices()))


def _board_context(request: HttpRequest, notice: str = "") -> dict:
    filters = _filters(request)
    return {
        "columns": board.board(filters),
        "filters": filters,
        "filter_query": filters.query(),
        "csm_choices": csm_choices(),
        "type_choices": board.type_choices(),
        "notice": notice,
    }


def _back_to_board(request: HttpRequest, notice: str, *, error: bool = False) -> HttpResponse:
    """HTMX: the board, swapped in place of #board (whatever the request targeted). A plain post: a redirect."""
    if wants_partial(request):
        response = render(request, f"{BOARD}#board", _board_context(request, notice))
        response["HX-Retarget"], response["HX-Reswap"] = "#board", "outerHTML"
        return response
    (messages.error if error else messages.success)(request, notice)
    query = _filters(request).query()
    return redirect(reverse("retention:opportunities") + (f"?{query}" if query else ""))


def _opportunity(request: HttpRequest, opportunity_id: int) -> Opportunity:
    return get_object_or_404(Opportunity.objects.visible_to(request.user), pk=opportunity_id)


@require_GET
@staff_required
def opportunity_board(request: HttpRequest) -> HttpResponse:
    return render(request, template_for(request, BOARD, "board"), _board_context(request))


@require_POST
@staff_required
def opportunity_move(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _opportunity(request, opportunity_id)
    try:
        opportunities.move_opportunity(actor=request.user, opportunity=opportunity, stage=request.POST.get("stage", ""))
    except ValidationError as exc:
        return _back_to_board(request, " ".join(exc.messages), error=True)
    return _back_to_board(request, f"{opportunity} moved to {opportunity.get_stage_display().lower()}.")


def _close(request: HttpRequest, opportunity_id: int, form_class: type[Form], outcome: str) -> HttpResponse:
    opportunity = _opportunity(request, opportunity_id)
    # Ids unique per card: two cards may have their forms open on the board at once.
    form = form_class(request.POST or None, auto_id=f"id_{opportunity.pk}_%s")
    if request.method == "POST" and form.is_valid():
        try:
            if outcome == "won":
                opportunities.win_opportunity(actor=request.user, opportunity=opportunity, **form.cleaned_data)
            else:
                opportunities.lose_opportunity(
                    actor=request.user, opportunity=opportunity, reason=form.cleaned_data["lost_reason"]
                )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            return _back_to_board(request, f"{opportunity} marked {outcome}.")
    query = _filters(request).query()
    suffix = f"?{query}" if query else ""
    context = {
        "opportunity": opportunity,
        "form": form,
        "outcome": outcome,
        "action_url": reverse(f"retention:opportunity_{outcome}", args=[opportunity.pk]) + suffix,
        "board_url": reverse("retention:opportunities") + suffix,
    }
    return render(request, template_for(request, CLOSE, "close-form"), context)


@require_http_methods(["GET", "POST"])
@staff_required
def opportunity_won(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    return _close(request, opportunity_id, OpportunityWonForm, "won")


@require_http_methods(["GET", "POST"])
@staff_required
def opportunity_lost(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    return _close(request, opportunity_id, OpportunityLostForm, "lost")


@require_http_methods(["GET", "POST"])
@staff_required
def opportunity_add(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=customer_id)
    form = OpportunityAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opportunities.add_opportunity(
                actor=request.user, customer=customer, kind=form.cleaned_data["type"], note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "Opportunity added.")
            return redirect(reverse("customers:detail", args=[customer.pk]) + "#opportunities")
    return render(request, "retention/opportunity_form.html", {"form": form, "customer": customer})
