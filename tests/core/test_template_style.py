"""Templates people can read and diff: no template line over 160 characters (CONVENTIONS, "Markup people can read")."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

LIMIT = 160
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_no_template_line_is_longer_than_160_characters():
    long_lines = [
        f"templates/{path.relative_to(TEMPLATES).as_posix()}:{number} is {len(line)} characters"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if len(line) > LIMIT
    ]
    assert long_lines == []


def test_the_check_reads_the_templates():
    assert len(list(TEMPLATES.rglob("*.html"))) > 100
