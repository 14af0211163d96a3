from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = "Ratings and community quality assurance"

    def ready(self) -> None:
        from matching.quality import register_quality_provider
        from profiles.privacy import register_exporter
        from profiles.signals import user_deleting

        from . import privacy, selectors

        register_quality_provider(selectors.quality_scores, every=selectors.rated_quality_scores)
        register_exporter("ratings", privacy.ratings_export)
        user_deleting.connect(privacy.on_user_deleting, dispatch_uid="ratings.user_deleting")
