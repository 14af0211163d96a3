"""Admin for setting up panels (through ratings.services). Everything else here is read-only: ratings are
moderated through the moderation pages, and badges come only from recorded panel votes."""

from django.contrib import admin

from marketplace.admin import ReadOnlyAdmin, ServiceAdmin

from . import services
from .models import Appeal, Badge, BadgeProposal, ModerationDecision, Panel, PanelMember, SafeguardingConcern


class PanelMemberInline(admin.TabularInline):
    model = PanelMember
    extra = 1
    raw_id_fields = ["user"]
    readonly_fields = ["left_at"]


@admin.register(Panel)
class PanelAdmin(ServiceAdmin):
    list_display = ["name", "organisation", "area_prefix", "created_at"]
    inlines = [PanelMemberInline]

    def has_delete_permission(self, request, obj=None):
        return False  # a panel's proposals and votes stay on record

    def service_save(self, request, obj, form, change):
        services.panel_save(panel=obj, actor=request.user)

    def service_delete(self, request, obj):  # pragma: no cover - deleting is not offered
        raise NotImplementedError

    def save_formset(self, request, form, formset, change):
        """Seats are saved and ended through ratings.services, never by the formset itself."""
        members = formset.save(commit=False)
        for member in formset.deleted_objects:
            services.panel_member_remove(member=member, actor=request.user)
        for member in members:
            services.panel_member_save(member=member, actor=request.user)


@admin.register(Badge)
class BadgeAdmin(ReadOnlyAdmin):
    list_display = ["profile", "panel", "awarded_at", "withdrawn_at"]


@admin.register(BadgeProposal)
class BadgeProposalAdmin(ReadOnlyAdmin):
    list_display = ["profile", "panel", "action", "outcome", "created_at", "decided_at"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "decision", "decided_by", "decided_at"]


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(ReadOnlyAdmin):
    list_display = ["rating", "decision", "moderator", "at"]


@admin.register(SafeguardingConcern)
class SafeguardingConcernAdmin(ReadOnlyAdmin):
    list_display = ["reference", "status", "someone_in_danger_now", "created_at"]
    list_filter = ["status"]
