"""The public proposal link (no login): /p/<proposal id>/<signed token>/."""

from __future__ import annotations

from django.urls import path

from apps.tiers import link_views

app_name = "proposal_link"

urlpatterns = [
    path("<int:proposal_id>/<str:token>/", link_views.link_view, name="view"),
    path("<int:proposal_id>/<str:token>/accept/", link_views.link_accept, name="accept"),
    path("<int:proposal_id>/<str:token>/decline/", link_views.link_decline, name="decline"),
]
