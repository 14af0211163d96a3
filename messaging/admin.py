"""Read-only: reports are handled on the moderation pages (messaging.services records each action)."""

from django.contrib import admin

from marketplace.admin import ReadOnlyAdmin

from .models import ContactRequest, Conversation, ModerationAction, Report


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["id", "severity", "reason", "status", "created_at"]
    list_filter = ["status", "severity", "reason"]
    readonly_fields = ["reporter", "reported_user", "message", "message_snapshot", "created_at"]


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    list_display = ["report", "action", "actor", "at"]
    readonly_fields = ["report", "action", "actor", "note", "at"]


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    # Message bodies are deliberately not shown here: moderators see reported snapshots in the queue.
    list_display = ["id", "kind", "created_at", "last_message_at"]


@admin.register(ContactRequest)
class ContactRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "status", "created_at", "responded_at"]
    exclude = ["message"]
