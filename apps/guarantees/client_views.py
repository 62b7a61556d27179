"""The customer's face of the guarantee: their guarantee, each week's evidence, their input and their sign-off."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from apps.core.access import client_required
from apps.core.htmx import template_for, wants_partial
from apps.core.request_context import current_request_info
from apps.customers.models import Stakeholder
from apps.guarantees import responses, selectors, services
from apps.guarantees.forms import CLIENT_FORMS, SignOffForm
from apps.guarantees.models import Evidence, Guarantee, Milestone
from apps.guarantees.signoff import previous_weeks_closed
from apps.guarantees.views import serve_evidence_file


@require_GET
@client_required
def guarantee_list(request: HttpRequest) -> HttpResponse:
    guarantees = selectors.guarantee_list(user=request.user)
    return render(request, "guarantees/client/guarantee_list.html", {"guarantees": guarantees})


@require_GET
@client_required
def guarantee_detail(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    guarantee = get_object_or_404(Guarantee.objects.visible_to(request.user), pk=guarantee_id)
    context = selectors.guarantee_page(guarantee, timezone.localdate())
    return render(request, "guarantees/client/guarantee_detail.html", context)


def _context(request: HttpRequest, milestone: Milestone, form: SignOffForm | None = None) -> dict:
    context = selectors.milestone_page(milestone, timezone.localdate())
    me = request.user.client_stakeholder
    decided = any(a["stakeholder"].pk == me.pk and a["decision"] for a in context["approvers"])
    context.update(
        me=me,
        can_decide=milestone.review == Milestone.Review.AWAITING_SIGN_OFF
        and me.pk in milestone.required_approvers
        and not decided,
        order_blocked=not previous_weeks_closed(milestone),
        form=form or SignOffForm(initial={"digest": context["digest"]}),
        answerable={row.criterion.key for row in context["rows"] if _may_answer(row, me)},
    )
    return context


def _may_answer(row: selectors.CriterionRow, me: Stakeholder) -> bool:
    """Role rules without extra queries: approvers approve; invited participants vote and answer the survey."""
    if not responses.is_response_method(row.criterion.method):
        return False
    invited = any(p.stakeholder_id == me.pk for p in row.criterion.participants.all())
    return responses.may_answer(row.criterion.method, is_approver=me.is_approver, is_invited=invited)


@require_GET
@client_required
def milestone_detail(request: HttpRequest, milestone_id: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.visible_to(request.user), pk=milestone_id)
    template = template_for(request, "guarantees/client/milestone_detail.html", "milestone-body")
    return render(request, template, _context(request, milestone))


@require_POST
@client_required
def sign_off(request: HttpRequest, milestone_id: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.visible_to(request.user), pk=milestone_id)
    form = SignOffForm(request.POST)
    if form.is_valid():
        info = current_request_info()
        try:
            services.record_signoff(
                user=request.user,
                milestone_id=milestone.pk,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                digest_seen=form.cleaned_data["digest"],
                ip=info.ip,
                user_agent=info.user_agent,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            decision = "approved" if form.cleaned_data["decision"] == "approved" else "rejected and reopened"
            messages.success(request, f"Thank you: week {milestone.week} is {decision}.")
            return redirect("client_guarantees:milestone", milestone.pk)
    milestone.refresh_from_db()
    context = _context(request, milestone, form=form)
    return render(request, "guarantees/client/milestone_detail.html", context)


@require_http_methods(["GET", "POST"])
@client_required
def stakeholder_input(request: HttpRequest, milestone_id: int, key: str) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.visible_to(request.user), pk=milestone_id)
    criterion = get_object_or_404(milestone.criteria.select_related("latest_evidence"), key=key)
    form_class = CLIENT_FORMS.get(criterion.method)
    if form_class is None:
        messages.info(request, "Your customer success manager records the evidence for this criterion.")
        return redirect("client_guarantees:milestone", milestone.pk)
    if not services.may_answer(criterion, request.user.client_stakeholder):
        messages.info(request, responses.WHO_REFUSAL[responses.RESPONSES[criterion.method].who])
        return redirect("client_guarantees:milestone", milestone.pk)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_stakeholder_input(
                user=request.user,
                criterion=criterion,
                values=form.values(),
                upload=form.cleaned_data.get("file"),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Thank you: your input on {criterion.name} was recorded.")
            if wants_partial(request):
                milestone.refresh_from_db()
                body = "guarantees/client/milestone_detail.html#milestone-body"
                return render(request, body, _context(request, milestone))
            return redirect("client_guarantees:milestone", milestone.pk)
    context = {"milestone": milestone, "criterion": criterion, "form": form, "inline": wants_partial(request)}
    page = "guarantees/client/input_form.html"
    response = render(request, template_for(request, page, "input-form"), context)
    if request.method == "POST" and wants_partial(request):
        response = reswap(retarget(response, "#evidence-panel"), "innerHTML")
    return response


@require_GET
@client_required
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = get_object_or_404(Evidence.objects.visible_to(request.user), pk=evidence_id)
    return serve_evidence_file(evidence)
