"""Peer-support pages (the paths are the ones the matching app used to serve)."""

from django.urls import path

import marketplace.converters  # noqa: F401  (registers <id:...>, a bounded integer)

from . import organisation_views, views

app_name = "peer_support"
urlpatterns = [
    path("peer-support/", views.peer_support, name="peer-support"),
    path("peer-support/ask/", views.referral_create, name="referral-create"),
    path("peer-support/proposals/<id:pk>/", views.proposal_detail, name="proposal-detail"),
    path("coordinator/", views.queue, name="coordinator-queue"),
    path("coordinator/referrals/<id:pk>/", views.referral_detail, name="coordinator-referral"),
    path("coordinator/referrals/<id:pk>/propose/", views.propose, name="coordinator-propose"),
    path("coordinator/referrals/<id:pk>/close/", views.close, name="coordinator-close"),
    path("coordinator/referrals/<id:pk>/rematch/", views.rematch, name="coordinator-rematch"),
    path("coordinator/check-ins/<id:pk>/", views.check_in, name="coordinator-check-in"),
    path("organisations/", organisation_views.my_organisations, name="organisations"),
    path("organisations/invitations/<id:pk>/", organisation_views.invitation_answer, name="invitation-answer"),
    path("organisations/<id:pk>/", organisation_views.organisation_page, name="organisation"),
    path(
        "organisations/<id:pk>/requests/<id:request_pk>/",
        organisation_views.request_decide,
        name="organisation-request-decide",
    ),
    path(
        "organisations/<id:pk>/invitations/<id:invitation_pk>/withdraw/",
        organisation_views.invitation_withdraw,
        name="organisation-invitation-withdraw",
    ),
    path(
        "organisations/<id:pk>/members/<id:membership_pk>/remove/",
        organisation_views.member_remove,
        name="organisation-member-remove",
    ),
    path("staff/organisations/", organisation_views.staff_organisations, name="staff-organisations"),
    path("staff/organisations/<id:pk>/decide/", organisation_views.staff_decide, name="staff-organisation-decide"),
]
