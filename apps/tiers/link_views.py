"""The proposal page the lead's contact opens from the email: no login, a signed and expiring link."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from apps.tiers import conversion, proposals
from apps.tiers.forms import AcceptForm, DeclineForm
from apps.tiers.links import LinkRefused, open_link
from apps.tiers.models import Proposal

# Both forms share field names; their own id prefixes keep every label pointing at its own field.
ACCEPT_IDS, DECLINE_IDS = "accept_%s", "decline_%s"


def _refused(request: HttpRequest, refusal: LinkRefused) -> HttpResponse:
    return render(
        request, "tiers/link_refused.html", {"reason": refusal.reason, "proposal": refusal.proposal}, status=404
    )


def _page(request: HttpRequest, proposal: Proposal, token: str, **forms: object) -> HttpResponse:
    context = {
        "proposal": proposal,
        "token": token,
        "accept_form": forms.get("accept_form")
        or AcceptForm(initial={"name": proposal.contact_name}, auto_id=ACCEPT_IDS),
        "decline_form": forms.get("decline_form")
        or DeclineForm(initial={"name": proposal.contact_name}, auto_id=DECLINE_IDS),
    }
    return render(request, "tiers/link_page.html", context)


@login_not_required
@never_cache
@require_GET
def link_view(request: HttpRequest, proposal_id: int, token: str) -> HttpResponse:
    try:
        opened = open_link(proposal_id, token)
    except LinkRefused as refusal:
        return _refused(request, refusal)
    return _page(request, opened.proposal, token)


@login_not_required
@never_cache
@require_POST
def link_accept(request: HttpRequest, proposal_id: int, token: str) -> HttpResponse:
    try:
        opened = open_link(proposal_id, token)
    except LinkRefused as refusal:
        return _refused(request, refusal)
    form = AcceptForm(request.POST, auto_id=ACCEPT_IDS)
    if not form.is_valid():
        return _page(request, opened.proposal, token, accept_form=form)
    try:
        conversion.accept_proposal(
            proposal=opened.proposal, accepted_by_name=form.cleaned_data["name"], comment=form.cleaned_data["comment"]
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _page(request, opened.proposal, token, accept_form=form)
    return redirect("proposal_link:view", proposal_id, token)


@login_not_required
@never_cache
@require_POST
def link_decline(request: HttpRequest, proposal_id: int, token: str) -> HttpResponse:
    try:
        opened = open_link(proposal_id, token)
    except LinkRefused as refusal:
        return _refused(request, refusal)
    form = DeclineForm(request.POST, auto_id=DECLINE_IDS)
    if not form.is_valid():
        return _page(request, opened.proposal, token, decline_form=form)
    try:
        proposals.decline_proposal(
            proposal=opened.proposal, name=form.cleaned_data["name"], comment=form.cleaned_data["comment"]
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _page(request, opened.proposal, token, decline_form=form)
    return redirect("proposal_link:view", proposal_id, token)
