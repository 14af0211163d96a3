from django.apps import AppConfig


class InclusionConfig(AppConfig):
    name = "inclusion"
    verbose_name = "Inclusion: reading, seeing and language settings"

    def ready(self) -> None:
        from profiles.privacy import register_exporter

        from .preferences import user_display_data

        register_exporter("display_settings", user_display_data)
