from __future__ import annotations

from django.apps import AppConfig


class TiersConfig(AppConfig):
    name = "apps.tiers"
    label = "tiers"
    verbose_name = "Service tiers, recommendations and proposals"
