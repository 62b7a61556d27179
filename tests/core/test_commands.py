"""Management commands: demo data and schedules are safe to run twice; production settings pass check --deploy."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django_q.models import Schedule

from apps.core.demo import DEMO_PASSWORD
from apps.core.schedules import SCHEDULES

REPO = Path(__file__).resolve().parents[2]
# Task bookkeeping and sessions may grow on a re-run without any duplicated demo record.
NOT_DEMO_DATA = {"django_q", "sessions", "admin"}


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in NOT_DEMO_DATA
    }


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_runs_twice_without_errors_or_duplicates_and_prints_the_demo_logins(seeded_demo):
    first_output = seeded_demo  # the demo as `seed_demo` left it, shared with the other demo tests
    after_first = _counts()
    second_output = _seed()
    after_second = _counts()

    assert after_first == after_second
    assert after_first["customers.Customer"] >= 2
    assert after_first["audit.AuditEvent"] > 0
    for output in (first_output, second_output):
        assert "Demo data ready." in output
        assert DEMO_PASSWORD in output
        assert "csm@example.com" in output
        assert "admin@example.com" in output
        assert "alice@acme.example" in output
        assert "bob@globex.example" in output


def test_the_demo_logins_work_and_belong_to_two_different_companies(seeded_demo):
    from apps.accounts.models import User

    alice = User.objects.get(email="alice@acme.example")
    bob = User.objects.get(email="bob@globex.example")
    assert alice.check_password(DEMO_PASSWORD)
    assert bob.check_password(DEMO_PASSWORD)
    assert alice.client_customer_id != bob.client_customer_id
    assert User.objects.get(email="csm@example.com").is_staff
    admin = User.objects.get(email="admin@example.com")
    assert admin.is_superuser
    assert admin.has_perm("accounts.approve_refunds")


@pytest.mark.django_db
def test_sync_schedules_is_idempotent_and_removes_stale_schedules():
    Schedule.objects.create(name="retired-job", func="apps.gone.tasks.job", schedule_type=Schedule.DAILY)

    call_command("sync_schedules", stdout=StringIO())
    first = sorted(Schedule.objects.values_list("name", "func", "minutes", "repeats"))
    call_command("sync_schedules", stdout=StringIO())
    second = sorted(Schedule.objects.values_list("name", "func", "minutes", "repeats"))

    assert first == second
    assert first == sorted((r.name, r.func, r.minutes, -1) for r in SCHEDULES)
    assert ("deliver-due-messages", "apps.notifications.tasks.deliver_due_messages", 1, -1) in first


def test_every_scheduled_task_can_be_imported():
    from django.utils.module_loading import import_string

    for recurring in SCHEDULES:
        assert callable(import_string(recurring.func)), recurring.func


def test_check_deploy_passes_with_production_settings():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECURE": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portal.example.com",
        # Production sends real email; set explicitly so a developer's .env (console mail) does not leak in.
        "EMAIL_URL": "smtp://mailer:secret@smtp.example.com:587/?tls=True",
        "SITE_URL": "https://portal.example.com",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    # The browser-test harness allows async-unsafe calls in this process; production never does.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
