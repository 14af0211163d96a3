from django.urls import path

import marketplace.converters  # noqa: F401  (registers <id:...>, a bounded integer)

from . import saved_views, views

app_name = "matching"
urlpatterns = [
    path("matches/", views.matches, name="matches"),
    path("matches/why-not/", views.why_not, name="why-not"),
    path("matches/model/", views.model_history, name="model-history"),
    path("shortlist/", views.shortlist, name="shortlist"),
    path("shortlist/add/<slug:ref>/", views.shortlist_add, name="shortlist-add"),
    path("shortlist/<id:pk>/remove/", views.shortlist_remove, name="shortlist-remove"),
    path("searches/", saved_views.saved_search_list, name="saved-searches"),
    path("searches/save/", saved_views.saved_search_new, name="saved-search-new"),
    path("searches/<id:pk>/", saved_views.saved_search_detail, name="saved-search"),
    path("searches/<id:pk>/email/", saved_views.saved_search_email, name="saved-search-email"),
    path("searches/<id:pk>/delete/", saved_views.saved_search_delete, name="saved-search-delete"),
    path("adverts/", views.advert_list, name="adverts"),
    path("adverts/mine/", views.advert_mine, name="adverts-mine"),
    path("adverts/new/", views.advert_new, name="advert-new"),
    path("adverts/<id:pk>/", views.advert_detail, name="advert-detail"),
    path("adverts/<id:pk>/close/", views.advert_close, name="advert-close"),
    path("adverts/<id:pk>/respond/", views.advert_respond, name="advert-respond"),
]
