from django.urls import path
from django.views.generic import TemplateView

from . import views

app_name = "inclusion"
urlpatterns = [
    path("settings/display/", views.display_settings, name="display"),
    path("settings/easy-read/", views.easy_read_switch, name="easy-read"),
    path("staying-safe/", TemplateView.as_view(template_name="inclusion/staying_safe.html"), name="staying-safe"),
]
