from __future__ import annotations

from django.core.management.base import BaseCommand

from apps.api.services import create_api_key


class Command(BaseCommand):
    help = "Create an API key for a script or integration and print it (it is shown only this once)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("name")

    def handle(self, *args: object, name: str, **options: object) -> None:
        _, raw_key = create_api_key(name=name)
        self.stdout.write(raw_key)
