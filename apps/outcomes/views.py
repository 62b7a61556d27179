"""Staff pages: a guarantee's end (final validation, CSM figures), success documents, case studies."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.access import staff_required
from apps.core.htmx import template_for
from apps.core.pagination import paginate
from apps.guarantees.models import Guarantee
from apps.outcomes import pages, services
from apps.outcomes.forms import FinalInputForm, ImpactForm
from apps.outcomes.models import FinalCriterionConfig, SuccessDocument


def _guarantee(request: HttpRequest, guarantee_id: int) -> Guarantee:
    return get_object_or_404(Guarantee.objects.visible_to(request.user), pk=guarantee_id)


@require_GET
@staff_required
def guarantee_outcome(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    guarantee = _guarantee(request, guarantee_id)
    context = pages.outcome_page(guarantee, request.user, preview=True)
    context["inputs"] = pages.input_rows(guarantee)
    return render(request, template_for(request, "outcomes/guarantee.html", "outcome-body"), context)


@require_http_methods(["GET", "POST"])
@staff_required
def final_inputs(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    """One small form per figure the CSM enters; a POST names its criterion in `key`."""
    guarantee = _guarantee(request, guarantee_id)
    rows = pages.input_rows(guarantee)
    posted = request.POST.get("key", "") if request.method == "POST" else ""
    forms = []
    for config, row in rows:
        initial = (
            {"value": row.value, "baseline": row.baseline, "current": row.current, "source_note": row.source_note}
            if row
            else None
        )
        form = FinalInputForm(request.POST if posted == config.key else None, config=config, initial=initial)
        if posted == config.key and form.is_valid() and _save_input(request, guarantee, config, form):
            return redirect("outcomes:inputs", guarantee.pk)
        forms.append((config, row, form))
    context = {"guarantee": guarantee, "project": guarantee.project, "forms": forms}
    return render(request, template_for(request, "outcomes/inputs.html", "inputs-body"), context)


def _save_input(request: HttpRequest, guarantee: Guarantee, config: FinalCriterionConfig, form: FinalInputForm) -> bool:
    data = form.cleaned_data
    try:
        services.save_final_input(
            actor=request.user,
            guarantee=guarantee,
            config=config,
            source_note=data["source_note"],
            value=data.get("value"),
            baseline=data.get("baseline"),
            current=data.get("current"),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(request, f"{config.label} saved.")
    return True


def _document(request: HttpRequest, guarantee_id: int) -> SuccessDocument:
    # guarantee__pk, not guarantee_id: an id past the database's integer range is then a 404, not an OverflowError.
    return get_object_or_404(SuccessDocument.objects.visible_to(request.user), guarantee__pk=guarantee_id)


@require_GET
@staff_required
def success_document(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    document = _document(request, guarantee_id)
    context = pages.success_page(document)
    context["impact_form"] = ImpactForm(initial={"business_impact": document.business_impact})
    return render(request, "outcomes/success.html", context)


@require_GET
@staff_required
def success_print(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    document = _document(request, guarantee_id)
    return render(request, "outcomes/success_print.html", pages.success_page(document))


@require_http_methods(["GET", "POST"])
@staff_required
def business_impact(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    document = _document(request, guarantee_id)
    form = ImpactForm(request.POST or None, initial={"business_impact": document.business_impact})
    if request.method == "POST" and form.is_valid():
        services.update_business_impact(
            actor=request.user, document=document, business_impact=form.cleaned_data["business_impact"].strip()
        )
        messages.success(request, "Business impact saved.")
        return redirect("outcomes:success", guarantee_id)
    context = {**pages.success_page(document), "impact_form": form}
    return render(request, template_for(request, "outcomes/success.html", "impact-form"), context)


@require_GET
@staff_required
def case_studies(request: HttpRequest) -> HttpResponse:
    context = {"page": paginate(request, pages.case_studies())}
    return render(request, template_for(request, "outcomes/case_studies.html", "case-study-table"), context)
