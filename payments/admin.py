from django.contrib import admin

from .models import Booking, Budget, BudgetEntry, Package, Payment, StripeAccount, StripeEvent


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["pk", "status", "start_date", "supporter_name", "total_pence"]
    list_filter = ["status", "kind"]
    readonly_fields = ["seeker", "supporter", "supporter_profile", "created_by", "package", "cancelled_by"]


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["receipt_number", "method", "status", "amount_pence", "fee_pence", "refunded_pence", "created_at"]
    list_filter = ["method", "status"]
    search_fields = ["receipt_number", "checkout_session_id", "payment_intent_id"]
    readonly_fields = ["booking", "created_by"]


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "type", "status", "attempts", "received_at"]
    list_filter = ["status", "type"]
    search_fields = ["event_id"]


admin.site.register(StripeAccount)
admin.site.register(Package)
admin.site.register(Budget)
admin.site.register(BudgetEntry)
