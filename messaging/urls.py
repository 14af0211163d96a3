from django.urls import path

import marketplace.converters  # noqa: F401  (registers <id:...>, a bounded integer)

from . import views

app_name = "messaging"
urlpatterns = [
    path("register/<slug:ref>/contact/", views.contact_request_create, name="contact-request-create"),
    path("register/<slug:ref>/report/", views.report_person, name="report-person"),
    path("messages/", views.inbox, name="inbox"),
    path("messages/requests/", views.request_list, name="requests"),
    path("messages/requests/<id:pk>/accept/", views.request_accept, name="request-accept"),
    path("messages/requests/<id:pk>/decline/", views.request_decline, name="request-decline"),
    path("messages/settings/", views.notification_settings, name="settings"),
    path("messages/<id:pk>/", views.conversation_detail, name="conversation"),
    path("messages/<id:pk>/share/", views.conversation_share, name="share"),
    path("messages/<id:pk>/leave/", views.conversation_leave, name="leave"),
    path("messages/<id:pk>/block/<id:user_id>/", views.conversation_block, name="block"),
    path("messages/<id:pk>/archive/", views.conversation_archive, name="archive"),
    path("messages/report/<id:message_id>/", views.report_message, name="report-message"),
    path("messages/reports/<id:pk>/", views.report_thanks, name="report-thanks"),
    path("moderation/", views.moderation_queue, name="moderation-queue"),
    path("moderation/<id:pk>/", views.moderation_case, name="moderation-case"),
]
