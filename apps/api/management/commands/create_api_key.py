from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.api.scopes import SCOPES
from apps.api.services import create_api_key
from apps.customers.models import Customer


class Command(BaseCommand):
    help = (
        "Create an API key for a script or integration and print it (it is shown only this once). "
        "Without --scopes the key holds every scope."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("name")
        parser.add_argument(
            "--scopes",
            nargs="+",
            default=[],
            metavar="SCOPE",
            help=f"What the key may do (space or comma separated): {', '.join(SCOPES)}.",
        )
        parser.add_argument("--customer", type=int, help="Bind the key to this customer's id: it sees only theirs.")
        parser.add_argument("--expires", type=int, metavar="DAYS", help="The key stops working after DAYS days.")

    def handle(self, *args: object, **options: object) -> None:
        name, scopes = str(options["name"]), list(options["scopes"])  # type: ignore[call-overload]
        customer, expires = options["customer"], options["expires"]
        wanted = [scope for item in scopes for scope in item.split(",") if scope]
        unknown = sorted(set(wanted) - set(SCOPES))
        if unknown:
            raise CommandError(f"Unknown scope(s): {', '.join(unknown)}. Known: {', '.join(SCOPES)}.")
        bound = None
        if customer is not None:
            bound = Customer.objects.filter(pk=customer).first()
            if bound is None:
                raise CommandError(f"No customer with id {customer}.")
        if expires is not None and expires < 1:
            raise CommandError("--expires takes a number of days, at least 1.")
        expires_at = timezone.now() + timedelta(days=expires) if expires else None
        try:
            _, raw_key = create_api_key(name=name, scopes=wanted, customer=bound, expires_at=expires_at)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(raw_key)
