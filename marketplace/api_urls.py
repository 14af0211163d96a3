"""/api/v1/: each app contributes its routes from its own api_urls module."""

from django.urls import include, path

urlpatterns = [
    path("", include("profiles.api_urls")),
    path("", include("matching.api_urls")),
    path("", include("peer_support.api_urls")),
    path("", include("messaging.api_urls")),
    path("", include("payments.api_urls")),
    path("", include("ratings.api_urls")),
    path("", include("community.api_urls")),
]
