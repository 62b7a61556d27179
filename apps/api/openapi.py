"""What the API promises beyond its schemas: JSON bodies only, one error shape, and every 4xx written down.

`JsonOnlyParser` refuses a body that is not `application/json` (a form, XML or text/plain parsed as JSON would be a
guess). `body_error` turns ninja's "Cannot parse request body" into 415 (wrong content type) or 400 (malformed JSON)
with the same `{"detail", "errors": [{"field", "message"}]}` shape as a 422. `document_errors` adds the 4xx answers
every operation can give to the OpenAPI schema, so clients (and Schemathesis) can rely on it.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser

JSON = "application/json"
ERROR_SCHEMA = {
    "type": "object",
    "title": "Error",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}
ERRORS = {
    "400": "Malformed JSON body",
    "401": "No valid API key",
    "403": "The key lacks the scope the operation needs",
    "404": "No such object (or another customer's, for a customer-bound key)",
    "409": "The object's state does not allow this now",
    "415": "The body is not application/json",
    "422": "Invalid input: one message per field",
}
BODY_ONLY = ("400", "415")


class NotJson(ValueError):
    pass


class JsonOnlyParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        if request.content_type != JSON:
            raise NotJson(f"Send the body as {JSON}, not {request.content_type or 'no content type'}.")
        return json.loads(request.body)


def body_error(request: HttpRequest, cause: BaseException | None) -> tuple[int, dict[str, Any]]:
    """The status and payload for a body ninja could not parse."""
    if isinstance(cause, NotJson):
        status, message = 415, str(cause)
    else:
        status, message = 400, "The body is not valid JSON."
    return status, {"detail": message, "errors": [{"field": "", "message": message}]}


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers to every operation of an OpenAPI schema (those it already lists are kept)."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            # ninja keys the codes it documents as ints; one key per code, or JSON readers see duplicates.
            responses = {str(code): answer for code, answer in operation.get("responses", {}).items()}
            operation["responses"] = responses
            codes = [c for c in ERRORS if c not in BODY_ONLY or "requestBody" in operation]
            if path.endswith("/ping"):
                codes = ["401"]
            for code in codes:
                responses.setdefault(code, {"description": ERRORS[code], "content": {JSON: {"schema": reference}}})
    return schema
