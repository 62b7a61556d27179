"""KPIs by API: the readings (value, target, status, numerator and denominator) and the records each counts."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from apps.api.scopes import key_customer_id, require_scope
from apps.customers.models import Customer
from apps.dashboard import kpis
from apps.dashboard.services import kpi_targets
from apps.projects.models import ServiceType

router = Router(tags=["kpis"])


def _require_kpi_access(request: HttpRequest) -> None:
    require_scope(request, "kpis:read")
    if key_customer_id(request) is not None:
        raise HttpError(403, "KPIs count every customer; a key bound to one customer cannot read them.")


class KpiFilters(Schema):
    csm: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = None
    segment: Literal[tuple(Customer.Segment.values)] | None = None  # type: ignore[valid-type]
    service_type: Literal[tuple(ServiceType.values)] | None = None  # type: ignore[valid-type]

    def to_filters(self) -> kpis.Filters:
        return kpis.Filters(csm_id=self.csm, segment=self.segment or "", service_type=self.service_type or "")


class KpiOut(Schema):
    key: str
    name: str
    value: float | None
    target: float
    direction: Literal["at_least", "at_most"]
    status: Literal["met", "missed", "no_data"]
    numerator: float | None
    denominator: int
    window_days: int
    unit: Literal["percent", "hours", "score", "nps"]


class RecordOut(Schema):
    type: str
    id: int
    label: str
    in_numerator: bool
    value: float | None


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _reading_out(reading: kpis.KpiReading) -> dict:
    kpi = reading.kpi
    return {
        "key": kpi.key,
        "name": kpi.name,
        "value": _number(reading.result.value),
        "target": float(reading.target),
        "direction": kpi.direction,
        "status": reading.status,
        "numerator": _number(reading.result.numerator),
        "denominator": reading.result.denominator,
        "window_days": kpi.window_days,
        "unit": kpi.unit,
    }


@router.get("/kpis", response=list[KpiOut], summary="Every KPI with its value, target and status")
def kpi_list(request: HttpRequest, filters: Query[KpiFilters]) -> list[dict]:
    _require_kpi_access(request)
    readings = kpis.read_all(targets=kpi_targets(), filters=filters.to_filters(), as_of=timezone.now())
    return [_reading_out(reading) for reading in readings]


@router.get(
    "/kpis/{key}/records",
    response={200: list[RecordOut], 404: dict},
    summary="The records a KPI counts, so its value can be recomputed",
)
def kpi_records(request: HttpRequest, key: str, filters: Query[KpiFilters]) -> list[dict]:
    _require_kpi_access(request)
    kpi = kpis.REGISTRY.get(key)
    if kpi is None:
        raise HttpError(404, f"No KPI named {key!r}.")
    reading = kpis.read_kpi(kpi, targets=kpi_targets(), filters=filters.to_filters(), as_of=timezone.now())
    return [
        {
            "type": record.type,
            "id": record.id,
            "label": record.label,
            "in_numerator": record.in_numerator,
            "value": _number(record.value),
        }
        for record in reading.records
    ]
