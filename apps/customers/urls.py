from __future__ import annotations

from django.urls import path

from apps.customers import views

app_name = "customers"

urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_create, name="create"),
    path("<int:customer_id>/", views.customer_detail, name="detail"),
    path("<int:customer_id>/edit/", views.customer_edit, name="edit"),
    path("<int:customer_id>/churn/", views.customer_churn, name="churn"),
    path("<int:customer_id>/stakeholders/new/", views.stakeholder_create, name="stakeholder_create"),
    path("stakeholders/<int:stakeholder_id>/edit/", views.stakeholder_edit, name="stakeholder_edit"),
    path("stakeholders/<int:stakeholder_id>/invite/", views.stakeholder_invite, name="stakeholder_invite"),
]
