"""Quoted names for the few hand-written SQL statements on hot paths, taken from the models so a renamed
field or table cannot drift from the ORM. Each statement's own docstring says why it is hand-written."""

from django.db import connection


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model, field_name: str, alias: str = "") -> str:
    """``field_name``'s column, quoted, prefixed with ``alias.`` when given ("pk" names the primary key)."""
    field = model._meta.pk if field_name == "pk" else model._meta.get_field(field_name)
    name = connection.ops.quote_name(field.column)
    return f"{alias}.{name}" if alias else name
