from __future__ import annotations

from django.core.management.base import BaseCommand
from django_q.models import Schedule

from apps.core.schedules import SCHEDULES


class Command(BaseCommand):
    help = "Create or update the recurring tasks declared in apps/core/schedules.py (safe to run any time)."

    def handle(self, *args: object, **options: object) -> None:
        for recurring in SCHEDULES:
            Schedule.objects.update_or_create(
                name=recurring.name,
                defaults={
                    "func": recurring.func,
                    "schedule_type": Schedule.MINUTES,
                    "minutes": recurring.minutes,
                    "repeats": -1,
                },
            )
        stale = Schedule.objects.exclude(name__in=[r.name for r in SCHEDULES])
        removed, _ = stale.delete()
        self.stdout.write(f"{len(SCHEDULES)} schedules in place; {removed} stale removed.")
