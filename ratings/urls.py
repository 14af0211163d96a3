from django.urls import path

from . import views

app_name = "ratings"
urlpatterns = [
    path("ratings/", views.mine, name="mine"),
    path("ratings/engagements/<int:pk>/rate/", views.rate, name="rate"),
    path("ratings/engagements/<int:pk>/would-you-recommend/", views.poll, name="poll"),
    path("ratings/<int:pk>/", views.detail, name="detail"),
    path("ratings/<int:pk>/change/", views.edit, name="edit"),
    path("ratings/<int:pk>/reply/", views.reply, name="reply"),
    path("ratings/<int:pk>/flag/", views.flag, name="flag"),
    path("ratings/alerts/", views.alerts, name="alerts"),
    path("ratings/worked-together/<slug:ref>/", views.confirm_request, name="confirm_request"),
    path("ratings/worked-together/answer/<int:pk>/", views.confirm_respond, name="confirm_respond"),
    path("register/<slug:ref>/reviews/", views.profile_reviews, name="profile_reviews"),
    path("safeguarding/report/", views.safeguarding, name="safeguarding"),
    path("safeguarding/report/<int:pk>/", views.safeguarding_done, name="safeguarding_done"),
    path("moderation/ratings/", views.queue, name="queue"),
    path("moderation/ratings/<int:pk>/", views.moderate, name="moderate"),
    path("moderation/safeguarding/<int:pk>/", views.concern, name="concern"),
    path("quality/", views.quality_index, name="quality_index"),
    path("quality/<str:area>/<str:role>/", views.quality, name="quality"),
    path("quality/<str:area>/<str:role>/data.csv", views.quality_csv, name="quality_csv"),
    path("community-recommended/", views.panels, name="panels"),
    path("community-recommended/<int:pk>/", views.panel, name="panel"),
    path("community-recommended/<int:pk>/propose/<slug:ref>/", views.proposal_new, name="proposal_new"),
    path("community-recommended/proposals/<int:pk>/vote/", views.vote, name="vote"),
    path("community-recommended/proposals/<int:pk>/appeal/", views.appeal, name="appeal"),
    path("community-recommended/appeals/<int:pk>/", views.appeal_decide, name="appeal_decide"),
]
