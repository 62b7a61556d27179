"""What a person (or an API client) gets from a refused request: the words of the page, the API's JSON answer.

A status code alone proves little: these helpers also read what the answer says, so a test of a refusal fails when
the portal refuses with the wrong page (a bare 403 with the staff menu, a Django debug page, an empty body).
"""

from __future__ import annotations

import re

NOT_ALLOWED = "Your role does not allow this page."
NOT_FOUND = "There is nothing here, or it is not yours to see."


def visible_text(response) -> str:
    """The page's words as a person reads them: no tags, scripts or styles, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL | re.IGNORECASE)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def assert_not_allowed(response) -> None:
    """403 with the portal's "Not allowed" page."""
    assert response.status_code == 403, response.status_code
    text = visible_text(response)
    assert "Not allowed" in text, text[:300]
    assert NOT_ALLOWED in text, text[:300]


def assert_not_found(response) -> None:
    """404 with the portal's "Not found" page, which does not say whether the object exists."""
    assert response.status_code == 404, response.status_code
    text = visible_text(response)
    assert "Not found" in text, text[:300]
    assert NOT_FOUND in text, text[:300]


def assert_method_refused(response, *allowed: str) -> None:
    """405 naming the methods the URL does take (the Allow header), with no page."""
    assert response.status_code == 405, response.status_code
    assert sorted(method.strip() for method in response["Allow"].split(",")) == sorted(allowed)


def assert_api_refused(response, status: int, detail: str) -> None:
    """An API refusal: the status and a JSON body whose `detail` says why, and no data."""
    assert response.status_code == status, response.status_code
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": detail}


def body_rows(response) -> int:
    """How many rows the page's table bodies show (a list page shows its data, not only a status)."""
    bodies = re.findall(r"<tbody\b.*?</tbody>", response.content.decode(), flags=re.DOTALL)
    return sum(len(re.findall(r"<tr\b", body)) for body in bodies)
