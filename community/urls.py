from django.urls import path

import marketplace.converters  # noqa: F401  (registers <id:...>, a bounded integer)

from . import views

app_name = "community"
urlpatterns = [
    path("community/", views.index, name="index"),
    path("community/suggest/", views.suggest, name="suggest"),
    path("community/review/", views.review, name="review"),
    path("community/resources/<id:service_id>/", views.detail, name="detail"),
    path("community/resources/<id:service_id>/edit/", views.edit, name="edit"),
    path("community/resources/<id:service_id>/publish/", views.publish, name="publish"),
    path("community/resources/<id:service_id>/checked/", views.mark_checked, name="mark-checked"),
    path("community/resources/<id:service_id>/withdraw/", views.withdraw, name="withdraw"),
    path("community/resources/<id:service_id>/add-to-plan/", views.add_to_plan, name="add-to-plan"),
    path("community/areas/", views.area_lookup, name="area-lookup"),
    path("community/areas/<slug:outcode>/", views.area, name="area"),
    path("community/areas/<slug:outcode>/data.csv", views.area_csv, name="area-csv"),
]
