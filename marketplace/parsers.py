"""The API's JSON parser: DRF's, refusing input no endpoint needs before any view sees it.

- JSON nested deeper than ``MAX_DEPTH`` (a few levels is all any endpoint takes) is a 400;
  5,000 levels used to overflow Python's recursion limit and answer 500.
- A NUL character in any key or string is a 400 field error (marketplace.validators.reject_nul):
  PostgreSQL cannot store one.
Installed for every API view by REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"].
"""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.parsers import JSONParser

from .validators import NUL_MESSAGE, contains_nul

MAX_DEPTH = 32
TOO_DEEP = f"This JSON is nested too deeply. Send at most {MAX_DEPTH} levels of objects and lists."


def nesting_depth_exceeds(data, limit: int) -> bool:
    stack = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(TOO_DEEP) from None
        if nesting_depth_exceeds(data, MAX_DEPTH):
            raise exceptions.ParseError(TOO_DEEP)
        if isinstance(data, dict):
            bad = {
                str(key).replace("\x00", ""): [NUL_MESSAGE]
                for key, value in data.items()
                if contains_nul(key) or contains_nul(value)
            }
            if bad:
                raise exceptions.ValidationError(bad)
        elif contains_nul(data):
            raise exceptions.ValidationError({"non_field_errors": [NUL_MESSAGE]})
        return data
