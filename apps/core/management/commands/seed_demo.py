from __future__ import annotations

from types import SimpleNamespace

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from apps.core.demo import DEMO_PASSWORD, DEMO_STEPS


class Command(BaseCommand):
    help = "Build the demo dataset through the services. Safe to run twice: existing demo records are kept."

    def handle(self, *args: object, **options: object) -> None:
        ctx = SimpleNamespace(password=DEMO_PASSWORD, log=self.stdout.write)
        for step in DEMO_STEPS:
            import_string(step)(ctx)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for label, email in ctx.logins:
            self.stdout.write(f"  {label:<38} {email}")
