from django.urls import path
from rest_framework.routers import SimpleRouter

import marketplace.converters  # noqa: F401  (registers <id:...>, a bounded integer)

from . import api

router = SimpleRouter(use_regex_path=False)
router.register("me/profiles", api.MyProfilesViewSet, basename="my-profile")
router.register("register", api.RegisterViewSet, basename="register")

urlpatterns = [path("me/data/", api.MyDataView.as_view(), name="api-my-data"), *router.urls]
