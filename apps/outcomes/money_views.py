"""Pages for admins and finance: the ledger (with CSV) and a guarantee's audit trail (page and JSON)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.core.access import admin_required, finance_required
from apps.core.htmx import template_for
from apps.core.pagination import querystring_without_page
from apps.guarantees.models import Guarantee
from apps.outcomes import audit_trail, ledger
from apps.outcomes.forms import LedgerFilterForm
from apps.outcomes.models import Remedy

LEDGER_PAGE_SIZE = 50


def _rows(request: HttpRequest) -> tuple[LedgerFilterForm, list[ledger.LedgerRow]]:
    form = LedgerFilterForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    return form, ledger.ledger_rows(**{k: v for k, v in values.items() if v})


@require_GET
@finance_required
def ledger_page(request: HttpRequest) -> HttpResponse:
    form, rows = _rows(request)
    context = {
        "filters": form,
        "totals": ledger.ledger_totals(rows),
        "querystring": querystring_without_page(request),
        "page": Paginator(rows, LEDGER_PAGE_SIZE).get_page(request.GET.get("page")),
        "remedies": dict(Remedy.choices),
    }
    return render(request, template_for(request, "outcomes/ledger.html", "ledger-table"), context)


@require_GET
@finance_required
def ledger_csv(request: HttpRequest) -> HttpResponse:
    _, rows = _rows(request)
    response = HttpResponse(ledger.ledger_csv(rows, ledger.ledger_totals(rows)), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="guarantee-ledger-{timezone.localdate()}.csv"'
    return response


def _guarantee(request: HttpRequest, guarantee_id: int) -> Guarantee:
    return get_object_or_404(Guarantee.objects.visible_to(request.user), pk=guarantee_id)


@require_GET
@admin_required
def trail_page(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    guarantee = _guarantee(request, guarantee_id)
    events = [(e, audit_trail.evidence_of(e)) for e in audit_trail.trail_events(guarantee)]
    context = {"guarantee": guarantee, "project": guarantee.project, "events": events}
    return render(request, "outcomes/audit_trail.html", context)


@require_GET
@admin_required
def trail_json(request: HttpRequest, guarantee_id: int) -> JsonResponse:
    guarantee = _guarantee(request, guarantee_id)
    payload = {
        "guarantee": {
            "id": guarantee.pk,
            "project": guarantee.project.name,
            "customer": guarantee.project.customer.name,
            "status": guarantee.status,
            "amount": str(guarantee.amount),
        },
        "exported_at": timezone.now().isoformat(),
        "exported_by": request.user.email,
        "events": [audit_trail.event_json(e) for e in audit_trail.trail_events(guarantee)],
    }
    response = JsonResponse(payload, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="guarantee-{guarantee.pk}-audit-trail.json"'
    return response
