from django.urls import path

import marketplace.converters  # noqa: F401  (registers <id:...>, a bounded integer)

from . import token_views, views

app_name = "profiles"
urlpatterns = [
    path("onboarding/", views.onboarding, name="onboarding"),
    path("me/", views.dashboard, name="dashboard"),
    path("me/profiles/<id:pk>/edit/", views.profile_edit, name="edit"),
    path("me/profiles/<id:pk>/lived-experience/", views.profile_sensitive, name="sensitive"),
    path("me/profiles/<id:pk>/lived-experience/withdraw/", views.consent_withdraw, name="consent-withdraw"),
    path("me/profiles/<id:pk>/photo/", views.profile_photo, name="photo"),
    path("me/profiles/<id:pk>/claims/", views.profile_claims, name="claims"),
    path("me/profiles/<id:pk>/publish/", views.profile_status, {"action": "publish"}, name="publish"),
    path("me/profiles/<id:pk>/pause/", views.profile_status, {"action": "pause"}, name="pause"),
    path("me/profiles/<id:pk>/remove/", views.profile_remove, name="remove"),
    path("me/profiles/<id:pk>/preview/", views.profile_preview, name="preview"),
    path("me/profiles/<id:pk>/lived-experience/share/", views.register_sharing, name="register-sharing"),
    path("me/name/", views.account_rename, name="rename"),
    path("me/proxies/add/", views.proxy_add, name="proxy-add"),
    path("me/proxies/accept/<str:token>/", views.proxy_accept, name="proxy-accept"),
    path("me/proxies/<id:pk>/end/", views.proxy_revoke, name="proxy-revoke"),
    path("me/blocked/<id:user_id>/unblock/", views.unblock_person, name="unblock"),
    path("me/data/", views.data_download, name="data-download"),
    path("me/delete/", views.account_delete, name="account-delete"),
    path("me/api-tokens/", token_views.api_tokens, name="api-tokens"),
    path("me/api-tokens/<id:pk>/revoke/", token_views.api_token_revoke, name="api-token-revoke"),
    path("register/", views.register_browse, name="browse"),
    path("register/<slug:ref>/", views.profile_detail, name="detail"),
    path("register/<slug:ref>/block/", views.block_person, name="block"),
]
