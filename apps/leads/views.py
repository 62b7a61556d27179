"""Staff pages of the leads app: list and CSV export, intake and edit, the explainable lead page, and its actions."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core import csv_export
from apps.core.access import staff_required
from apps.core.htmx import template_for
from apps.core.pagination import paginate, querystring_without_page
from apps.leads import selectors, services
from apps.leads.forms import LeadFilterForm, LeadForm, OverrideForm, StatusForm
from apps.leads.models import Lead

RECOMMENDATIONS_TEMPLATE = "tiers/_lead_recommendations.html"
SORT_LABELS = [
    ("-created", "Newest first"),
    ("created", "Oldest first"),
    ("organization", "Organisation A-Z"),
    ("-organization", "Organisation Z-A"),
    ("-qualification", "Qualification, highest first"),
    ("qualification", "Qualification, lowest first"),
    ("-feasibility", "Feasibility, highest first"),
    ("feasibility", "Feasibility, lowest first"),
    ("status", "Status"),
]


@require_GET
@staff_required
def lead_list(request: HttpRequest) -> HttpResponse:
    form = LeadFilterForm(request.GET)
    filters = form.filters()
    leads = selectors.lead_list(user=request.user, filters=filters)
    csms = get_user_model().objects.filter(is_staff=True, is_active=True).order_by("full_name", "email")
    context = {
        "page": paginate(request, leads),
        "form": form,
        "filters": filters,
        "csms": csms,
        "querystring": querystring_without_page(request),
        "sorts": SORT_LABELS,
    }
    return render(request, template_for(request, "leads/lead_list.html", "lead-table"), context)


CSV_HEADER = [
    "ID",
    "Organization",
    "Contact",
    "Email",
    "Service type",
    "Status",
    "CSM",
    "Qualification score",
    "Qualification level",
    "Feasibility score",
    "Feasibility level",
    "Success probability (%)",
    "Stopped",
    "Overridden",
    "Configuration version",
    "Created at",
]


def _csv_rows(leads: Iterator[Lead]) -> Iterator[list[object]]:
    """Human headers and labels; numbers stay plain numbers so a spreadsheet can sum them."""
    yield CSV_HEADER
    for lead in leads:
        score = lead.current_score
        yield [
            lead.pk,
            lead.organization_name,
            lead.contact_name,
            lead.contact_email,
            lead.get_service_type_display(),
            lead.get_status_display(),
            lead.owner.email if lead.owner else "",
            score.qualification_score if score else "",
            score.qualification_level_label if score else "",
            score.feasibility_score if score else "",
            score.feasibility_level_label if score else "",
            score.probability_percent if score else "",
            "Yes" if lead.is_stopped else "No",
            "Yes" if lead.is_overridden else "No",
            score.config_version.number if score else "",
            lead.created_at.isoformat(),
        ]


@require_GET
@staff_required
def lead_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered list (every page) as CSV."""
    leads = selectors.lead_list(user=request.user, filters=LeadFilterForm(request.GET).filters())
    # csv_export guards every cell against spreadsheet formulas.
    rows = csv_export.stream(_csv_rows(leads.iterator(chunk_size=500)))
    response = StreamingHttpResponse(rows, content_type="text/csv")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="leads-{stamp}.csv"'
    return response


@require_http_methods(["GET", "POST"])
@staff_required
def lead_create(request: HttpRequest) -> HttpResponse:
    form = LeadForm(request.POST or None, initial={"owner": request.user})
    if request.method == "POST" and form.is_valid():
        try:
            lead = services.create_lead(actor=request.user, data=form.lead_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{lead.organization_name} was added; scoring has started.")
            return redirect("leads:detail", lead.pk)
    return render(request, "leads/lead_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@staff_required
def lead_edit(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = get_object_or_404(Lead.objects.visible_to(request.user), pk=lead_id)
    form = LeadForm(request.POST or None, instance=lead)
    if request.method == "POST" and form.is_valid():
        try:
            # The form has already written onto `lead`; the service compares against the stored row.
            stored = Lead.objects.visible_to(request.user).select_related("latest_score").get(pk=lead.pk)
            services.update_lead(actor=request.user, lead=stored, data=form.lead_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("leads:detail", lead.pk)
    return render(request, "leads/lead_form.html", {"form": form, "lead": lead})


@require_POST
@staff_required
def validate_field(request: HttpRequest) -> HttpResponse:
    """One field of the lead form, checked against the whole form as posted (HTMX, as the person leaves it)."""
    form = LeadForm(request.POST)
    name = request.POST.get("_field", "")
    if name not in form.fields:
        return HttpResponseBadRequest("Unknown field.")
    form.is_valid()
    return render(request, "leads/_field.html", {"field": form[name]})


def _optional_template(name: str) -> str | None:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return None
    return name


def _detail_context(request: HttpRequest, lead: Lead, **extra: object) -> dict[str, object]:
    return {
        "lead": lead,
        "breakdown": selectors.breakdown(lead),
        "override_form": extra.pop("override_form", None) or OverrideForm(),
        "status_form": extra.pop("status_form", None) or StatusForm(),
        "recommendations_template": _optional_template(RECOMMENDATIONS_TEMPLATE),
        **extra,
    }


def _scoped_lead(request: HttpRequest, lead_id: int) -> Lead:
    leads = Lead.objects.visible_to(request.user).with_scores().select_related("overridden_by")
    return get_object_or_404(leads, pk=lead_id)


@require_GET
@staff_required
def lead_detail(request: HttpRequest, lead_id: int) -> HttpResponse:
    """The explainable lead page. While scoring is pending the score region polls this view and swaps in."""
    lead = _scoped_lead(request, lead_id)
    context = _detail_context(request, lead)
    return render(request, template_for(request, "leads/lead_detail.html", "lead-score"), context)


@require_POST
@staff_required
def lead_override(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = _scoped_lead(request, lead_id)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.override_stop(actor=request.user, lead=lead, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "The stop was overridden; your reason is recorded.")
            return redirect("leads:detail", lead.pk)
    # The whole page again, with the reason kept and the problem next to it.
    return render(request, "leads/lead_detail.html", _detail_context(request, lead, override_form=form))


@require_POST
@staff_required
def lead_status(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = _scoped_lead(request, lead_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.change_lead_status(
                actor=request.user, lead=lead, status=data["status"], lost_reason=data["lost_reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Moved to {lead.get_status_display().lower()}.")
    else:
        messages.error(request, "Choose a status to move to.")
    return redirect("leads:detail", lead.pk)


@require_POST
@staff_required
def lead_rescore(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = _scoped_lead(request, lead_id)
    services.rescore_lead(lead=lead)
    messages.info(request, "Scoring was queued again.")
    return redirect("leads:detail", lead.pk)
