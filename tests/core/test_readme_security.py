"""The README's Security section lists what the portal enforces, with the figures the settings really use, and
says how to run with the restricted database role; a renamed setting, a new API scope or a dropped section fails."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands
from django.utils.csp import CSP

from apps.api.scopes import SCOPES

README = Path(__file__).resolve().parents[2] / "README.md"


def _section(title: str) -> str:
    text = README.read_text()
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def test_the_security_section_names_everything_enforced():
    security = _section("Security")

    for heading in ("Login lockout", "Idle timeout", "API key scopes", "Audit protection", "CSP"):
        assert f"**{heading}**" in security, heading


def test_its_figures_are_the_settings_defaults():
    security = _section("Security")

    assert f"{settings.AXES_FAILURE_LIMIT} wrong passwords" in security
    assert f"for {round(settings.AXES_COOLOFF_TIME * 60)} minutes" in security
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]  # "for one e-mail from one IP"
    assert "`SESSION_IDLE_TIMEOUT`" in security
    assert settings.SECURE_CSP["frame-ancestors"] == [CSP.NONE]
    assert "`frame-ancestors 'none'`" in security
    assert CSP.NONCE in settings.SECURE_CSP["script-src"]
    assert "nonce" in security


def test_every_api_scope_is_listed():
    security = _section("Security")

    assert set(re.findall(r"`(\w+:\w+)`", security)) == set(SCOPES)


def test_it_says_how_to_run_with_the_restricted_database_role():
    security = _section("Security")

    assert "### Running with the restricted database role (PostgreSQL)" in security
    assert "manage.py restricted_db_role portal_app" in security
    assert "--apply" in security
    assert "restricted_db_role" in get_commands()
    assert "DATABASE_URL=postgres://portal_app:" in security
