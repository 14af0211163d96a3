from django.urls import path

import marketplace.converters  # noqa: F401  (registers <id:...>, a bounded integer)

from . import api, api_search, coordinator_api

urlpatterns = [
    path("matches/", api.MatchesView.as_view(), name="api-matches"),
    path("matches/why-not/", api.WhyNotView.as_view(), name="api-matches-why-not"),
]

# Peer support: the coordinator's workflow.
urlpatterns += [
    path("peer-support/referrals/", coordinator_api.ReferralCreateView.as_view(), name="api-referral-create"),
    path("peer-support/proposals/<id:pk>/answer/", coordinator_api.AnswerView.as_view(), name="api-proposal-answer"),
    path("coordinator/referrals/", coordinator_api.QueueView.as_view(), name="api-coordinator-queue"),
    path("coordinator/referrals/<id:pk>/suggestions/", coordinator_api.SuggestionsView.as_view(), name="api-coordinator-suggestions"),
    path("coordinator/referrals/<id:pk>/proposals/", coordinator_api.ProposeView.as_view(), name="api-coordinator-propose"),
    path("coordinator/referrals/<id:pk>/close/", coordinator_api.CloseView.as_view(), name="api-coordinator-close"),
    path("coordinator/referrals/<id:pk>/rematch/", coordinator_api.RematchView.as_view(), name="api-coordinator-rematch"),
    path("coordinator/check-ins/<id:pk>/", coordinator_api.CheckInView.as_view(), name="api-coordinator-check-in"),
]

# Shortlists and adverts.
urlpatterns += [
    path("shortlist/", api_search.ShortlistView.as_view(), name="api-shortlist"),
    path("shortlist/<id:pk>/", api_search.ShortlistEntryView.as_view(), name="api-shortlist-entry"),
    path("adverts/", api_search.AdvertsView.as_view(), name="api-adverts"),
    path("adverts/<id:pk>/close/", api_search.AdvertCloseView.as_view(), name="api-advert-close"),
    path("adverts/<id:pk>/respond/", api_search.AdvertRespondView.as_view(), name="api-advert-respond"),
]
