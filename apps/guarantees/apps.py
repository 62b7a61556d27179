from __future__ import annotations

from django.apps import AppConfig


class GuaranteesConfig(AppConfig):
    name = "apps.guarantees"
    label = "guarantees"
    verbose_name = "30-day guarantee"
