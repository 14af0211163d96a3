from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"

    def ready(self) -> None:
        from profiles.privacy import register_exporter
        from profiles.signals import profile_changed, register_reloaded

        from . import live
        from .privacy import export_outcomes

        register_exporter("matching", export_outcomes)
        # The index lives in this process; these keep it current (see matching/live.py).
        profile_changed.connect(live.on_profile_changed, dispatch_uid="matching.profile_changed")
        register_reloaded.connect(live.on_register_reloaded, dispatch_uid="matching.register_reloaded")
