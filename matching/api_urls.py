from django.urls import path

from . import api

urlpatterns = [
    path("matches/", api.MatchesView.as_view(), name="api-matches"),
    path("matches/why-not/", api.WhyNotView.as_view(), name="api-matches-why-not"),
]
