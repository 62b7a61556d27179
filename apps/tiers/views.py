"""Staff pages: the tier catalogue, a lead's recommendations, and proposals (build, edit, send, print, record)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.access import staff_required
from apps.core.filters import choice_filter
from apps.core.htmx import template_for
from apps.core.pagination import paginate, querystring_without_page
from apps.leads.models import Lead
from apps.tiers import conversion, proposals, selectors, services
from apps.tiers.forms import ProposalForm, RecordDecisionForm, StakeholderFormSet
from apps.tiers.models import Proposal, Tier


@require_GET
@staff_required
def tier_list(request: HttpRequest) -> HttpResponse:
    return render(request, "tiers/tier_list.html", {"tiers": Tier.objects.all()})


@require_http_methods(["GET", "POST"])
@staff_required
def lead_recommendations(request: HttpRequest, lead_id: int) -> HttpResponse:
    """The lead page's recommendation panel on its own (HTMX refresh); POST recomputes it now."""
    lead = get_object_or_404(Lead.objects.visible_to(request.user).with_scores(), pk=lead_id)
    if request.method == "POST":
        services.refresh_recommendations(lead=lead)
        if not request.htmx:
            messages.success(request, "Recommendations recomputed.")
            return redirect("tiers:lead_recommendations", lead.pk)
    return render(request, template_for(request, "tiers/lead_recommendations.html", "panel"), {"lead": lead})


@require_GET
@staff_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    statuses = [*Proposal.Status.choices, ("expired", "Link expired")]
    status = choice_filter(request, "status", statuses)
    rows = selectors.proposal_list(user=request.user, status=status)
    context = {
        "page": paginate(request, rows),
        "status": status,
        "statuses": statuses,
        "querystring": querystring_without_page(request),
    }
    return render(request, template_for(request, "tiers/proposal_list.html", "proposal-table"), context)


def _save_terms(request: HttpRequest, form: ProposalForm, formset: StakeholderFormSet) -> proposals.ProposalTerms:
    data = form.cleaned_data
    return proposals.ProposalTerms(
        tier=data["tier"],
        price=data["price"],
        timeline_weeks=data["timeline_weeks"],
        scope_notes=data["scope_notes"],
        stakeholders=formset.people(),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def proposal_create(request: HttpRequest, lead_id: int, tier_slug: str) -> HttpResponse:
    lead = get_object_or_404(Lead.objects.visible_to(request.user).with_scores(), pk=lead_id)
    tier = get_object_or_404(Tier.objects.filter(retired=False), slug=tier_slug)
    try:
        initial = proposals.initial_terms(lead=lead, tier=tier)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("tiers:lead_recommendations", lead.pk)
    form = ProposalForm(request.POST or None, initial={"tier": tier, **initial})
    formset = StakeholderFormSet(request.POST or None, initial=initial["stakeholders"], prefix="people")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            proposal = proposals.create_proposal(
                actor=request.user, lead=lead, terms=_save_terms(request, form, formset)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Draft proposal v{proposal.version} saved. Review it, then send it.")
            return redirect("tiers:proposal_detail", proposal.pk)
    context = {"form": form, "formset": formset, "lead": lead, "tier": tier}
    return render(request, "tiers/proposal_form.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def proposal_edit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user).with_parts(), pk=proposal_id)
    if not proposal.is_open:
        messages.error(request, f"This proposal is {proposal.get_status_display().lower()}; it cannot be changed.")
        return redirect("tiers:proposal_detail", proposal.pk)
    initial = {"tier": proposal.tier, "price": proposal.price, "timeline_weeks": proposal.timeline_weeks}
    form = ProposalForm(
        request.POST or None, initial={**initial, "scope_notes": proposal.scope_notes}, current_tier=proposal.tier
    )
    people = [
        {k: getattr(p, k) for k in ("name", "email", "title", "role", "background", "is_approver")}
        for p in proposal.stakeholders.all()
    ]
    formset = StakeholderFormSet(request.POST or None, initial=people, prefix="people")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            terms = _save_terms(request, form, formset)
            saved = proposals.update_proposal(actor=request.user, proposal=proposal, terms=terms)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            note = f"Saved as new version v{saved.version}" if saved.pk != proposal.pk else "Saved"
            messages.success(request, f"{note}. Send it when it is ready.")
            return redirect("tiers:proposal_detail", saved.pk)
    context = {"form": form, "formset": formset, "lead": proposal.lead, "tier": proposal.tier, "proposal": proposal}
    return render(request, "tiers/proposal_form.html", context)


@require_GET
@staff_required
def proposal_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user).with_parts(), pk=proposal_id)
    context = {
        "proposal": proposal,
        "versions": selectors.proposals_for(proposal.lead),
        "project": selectors.project_for(proposal),
        "record_form": RecordDecisionForm(proposal=proposal, initial=_record_initial(proposal)),
    }
    return render(request, "tiers/proposal_detail.html", context)


@require_GET
@staff_required
def proposal_print(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user).with_parts(), pk=proposal_id)
    return render(request, "tiers/proposal_print.html", {"proposal": proposal})


@require_POST
@staff_required
def proposal_send(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user).with_parts(), pk=proposal_id)
    try:
        proposals.send_proposal(actor=request.user, proposal=proposal)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Proposal v{proposal.version} was emailed to {proposal.contact_email}.")
    return redirect("tiers:proposal_detail", proposal.pk)


def _record_initial(proposal: Proposal) -> dict[str, object]:
    return {"name": proposal.contact_name, "decided_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}


@require_POST
@staff_required
def proposal_record(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """A CSM records an acceptance (or a refusal) the customer gave outside the portal."""
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user).with_parts(), pk=proposal_id)
    form = RecordDecisionForm(request.POST, proposal=proposal)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "accepted":
                conversion.accept_proposal(
                    proposal=proposal,
                    accepted_by_name=data["name"],
                    comment=data["comment"],
                    actor=request.user,
                    offline=True,
                    accepted_at=data["decided_at"],
                )
            else:
                proposals.decline_proposal(
                    proposal=proposal, name=data["name"], comment=data["comment"], actor=request.user
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Recorded: {data['name']} {data['decision']} proposal v{proposal.version}.")
            return redirect("tiers:proposal_detail", proposal.pk)
    context = {
        "proposal": proposal,
        "versions": selectors.proposals_for(proposal.lead),
        "project": selectors.project_for(proposal),
        "record_form": form,
    }
    return render(request, "tiers/proposal_detail.html", context)
