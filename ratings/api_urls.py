from django.urls import path

import marketplace.converters  # noqa: F401  (registers <id:...>, a bounded integer)

from . import api

urlpatterns = [
    path("ratings/", api.RatingListCreate.as_view(), name="api-ratings"),
    path("ratings/<id:pk>/", api.RatingDetail.as_view(), name="api-rating"),
    path("ratings/<id:pk>/reply/", api.RatingReplyView.as_view(), name="api-rating-reply"),
    path("ratings/<id:pk>/flag/", api.RatingFlagView.as_view(), name="api-rating-flag"),
    path("safeguarding-concerns/", api.SafeguardingCreate.as_view(), name="api-safeguarding"),
    path("profiles/<slug:ref>/quality/", api.ProfileQuality.as_view(), name="api-profile-quality"),
    path("quality/<str:area>/<str:role>/", api.AreaQuality.as_view(), name="api-area-quality"),
]
