from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

import marketplace.converters  # noqa: F401  (registers <id:...>, a bounded integer)
from marketplace import moderation, staff_roles
from profiles import views as profile_views

urlpatterns = [
    path("", profile_views.home, name="home"),
    path("about-the-data/", TemplateView.as_view(template_name="about_data.html"), name="about-data"),
    path("accessibility/", TemplateView.as_view(template_name="accessibility.html"), name="accessibility"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the footer's language switcher
    path("api/v1/", include("marketplace.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI: its assets come from /static/ and its start-up script from this URL (?script), so the
    # content security policy stays script-src 'self' with nothing inline.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api_docs.html"),
        name="api-docs",
    ),
    path("moderation/all/", moderation.queue, name="moderation-all"),
    path("staff/roles/", staff_roles.roles_page, name="staff-roles"),
    path("staff/roles/moderators/<id:pk>/end/", staff_roles.moderator_end, name="staff-moderator-end"),
    path("staff/roles/panels/<id:pk>/", staff_roles.panel_seats, name="staff-panel-seats"),
    path("staff/roles/panels/<id:pk>/seats/<id:seat>/end/", staff_roles.panel_seat_end, name="staff-panel-seat-end"),
    path("", include("profiles.urls")),
    path("", include("matching.urls")),
    path("", include("peer_support.urls")),
    path("", include("messaging.urls")),
    path("", include("payments.urls")),
    path("", include("ratings.urls")),
    path("", include("notifications.urls")),
    path("", include("inclusion.urls")),
    path("", include("planning.urls")),
    path("", include("community.urls")),
    path("", include("profiles.claim_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
