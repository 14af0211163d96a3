"""Path converters shared by every app's URLs.

``<id:pk>`` is ``<int:pk>`` with an upper bound: a number too big for a database integer
(SQLite and PostgreSQL ``bigint`` stop at 2**63 - 1) does not match, so the page answers
404 instead of letting the number reach a query and fail with a server error.
Use ``<id:...>`` for every id in a URL; importing this module registers it (once).
"""

from django.urls import register_converter

MAX_ID = 2**63 - 1


class BoundedIntConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("id out of range")  # the resolver treats this as "no match": 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(BoundedIntConverter, "id")
