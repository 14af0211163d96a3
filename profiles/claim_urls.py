from django.urls import path

import marketplace.converters  # noqa: F401  (registers <id:...>, a bounded integer)

from . import claim_views as views

app_name = "listing_claims"
urlpatterns = [
    path("register/<slug:ref>/claim/", views.claim_new, name="new"),
    path("moderation/listing-claims/", views.claim_queue, name="queue"),
    path("moderation/listing-claims/<id:pk>/decide/", views.claim_decide, name="decide"),
]
