from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from profiles.privacy import register_exporter

        from .privacy import user_notifications_data

        register_exporter("notifications", user_notifications_data)
