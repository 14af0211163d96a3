"""Admin for setting up panels. Ratings are moderated through the moderation pages, which record decisions."""

from django.contrib import admin

from .models import Appeal, Badge, BadgeProposal, ModerationDecision, Panel, PanelMember, SafeguardingConcern


class PanelMemberInline(admin.TabularInline):
    model = PanelMember
    extra = 1
    raw_id_fields = ["user"]


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "area_prefix", "created_at"]
    inlines = [PanelMemberInline]


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    list_display = ["profile", "panel", "awarded_at", "withdrawn_at"]
    readonly_fields = ["profile", "panel", "awarded_at", "withdrawn_at"]

    def has_add_permission(self, request):
        return False  # badges come only from recorded panel votes


@admin.register(BadgeProposal)
class BadgeProposalAdmin(admin.ModelAdmin):
    list_display = ["profile", "panel", "action", "outcome", "created_at", "decided_at"]
    readonly_fields = [f.name for f in BadgeProposal._meta.fields]


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ["proposal", "decision", "decided_by", "decided_at"]
    readonly_fields = [f.name for f in Appeal._meta.fields]


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(admin.ModelAdmin):
    list_display = ["rating", "decision", "moderator", "at"]
    readonly_fields = [f.name for f in ModerationDecision._meta.fields]


@admin.register(SafeguardingConcern)
class SafeguardingConcernAdmin(admin.ModelAdmin):
    list_display = ["reference", "status", "someone_in_danger_now", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["reported_by", "engagement", "about", "someone_in_danger_now", "created_at"]
