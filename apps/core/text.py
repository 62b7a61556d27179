"""Text the portal stores: one rule for control characters, for every form and the API.

PostgreSQL's text and jsonb cannot hold a NUL character (the insert fails: a 500 if nothing checks first), and the
other control characters are never typed by a person: they only come from a broken export or a probe. Tab, line
feed and carriage return are ordinary text. Pure (no Django), so the pure rule modules can use it too.
"""

from __future__ import annotations

import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_MESSAGE = "Remove the control character (such as NUL) from this text."


def has_control_character(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None
