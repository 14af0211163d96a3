from django.urls import path

from . import api, api_search, coordinator_api

urlpatterns = [
    path("matches/", api.MatchesView.as_view(), name="api-matches"),
    path("matches/why-not/", api.WhyNotView.as_view(), name="api-matches-why-not"),
]

# Peer support: the coordinator's workflow.
urlpatterns += [
    path("peer-support/referrals/", coordinator_api.ReferralCreateView.as_view(), name="api-referral-create"),
    path("peer-support/proposals/<int:pk>/answer/", coordinator_api.AnswerView.as_view(), name="api-proposal-answer"),
    path("coordinator/referrals/", coordinator_api.QueueView.as_view(), name="api-coordinator-queue"),
    path("coordinator/referrals/<int:pk>/suggestions/", coordinator_api.SuggestionsView.as_view(), name="api-coordinator-suggestions"),
    path("coordinator/referrals/<int:pk>/proposals/", coordinator_api.ProposeView.as_view(), name="api-coordinator-propose"),
    path("coordinator/referrals/<int:pk>/close/", coordinator_api.CloseView.as_view(), name="api-coordinator-close"),
    path("coordinator/referrals/<int:pk>/rematch/", coordinator_api.RematchView.as_view(), name="api-coordinator-rematch"),
    path("coordinator/check-ins/<int:pk>/", coordinator_api.CheckInView.as_view(), name="api-coordinator-check-in"),
]

# Shortlists and adverts.
urlpatterns += [
    path("shortlist/", api_search.ShortlistView.as_view(), name="api-shortlist"),
    path("shortlist/<int:pk>/", api_search.ShortlistEntryView.as_view(), name="api-shortlist-entry"),
    path("adverts/", api_search.AdvertsView.as_view(), name="api-adverts"),
    path("adverts/<int:pk>/close/", api_search.AdvertCloseView.as_view(), name="api-advert-close"),
    path("adverts/<int:pk>/respond/", api_search.AdvertRespondView.as_view(), name="api-advert-respond"),
]
