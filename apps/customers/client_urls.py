from __future__ import annotations

from django.urls import path

from apps.customers import client_views

app_name = "client"

urlpatterns = [
    path("", client_views.client_home, name="home"),
    path("invite/<str:token>/", client_views.accept_invite, name="accept_invite"),
]
