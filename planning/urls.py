from django.urls import path  # noqa: F401

import marketplace.converters  # noqa: F401  (registers <id:...>, a bounded integer)

app_name = "planning"
urlpatterns: list = []
