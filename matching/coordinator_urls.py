"""Peer-support pages. Included by matching/urls.py, so the names live in the "matching" namespace."""

from django.urls import path

from . import coordinator_views as views

urlpatterns = [
    path("peer-support/", views.peer_support, name="peer-support"),
    path("peer-support/ask/", views.referral_create, name="referral-create"),
    path("peer-support/proposals/<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("coordinator/", views.queue, name="coordinator-queue"),
    path("coordinator/referrals/<int:pk>/", views.referral_detail, name="coordinator-referral"),
    path("coordinator/referrals/<int:pk>/propose/", views.propose, name="coordinator-propose"),
    path("coordinator/referrals/<int:pk>/close/", views.close, name="coordinator-close"),
    path("coordinator/referrals/<int:pk>/rematch/", views.rematch, name="coordinator-rematch"),
    path("coordinator/check-ins/<int:pk>/", views.check_in, name="coordinator-check-in"),
]
