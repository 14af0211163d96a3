from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messaging and moderation"

    def ready(self) -> None:
        from profiles.ports import register_interest_shown, register_introductions_leave
        from profiles.privacy import register_exporter

        from . import (
            handlers,  # noqa: F401 - connects the signal receivers
            introductions,  # opens the introduction conversation on match_introduced, leaves it when a match ends
            services,
        )
        from .privacy import user_messaging_data

        register_exporter("messaging", user_messaging_data)
        register_introductions_leave(introductions.introductions_leave)
        register_interest_shown(services.interest_shown)
