from django.urls import path
from django.views.generic import TemplateView

from . import views

app_name = "inclusion"
urlpatterns = [
    path("settings/display/", views.display_settings, name="display"),
    path("settings/easy-read/", views.easy_read_switch, name="easy-read"),
    path("staying-safe/", TemplateView.as_view(template_name="inclusion/staying_safe.html"), name="staying-safe"),
]

# Help from a trusted person (assisted mode): inclusion/assisted_views.py
import marketplace.converters  # noqa: E402, F401  (registers <id:...>, a bounded integer)

from . import assisted_views  # noqa: E402

urlpatterns += [
    path("assisted/", assisted_views.home, name="assisted"),
    path("assisted/start/", assisted_views.start, name="assisted-start"),
    path("assisted/<id:pk>/", assisted_views.summary, name="assisted-summary"),
    path("assisted/<id:pk>/end/", assisted_views.end, name="assisted-end"),
]

# Video introductions (BSL or spoken): inclusion/video_views.py
from . import video_views  # noqa: E402

urlpatterns += [
    path("me/profiles/<id:pk>/video/", video_views.video_manage, name="video"),
    path("register/<slug:ref>/video/<id:pk>/", video_views.video_file, name="video-file"),
    path("register/<slug:ref>/video/<id:pk>/captions.vtt", video_views.video_captions, name="video-captions"),
]
