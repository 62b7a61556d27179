from __future__ import annotations

from django.urls import path

from apps.outcomes import claim_views, money_views, views

app_name = "outcomes"

urlpatterns = [
    path("", claim_views.claim_list, name="claims"),
    path("guarantees/<int:guarantee_id>/", views.guarantee_outcome, name="guarantee"),
    path("guarantees/<int:guarantee_id>/inputs/", views.final_inputs, name="inputs"),
    path("guarantees/<int:guarantee_id>/claims/new/", claim_views.claim_open, name="claim_open"),
    path("guarantees/<int:guarantee_id>/success/", views.success_document, name="success"),
    path("guarantees/<int:guarantee_id>/success/print/", views.success_print, name="success_print"),
    path("guarantees/<int:guarantee_id>/success/impact/", views.business_impact, name="impact"),
    path("guarantees/<int:guarantee_id>/audit/", money_views.trail_page, name="audit_trail"),
    path("guarantees/<int:guarantee_id>/audit.json", money_views.trail_json, name="audit_trail_json"),
    path("case-studies/", views.case_studies, name="case_studies"),
    path("claims/<int:claim_id>/", claim_views.claim_detail, name="claim"),
    path("claims/<int:claim_id>/review/", claim_views.claim_review, name="claim_review"),
    path("claims/<int:claim_id>/approve/", claim_views.claim_approve, name="claim_approve"),
    path("claims/<int:claim_id>/reject/", claim_views.claim_reject, name="claim_reject"),
    path("claims/<int:claim_id>/payout/", claim_views.payout_record, name="payout_record"),
    path("tasks/<int:task_id>/done/", claim_views.task_done, name="task_done"),
    path("ledger/", money_views.ledger_page, name="ledger"),
    path("ledger.csv", money_views.ledger_csv, name="ledger_csv"),
]
