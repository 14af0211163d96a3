from django.urls import path

from . import api

urlpatterns = [
    path("ratings/", api.RatingListCreate.as_view(), name="api-ratings"),
    path("ratings/<int:pk>/", api.RatingDetail.as_view(), name="api-rating"),
    path("ratings/<int:pk>/reply/", api.RatingReplyView.as_view(), name="api-rating-reply"),
    path("ratings/<int:pk>/flag/", api.RatingFlagView.as_view(), name="api-rating-flag"),
    path("safeguarding-concerns/", api.SafeguardingCreate.as_view(), name="api-safeguarding"),
    path("profiles/<slug:ref>/quality/", api.ProfileQuality.as_view(), name="api-profile-quality"),
    path("quality/<str:area>/<str:role>/", api.AreaQuality.as_view(), name="api-area-quality"),
]
