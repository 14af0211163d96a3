from rest_framework.routers import SimpleRouter

import marketplace.converters  # noqa: F401  (registers <id:...>, a bounded integer)

from . import api

router = SimpleRouter(use_regex_path=False)
router.register("bookings", api.BookingViewSet, basename="booking")

urlpatterns = [*router.urls]
