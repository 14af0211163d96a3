from django.apps import AppConfig


class InclusionConfig(AppConfig):
    name = "inclusion"
    verbose_name = "Inclusion: reading, seeing and language settings"

    def ready(self) -> None:
        from profiles.privacy import register_exporter

        from .preferences import user_display_data

        register_exporter("display_settings", user_display_data)

        # Assisted mode (help from a trusted person) keeps its models in inclusion/assisted_models.py: importing
        # it here registers them, and connects its receivers for profiles' signals.
        from .assisted import user_assisted_data

        register_exporter("assisted_mode", user_assisted_data)

        from .video_services import user_video_data  # also connects the receiver that deletes video files

        register_exporter("video_introductions", user_video_data)
