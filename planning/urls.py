"""A person's support plan, costed line by line against their personal budget (docs/planning.md)."""

from django.urls import path

import marketplace.converters  # noqa: F401  (registers <id:...>, a bounded integer)

from . import views

app_name = "planning"
urlpatterns = [
    path("plan/", views.home, name="home"),
    path("plan/<id:pk>/", views.overview, name="overview"),
    path("plan/<id:pk>/agree/", views.consent, name="consent"),
    path("plan/<id:pk>/part/<slug:key>/", views.section, name="section"),
    path("plan/<id:pk>/costing/", views.costing, name="costing"),
    path("plan/<id:pk>/suggestions/", views.suggestions, name="suggestions"),
    path("plan/<id:pk>/add-from-register/", views.add_from_register, name="add-from-register"),
    path("plan/<id:pk>/delete/", views.delete, name="delete"),
    path("plan/<id:pk>/what-if/", views.what_if, name="what-if"),
    path("plan/<id:pk>/compare/", views.compare, name="compare"),
    path("plan/<id:pk>/share/", views.share, name="share"),
    path("plan/<id:pk>/comment/", views.comment, name="comment"),
    path("plan/<id:pk>/print/", views.print_view, name="print"),
    path("plan/<id:pk>/download/", views.download, name="download"),
    path("plan/<id:pk>/download/word/", views.download_docx, name="download-docx"),
    path("plan/line/<id:pk>/", views.line_edit, name="line-edit"),
    path("plan/line/<id:pk>/remove/", views.line_remove, name="line-remove"),
    path("plan/share/<id:pk>/stop/", views.share_revoke, name="share-revoke"),
]
