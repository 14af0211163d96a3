"""Shared pieces for every app's admin (issue 14 item 3: one write path, including the admin).

Each registered admin is one of two kinds, and tests/marketplace/test_admin_write_paths.py checks every one:
- ``ReadOnlyAdmin``: staff can look, not change. The state is changed by the service functions the pages,
  API and commands call (moderation pages, bookings, webhooks, the retry command...).
- ``ServiceAdmin``: saving and deleting call a service function (``service_save`` / ``service_delete``),
  never ``obj.save()``, so the service's checks and change log apply to admin edits too.
Both refuse dates outside 1900-2100 on any date field they show (marketplace.validators).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from marketplace.validators import validate_sensible_date


class SensibleDatesMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(db_field, (models.DateField, models.DateTimeField)):
            field.validators.append(validate_sensible_date)
        return field


class ReadOnlyAdmin(SensibleDatesMixin, admin.ModelAdmin):
    """Staff may view; nothing is added, changed or deleted here."""

    write_path = "read-only"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceAdmin(SensibleDatesMixin, admin.ModelAdmin):
    """Saves and deletes go through ``service_save(request, obj, form, change)`` and ``service_delete(request, obj)``."""

    write_path = "service"

    def service_save(self, request, obj, form, change):  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def service_delete(self, request, obj):  # pragma: no cover
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        self.service_save(request, obj, form, change)

    def delete_model(self, request, obj):
        self.service_delete(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.service_delete(request, obj)


def run_service_action(modeladmin, request, queryset, call, done: str) -> None:
    """Apply a service to each selected row; a refusal becomes a message, never a server error."""
    count = 0
    for obj in queryset:
        try:
            call(obj)
        except (PermissionDenied, ValidationError) as error:
            text = "; ".join(getattr(error, "messages", None) or [str(error)])
            modeladmin.message_user(request, f"{obj}: {text}", messages.ERROR)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, f"{done}: {count}.", messages.SUCCESS)
