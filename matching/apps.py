from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"

    def ready(self) -> None:
        from profiles.privacy import register_exporter
        from .privacy import export_outcomes

        register_exporter("matching", export_outcomes)
