from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = "Support planning and costing"

    def ready(self) -> None:
        from profiles.privacy import register_exporter

        from .privacy import user_plans_data

        register_exporter("planning", user_plans_data)
