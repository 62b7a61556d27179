"""Staff pages of the guarantee: list, guarantee page, milestone page, evidence forms, sign-off hand-over."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from apps.core.access import staff_required
from apps.core.filters import choice_filter
from apps.core.htmx import template_for, wants_partial
from apps.core.pagination import paginate, querystring_without_page
from apps.customers.models import Stakeholder
from apps.guarantees import selectors, services
from apps.guarantees.forms import ON_BEHALF_FORMS, ActionForm, ParticipantsForm, WithdrawForm, staff_form_for
from apps.guarantees.methods import METHODS
from apps.guarantees.methods.fields import Who
from apps.guarantees.models import Evidence, Guarantee, Milestone, MilestoneAction, MilestoneCriterion

logger = logging.getLogger(__name__)
# Only UAT and the satisfaction survey are answered by invited participants.
NOT_INVITED = [key for key, method in METHODS.items() if method.who != Who.INVITED]


@require_GET
@staff_required
def guarantee_list(request: HttpRequest) -> HttpResponse:
    status = choice_filter(request, "status", Guarantee.Status.choices)
    guarantees = selectors.guarantee_list(user=request.user, status=status)
    context = {
        "page": paginate(request, guarantees),
        "status": status,
        "statuses": Guarantee.Status.choices,
        "querystring": querystring_without_page(request),
    }
    return render(request, template_for(request, "guarantees/guarantee_list.html", "guarantee-table"), context)


@require_GET
@staff_required
def guarantee_detail(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    guarantee = get_object_or_404(Guarantee.objects.visible_to(request.user), pk=guarantee_id)
    context = selectors.guarantee_page(guarantee, timezone.localdate())
    return render(request, "guarantees/guarantee_detail.html", context)


def _milestone(request: HttpRequest, milestone_id: int) -> Milestone:
    return get_object_or_404(Milestone.objects.visible_to(request.user), pk=milestone_id)


def _milestone_context(request: HttpRequest, milestone: Milestone) -> dict:
    context = selectors.milestone_page(milestone, timezone.localdate())
    context["action_rows"] = [(a, ActionForm(instance=a, prefix=f"a{a.pk}")) for a in context["actions"]]
    context["withdraw_form"] = WithdrawForm()
    return context


@require_GET
@staff_required
def milestone_detail(request: HttpRequest, milestone_id: int) -> HttpResponse:
    milestone = _milestone(request, milestone_id)
    template = template_for(request, "guarantees/milestone_detail.html", "milestone-body")
    return render(request, template, _milestone_context(request, milestone))


@require_http_methods(["GET", "POST"])
@staff_required
def evidence_form(request: HttpRequest, milestone_id: int, key: str) -> HttpResponse:
    milestone = _milestone(request, milestone_id)
    criterion = get_object_or_404(milestone.criteria.select_related("latest_evidence"), key=key)
    on_behalf = criterion.method in ON_BEHALF_FORMS
    stakeholders = services.answerable_stakeholders(criterion) if on_behalf else None
    form = staff_form_for(criterion.method, request.POST or None, request.FILES or None, stakeholders=stakeholders)
    if request.method == "POST" and form.is_valid():
        try:
            _save_evidence(request, criterion, form, on_behalf=on_behalf)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Evidence for {criterion.name} was recorded.")
            if wants_partial(request):
                milestone.refresh_from_db()
                body = "guarantees/milestone_detail.html#milestone-body"
                return render(request, body, _milestone_context(request, milestone))
            return redirect("guarantees:milestone", milestone.pk)
    context = {
        "milestone": milestone,
        "criterion": criterion,
        "form": form,
        "inline": wants_partial(request),
        "on_behalf": on_behalf,
    }
    response = render(request, template_for(request, "guarantees/evidence_form.html", "evidence-form"), context)
    if request.method == "POST" and wants_partial(request):
        response = reswap(retarget(response, "#evidence-panel"), "innerHTML")
    return response


def _save_evidence(request: HttpRequest, criterion: MilestoneCriterion, form: Any, *, on_behalf: bool) -> None:
    note, upload = form.cleaned_data["note"], form.cleaned_data.get("file")
    if on_behalf:
        services.record_stakeholder_response(
            actor=request.user,
            criterion=criterion,
            stakeholder=form.cleaned_data["stakeholder"],
            values=form.values(),
            note=note,
            upload=upload,
        )
    else:
        services.record_evidence(
            actor=request.user,
            criterion=criterion,
            data=form.evidence_data(),
            source=Evidence.Source.STAFF,
            note=note,
            upload=upload,
        )


@require_http_methods(["GET", "POST"])
@staff_required
def participants(request: HttpRequest, milestone_id: int, key: str) -> HttpResponse:
    milestone = _milestone(request, milestone_id)
    criterion = get_object_or_404(milestone.criteria.exclude(method__in=NOT_INVITED), key=key)
    invited = list(criterion.participants.select_related("stakeholder").order_by("stakeholder__name"))
    choices = Stakeholder.objects.filter(customer_id=milestone.guarantee.project.customer_id).exclude(
        pk__in=[p.stakeholder_id for p in invited]
    )
    form = ParticipantsForm(request.POST or None, choices=choices.order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            added = services.invite_participants(
                actor=request.user, criterion=criterion, stakeholders=list(form.cleaned_data["stakeholders"])
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Invited {', '.join(p.stakeholder.name for p in added)} to {criterion.name}.")
            return redirect("guarantees:milestone", milestone.pk)
    context = {"milestone": milestone, "criterion": criterion, "form": form, "invited": invited}
    return render(request, "guarantees/participants_form.html", context)


@require_POST
@staff_required
def milestone_submit(request: HttpRequest, milestone_id: int) -> HttpResponse:
    milestone = _milestone(request, milestone_id)
    try:
        services.submit_for_sign_off(actor=request.user, milestone=milestone)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Week {milestone.week} was sent to the approvers for sign-off.")
    return redirect("guarantees:milestone", milestone.pk)


@require_POST
@staff_required
def milestone_withdraw(request: HttpRequest, milestone_id: int) -> HttpResponse:
    milestone = _milestone(request, milestone_id)
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Say why the week is taken back.")
        services.withdraw_from_sign_off(actor=request.user, milestone=milestone, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Week {milestone.week} is open again for evidence.")
    return redirect("guarantees:milestone", milestone.pk)


@require_POST
@staff_required
def action_update(request: HttpRequest, action_id: int) -> HttpResponse:
    visible = MilestoneAction.objects.filter(milestone__in=Milestone.objects.visible_to(request.user))
    action = get_object_or_404(visible.select_related("milestone"), pk=action_id)
    form = ActionForm(request.POST, instance=MilestoneAction.objects.get(pk=action.pk), prefix=f"a{action.pk}")
    if form.is_valid():
        services.update_action(actor=request.user, action=action, **form.cleaned_data)
        messages.success(request, "Action updated.")
    else:
        messages.error(
            request, "The action was not saved: " + " ".join(e for errs in form.errors.values() for e in errs)
        )
    milestone = Milestone.objects.visible_to(request.user).get(pk=action.milestone_id)
    if wants_partial(request):
        return render(
            request, "guarantees/milestone_detail.html#milestone-body", _milestone_context(request, milestone)
        )
    return redirect("guarantees:milestone", milestone.pk)


def serve_evidence_file(evidence: Evidence) -> FileResponse:
    """Send a private evidence file as a download; the browser is told not to guess its type."""
    if not evidence.file:
        raise Http404("This evidence has no file.")
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        logger.error("Evidence %s: its file %s is missing from storage.", evidence.pk, evidence.file.name)
        raise Http404("The file of this evidence is missing from storage; it must be uploaded again.") from None
    response = FileResponse(handle, as_attachment=True, filename=evidence.file_name, content_type=evidence.file_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@staff_required
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = get_object_or_404(Evidence.objects.visible_to(request.user), pk=evidence_id)
    return serve_evidence_file(evidence)
