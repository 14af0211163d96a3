from django.urls import path

from . import api

urlpatterns = [
    path("openreferral/services/", api.OpenReferralServiceList.as_view(), name="api-openreferral-services"),
    path("openreferral/services/<uuid:uid>/", api.OpenReferralServiceDetail.as_view(), name="api-openreferral-service"),
    path("community/resources/", api.ResourceSearch.as_view(), name="api-community-resources"),
]
