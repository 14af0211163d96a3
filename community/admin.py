"""Admin for community resources: read and search here; changes go through the same services as the pages."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from . import services
from .models import ResourceOrganisation, Service, ServiceCheck, Taxonomy


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ResourceOrganisation)
class ResourceOrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "website", "email")
    search_fields = ("name",)


@admin.register(Taxonomy)
class TaxonomyAdmin(ReadOnlyAdmin):
    list_display = ("code", "label", "vocabulary")
    search_fields = ("code", "label")


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = ("name", "organisation", "status", "outcode", "online", "cost", "last_checked_at", "source")
    list_filter = ("status", "source", "cost", "online")
    search_fields = ("name", "organisation__name", "outcode", "external_id")
    list_select_related = ("organisation",)
    actions = ["publish", "mark_checked", "withdraw"]

    def _run(self, request, queryset, action, done: str) -> None:
        count = 0
        for service in queryset:
            try:
                action(actor=request.user, service=service)
                count += 1
            except (PermissionDenied, ValidationError) as error:
                self.message_user(
                    request, f"{service.name}: {' '.join(getattr(error, 'messages', [str(error)]))}", messages.ERROR
                )
        self.message_user(request, f"{count} {done}.")

    @admin.action(description="Publish the selected suggestions")
    def publish(self, request, queryset):
        self._run(request, queryset, services.resource_publish, "published")

    @admin.action(description="Mark the selected resources as checked today")
    def mark_checked(self, request, queryset):
        self._run(request, queryset, services.resource_mark_checked, "marked as checked")

    @admin.action(description="Withdraw the selected resources")
    def withdraw(self, request, queryset):
        self._run(request, queryset, services.resource_withdraw, "withdrawn")


@admin.register(ServiceCheck)
class ServiceCheckAdmin(ReadOnlyAdmin):
    list_display = ("service", "checked_at", "note")
