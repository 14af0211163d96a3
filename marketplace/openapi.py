"""The API schema documents the error answers every API view can give (a drf-spectacular hook).

Every view shares one error path (``marketplace.exceptions.api_exception_handler``, DRF's throttles and
permissions), so rather than repeat the same ``extend_schema(responses=...)`` on each view, this adds
the four standard error responses to every operation that does not document them itself. The API
schema test (tests/marketplace/test_api_schema_fuzz.py) checks that every status code an operation
answers with is documented.
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        'An error: {"detail": "what happened and what to do"}, or for invalid input one entry per field '
        'with its messages ({"field": ["message"]}, "non_field_errors" for the input as a whole).'
    ),
    "additionalProperties": True,
}
STANDARD_ERRORS = {
    "400": "The input was not valid: each field named in the body says what to change.",
    "403": "Not signed in (send a session cookie or an API token), or not allowed to do this.",
    "404": "There is no such object, or it is someone else's.",
    "429": "Too many requests: wait the number of seconds in the Retry-After header, then try again.",
}
METHODS = {"get", "post", "put", "patch", "delete"}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {}).setdefault("Error", ERROR_SCHEMA)
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in STANDARD_ERRORS.items():
                responses.setdefault(code, {"description": description, "content": body})
    return result
