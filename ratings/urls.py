from django.urls import path

import marketplace.converters  # noqa: F401  (registers <id:...>, a bounded integer)

from . import views

app_name = "ratings"
urlpatterns = [
    path("ratings/", views.mine, name="mine"),
    path("ratings/engagements/<id:pk>/rate/", views.rate, name="rate"),
    path("ratings/engagements/<id:pk>/would-you-recommend/", views.poll, name="poll"),
    path("ratings/<id:pk>/", views.detail, name="detail"),
    path("ratings/<id:pk>/change/", views.edit, name="edit"),
    path("ratings/<id:pk>/reply/", views.reply, name="reply"),
    path("ratings/<id:pk>/flag/", views.flag, name="flag"),
    path("ratings/alerts/", views.alerts, name="alerts"),
    path("ratings/worked-together/<slug:ref>/", views.confirm_request, name="confirm_request"),
    path("ratings/worked-together/answer/<id:pk>/", views.confirm_respond, name="confirm_respond"),
    path("register/<slug:ref>/reviews/", views.profile_reviews, name="profile_reviews"),
    path("safeguarding/report/", views.safeguarding, name="safeguarding"),
    path("safeguarding/report/<id:pk>/", views.safeguarding_done, name="safeguarding_done"),
    path("moderation/ratings/", views.queue, name="queue"),
    path("moderation/ratings/<id:pk>/", views.moderate, name="moderate"),
    path("moderation/safeguarding/<id:pk>/", views.concern, name="concern"),
    path("quality/", views.quality_index, name="quality_index"),
    path("quality/<str:area>/<str:role>/", views.quality, name="quality"),
    path("quality/<str:area>/<str:role>/data.csv", views.quality_csv, name="quality_csv"),
    path("community-recommended/", views.panels, name="panels"),
    path("community-recommended/<id:pk>/", views.panel, name="panel"),
    path("community-recommended/<id:pk>/propose/<slug:ref>/", views.proposal_new, name="proposal_new"),
    path("community-recommended/proposals/<id:pk>/vote/", views.vote, name="vote"),
    path("community-recommended/proposals/<id:pk>/appeal/", views.appeal, name="appeal"),
    path("community-recommended/appeals/<id:pk>/", views.appeal_decide, name="appeal_decide"),
]
