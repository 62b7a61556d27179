"""Types shared by the API's input schemas."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from apps.core.text import CONTROL_MESSAGE, has_control_character


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold a NUL byte: refuse it here (a 422 naming the field), not at the database (a 500).
    # Django's form CharField does the same for the HTML forms.
    if "\x00" in value:
        raise ValueError("Text cannot contain NUL (\\x00) characters.")
    return value


def _no_control_characters(value: str) -> str:
    if has_control_character(value):
        raise ValueError(CONTROL_MESSAGE)
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
# One line of text (a list item, a check's name): no control character at all, as the HTML forms refuse them.
PlainText = Annotated[str, AfterValidator(_no_control_characters)]
