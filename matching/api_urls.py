from django.urls import path

import marketplace.converters  # noqa: F401  (registers <id:...>, a bounded integer)

from . import api, api_search

urlpatterns = [
    path("matches/", api.MatchesView.as_view(), name="api-matches"),
    path("matches/why-not/", api.WhyNotView.as_view(), name="api-matches-why-not"),
]


# Shortlists and adverts.
urlpatterns += [
    path("shortlist/", api_search.ShortlistView.as_view(), name="api-shortlist"),
    path("shortlist/<id:pk>/", api_search.ShortlistEntryView.as_view(), name="api-shortlist-entry"),
    path("adverts/", api_search.AdvertsView.as_view(), name="api-adverts"),
    path("adverts/<id:pk>/close/", api_search.AdvertCloseView.as_view(), name="api-advert-close"),
    path("adverts/<id:pk>/respond/", api_search.AdvertRespondView.as_view(), name="api-advert-respond"),
]
