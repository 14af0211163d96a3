from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"

    def ready(self) -> None:
        from profiles.privacy import register_exporter
        from profiles.selectors import register_engine

        from .privacy import export_outcomes
        from .register import register_search

        register_exporter("matching", export_outcomes)
        register_engine(register_search)  # the register's pages and API search through the index
