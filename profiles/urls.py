from django.urls import path

from . import views

app_name = "profiles"
urlpatterns = [
    path("onboarding/", views.onboarding, name="onboarding"),
    path("me/", views.dashboard, name="dashboard"),
    path("me/profiles/<int:pk>/edit/", views.profile_edit, name="edit"),
    path("me/profiles/<int:pk>/lived-experience/", views.profile_sensitive, name="sensitive"),
    path("me/profiles/<int:pk>/lived-experience/withdraw/", views.consent_withdraw, name="consent-withdraw"),
    path("me/profiles/<int:pk>/photo/", views.profile_photo, name="photo"),
    path("me/profiles/<int:pk>/claims/", views.profile_claims, name="claims"),
    path("me/profiles/<int:pk>/publish/", views.profile_status, {"action": "publish"}, name="publish"),
    path("me/profiles/<int:pk>/pause/", views.profile_status, {"action": "pause"}, name="pause"),
    path("me/profiles/<int:pk>/remove/", views.profile_remove, name="remove"),
    path("me/proxies/add/", views.proxy_add, name="proxy-add"),
    path("me/proxies/<int:pk>/end/", views.proxy_revoke, name="proxy-revoke"),
    path("me/blocked/<int:user_id>/unblock/", views.unblock_person, name="unblock"),
    path("me/data/", views.data_download, name="data-download"),
    path("me/delete/", views.account_delete, name="account-delete"),
    path("register/", views.register_browse, name="browse"),
    path("register/<slug:ref>/", views.profile_detail, name="detail"),
    path("register/<slug:ref>/block/", views.block_person, name="block"),
]
