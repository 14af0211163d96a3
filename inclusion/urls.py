from django.urls import path

from . import views

app_name = "inclusion"
urlpatterns = [
    path("settings/display/", views.display_settings, name="display"),
]
