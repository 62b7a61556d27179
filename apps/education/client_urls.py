from __future__ import annotations

from django.urls import path

from apps.education import client_views

app_name = "client_education"

urlpatterns = [
    path("", client_views.my_plan, name="plan"),
    path("items/<int:item_id>/", client_views.item_detail, name="item"),
    path("items/<int:item_id>/done/", client_views.mark_item, name="mark"),
]
