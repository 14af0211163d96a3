from django.urls import path

from . import views

app_name = "messaging"
urlpatterns = [
    path("register/<slug:ref>/contact/", views.contact_request_create, name="contact-request-create"),
    path("register/<slug:ref>/report/", views.report_person, name="report-person"),
    path("messages/", views.inbox, name="inbox"),
    path("messages/requests/", views.request_list, name="requests"),
    path("messages/requests/<int:pk>/accept/", views.request_accept, name="request-accept"),
    path("messages/requests/<int:pk>/decline/", views.request_decline, name="request-decline"),
    path("messages/settings/", views.notification_settings, name="settings"),
    path("messages/<int:pk>/", views.conversation_detail, name="conversation"),
    path("messages/<int:pk>/share/", views.conversation_share, name="share"),
    path("messages/<int:pk>/leave/", views.conversation_leave, name="leave"),
    path("messages/<int:pk>/block/<int:user_id>/", views.conversation_block, name="block"),
    path("messages/<int:pk>/archive/", views.conversation_archive, name="archive"),
    path("messages/report/<int:message_id>/", views.report_message, name="report-message"),
    path("messages/reports/<int:pk>/", views.report_thanks, name="report-thanks"),
    path("moderation/", views.moderation_queue, name="moderation-queue"),
    path("moderation/<int:pk>/", views.moderation_case, name="moderation-case"),
]
