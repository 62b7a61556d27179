from __future__ import annotations

from django.apps import AppConfig


class RetentionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.retention"
    verbose_name = "Retention"

    def ready(self) -> None:
        from django.db.models import Field, ForeignObject

        from apps.retention.lookups import InArray

        # Relations keep their own lookups (ForeignObject does not inherit Field's), hence both.
        Field.register_lookup(InArray)
        ForeignObject.register_lookup(InArray)
