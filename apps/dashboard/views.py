from __future__ import annotations

import io

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.core import csv_export
from apps.core.access import staff_required
from apps.core.filters import choice_filter, text_filter
from apps.core.htmx import template_for, wants_partial
from apps.core.pagination import paginate, querystring_without_page
from apps.customers.models import Customer
from apps.dashboard import kpis, search, selectors, work
from apps.dashboard.services import kpi_targets
from apps.projects.models import ServiceType


def _csm_filter(request: HttpRequest, choices: list[tuple[int, str]] | None = None) -> int | None:
    choices = selectors.csm_choices() if choices is None else choices
    value = choice_filter(request, "csm", [(str(pk), label) for pk, label in choices])
    return int(value) if value else None


@require_GET
@staff_required
def my_work(request: HttpRequest) -> HttpResponse:
    """The staff home: what needs attention, overdue first. A CSM sees their own book; an admin everyone's."""
    now = timezone.now()
    if request.user.is_superuser:
        csm_id = _csm_filter(request)
        owner = get_user_model().objects.filter(pk=csm_id).first() if csm_id else None
    else:
        csm_id, owner = None, request.user
    scope = work.Scope(owner=owner, today=timezone.localdate(now), now=now)
    sections = work.my_work(scope=scope)
    context = {
        "accounts": selectors.account_counts(owner),
        "sections": sections,
        "today": scope.today,
        "total": sum(section.count for section in sections),
        "csm_choices": selectors.csm_choices() if request.user.is_superuser else [],
        "csm_id": csm_id,
    }
    return render(request, "dashboard/my_work.html", context)


@require_GET
@staff_required
def search_page(request: HttpRequest) -> HttpResponse:
    query = text_filter(request, "q", max_length=search.MAX_QUERY_LENGTH)
    per_kind = 5 if wants_partial(request) else 20
    results = search.search(query, per_kind=per_kind)
    context = {"query": query, "results": results, "hits": sum(len(hits) for _, hits in results)}
    return render(request, template_for(request, "dashboard/search.html", "results"), context)


def _kpi_filters(request: HttpRequest, csm_choices: list[tuple[int, str]] | None = None) -> kpis.Filters:
    return kpis.Filters(
        csm_id=_csm_filter(request, csm_choices),
        segment=choice_filter(request, "segment", Customer.Segment.choices),
        service_type=choice_filter(request, "service_type", ServiceType.choices),
    )


def _filter_context(
    request: HttpRequest, filters: kpis.Filters, csm_choices: list[tuple[int, str]] | None = None
) -> dict:
    return {
        "filters": filters,
        "csm_choices": selectors.csm_choices() if csm_choices is None else csm_choices,
        "segments": Customer.Segment.choices,
        "service_types": ServiceType.choices,
        "filter_query": "&".join(f"{k}={v}" for k, v in filters.as_query().items()),
    }


@require_GET
@staff_required
def kpi_page(request: HttpRequest) -> HttpResponse:
    csm_choices = selectors.csm_choices()  # read once: the filter's check and the filter form
    filters = _kpi_filters(request, csm_choices)
    cards = selectors.kpi_cards(filters=filters)
    alerts = selectors.alerts(cards) + selectors.customers_entering_risk(filters=filters)
    context = {"cards": cards, "alerts": alerts, **_filter_context(request, filters, csm_choices)}
    return render(request, template_for(request, "dashboard/kpis.html", "kpi-grid"), context)


def _reading(request: HttpRequest, key: str) -> tuple[kpis.KpiReading, kpis.Filters]:
    kpi = kpis.REGISTRY.get(key)
    if kpi is None:
        raise Http404("No such KPI.")
    filters = _kpi_filters(request)
    return kpis.read_kpi(kpi, targets=kpi_targets(), filters=filters, as_of=timezone.now()), filters


@require_GET
@staff_required
def kpi_detail(request: HttpRequest, key: str) -> HttpResponse:
    reading, filters = _reading(request, key)
    context = {
        "reading": reading,
        "page": paginate(request, reading.records, per_page=50),
        "querystring": querystring_without_page(request),
        **_filter_context(request, filters),
    }
    return render(request, "dashboard/kpi_detail.html", context)


@require_GET
@staff_required
def kpi_csv(request: HttpRequest, key: str) -> HttpResponse:
    reading, _ = _reading(request, key)
    buffer = io.StringIO()
    writer = csv_export.writer(buffer)  # every text cell guarded against spreadsheet formulas
    writer.writerow(["Record type", "Record id", "Description", "Counted in numerator", "Value"])
    for record in reading.records:
        value = "" if record.value is None else record.value
        writer.writerow([record.type, record.id, record.label, "yes" if record.in_numerator else "no", value])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kpi-{reading.kpi.key}.csv"'
    return response
