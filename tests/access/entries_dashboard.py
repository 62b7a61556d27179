from __future__ import annotations

from django.urls import reverse

from tests.access.matrix import API_KEY_ONLY, STAFF, Entry

ENTRIES = {
    "dashboard:kpis": Entry(lambda w: reverse("dashboard:kpis"), STAFF),
    "dashboard:kpi_detail": Entry(lambda w: reverse("dashboard:kpi_detail", args=["claim_rate"]), STAFF),
    "dashboard:kpi_csv": Entry(lambda w: reverse("dashboard:kpi_csv", args=["claim_rate"]), STAFF),
    "dashboard:search": Entry(lambda w: reverse("dashboard:search"), STAFF),
    "api:kpi_list": Entry(lambda w: reverse("api:kpi_list"), API_KEY_ONLY),
    "api:kpi_records": Entry(lambda w: reverse("api:kpi_records", args=["claim_rate"]), API_KEY_ONLY),
}
