from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Offers, bookings and payments"

    def ready(self) -> None:
        from profiles.ports import register_booking_check
        from profiles.privacy import register_exporter
        from profiles.signals import user_deleting

        from .privacy import export_for, forget_on_delete
        from .selectors import booking_exists_between

        register_exporter("payments", export_for)
        register_booking_check(booking_exists_between)
        user_deleting.connect(forget_on_delete, dispatch_uid="payments-user-deleting")
