from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter(use_regex_path=False)
router.register("bookings", api.BookingViewSet, basename="booking")

urlpatterns = [*router.urls]
