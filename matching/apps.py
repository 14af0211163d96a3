from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"

    def ready(self) -> None:
        from profiles.privacy import register_exporter
        from profiles.selectors import register_engine

        from . import tasks  # noqa: F401  (saved searches hear about new listings: profile_published)
        from .privacy import export_outcomes, export_saved_searches
        from .register import register_search

        register_exporter("matching", export_outcomes)
        register_exporter("saved_searches", export_saved_searches)
        register_engine(register_search)  # the register's pages and API search through the index
