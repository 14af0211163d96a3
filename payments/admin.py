"""Read-only: money records change only through payments.services (bookings, webhooks, reconcile and retry commands)."""

from django.contrib import admin

from marketplace.admin import ReadOnlyAdmin

from .models import Booking, Budget, BudgetEntry, Package, Payment, StripeAccount, StripeEvent


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["pk", "status", "start_date", "supporter_name", "total_pence"]
    list_filter = ["status", "kind"]
    readonly_fields = ["seeker", "supporter", "supporter_profile", "created_by", "package", "cancelled_by"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["receipt_number", "method", "status", "amount_pence", "fee_pence", "refunded_pence", "created_at"]
    list_filter = ["method", "status"]
    search_fields = ["receipt_number", "checkout_session_id", "payment_intent_id"]
    readonly_fields = ["booking", "created_by"]


class NeedsAPersonFilter(admin.SimpleListFilter):
    """Failed events that will not be retried (STRIPE_EVENT_MAX_ATTEMPTS reached): someone should look."""

    title = "needs a person"
    parameter_name = "needs_person"

    def lookups(self, request, model_admin):
        return [("yes", "Needs a person (will not be retried)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            from .webhooks import events_needing_a_person

            return queryset.filter(pk__in=events_needing_a_person().values("pk"))
        return queryset


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "type", "status", "attempts", "received_at", "error"]
    list_filter = [NeedsAPersonFilter, "status", "type"]
    search_fields = ["event_id"]


admin.site.register(StripeAccount, ReadOnlyAdmin)
admin.site.register(Package, ReadOnlyAdmin)
admin.site.register(Budget, ReadOnlyAdmin)
admin.site.register(BudgetEntry, ReadOnlyAdmin)
