from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from profiles.privacy import register_exporter

        from . import handlers  # noqa: F401 - connects the receivers for profiles' signals
        from .privacy import user_notifications_data

        register_exporter("notifications", user_notifications_data)
