from django.urls import path

import marketplace.converters  # noqa: F401  (registers <id:...>, a bounded integer)

from . import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/settings/", views.email_settings, name="settings"),
    path("notifications/read-all/", views.mark_all_read, name="read-all"),
    path("notifications/<id:pk>/", views.notification_open, name="open"),
    path("notifications/<id:pk>/read/", views.mark_read, name="read"),
]
