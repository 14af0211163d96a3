"""/api/v1/ routes for peer support (the paths are the ones the matching app used to serve)."""

from django.urls import path

import marketplace.converters  # noqa: F401  (registers <id:...>, a bounded integer)

from . import api

urlpatterns = [
    path("peer-support/referrals/", api.ReferralCreateView.as_view(), name="api-referral-create"),
    path("peer-support/proposals/<id:pk>/answer/", api.AnswerView.as_view(), name="api-proposal-answer"),
    path("coordinator/referrals/", api.QueueView.as_view(), name="api-coordinator-queue"),
    path(
        "coordinator/referrals/<id:pk>/suggestions/", api.SuggestionsView.as_view(), name="api-coordinator-suggestions"
    ),
    path("coordinator/referrals/<id:pk>/proposals/", api.ProposeView.as_view(), name="api-coordinator-propose"),
    path("coordinator/referrals/<id:pk>/close/", api.CloseView.as_view(), name="api-coordinator-close"),
    path("coordinator/referrals/<id:pk>/rematch/", api.RematchView.as_view(), name="api-coordinator-rematch"),
    path("coordinator/check-ins/<id:pk>/", api.CheckInView.as_view(), name="api-coordinator-check-in"),
]
