from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community resources"

    def ready(self) -> None:
        from profiles.privacy import register_exporter
        from profiles.signals import user_deleting

        from .privacy import forget_user, user_community_data

        register_exporter("community", user_community_data)
        user_deleting.connect(forget_user, dispatch_uid="community-forget-user")
