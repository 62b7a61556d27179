"""Markup rules checked over every template: wide tables scroll inside their own wrapper, never the page."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# The Django admin's own pages style their tables themselves (no Bootstrap there).
NOT_PORTAL_PAGES = ("admin/",)


def _portal_templates() -> list[Path]:
    return [
        path
        for path in TEMPLATES.rglob("*.html")
        if not any(part in path.relative_to(TEMPLATES).as_posix() for part in NOT_PORTAL_PAGES)
    ]


def test_every_table_sits_in_a_scroll_wrapper_so_a_phone_scrolls_the_table_not_the_page():
    unwrapped = []
    for path in _portal_templates():
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<table\b", text):
            if 'class="table-responsive"' not in text[max(0, match.start() - 80) : match.start()]:
                line = text.count("\n", 0, match.start()) + 1
                unwrapped.append(f"{path.relative_to(TEMPLATES)}:{line}")
    assert unwrapped == []


def test_both_faces_put_their_navigation_behind_a_menu_button():
    for name in ("base.html", "client/base.html"):
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        assert '<details class="nav-menu" data-nav-menu>' in text, name
        assert "Menu</summary>" in text, name
