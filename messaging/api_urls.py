from django.urls import path

import marketplace.converters  # noqa: F401  (registers <id:...>, a bounded integer)

from . import api

urlpatterns = [
    path("conversations/", api.ConversationListView.as_view(), name="api-conversations"),
    path("conversations/<id:pk>/messages/", api.MessageListCreateView.as_view(), name="api-conversation-messages"),
    path("contact-requests/", api.ContactRequestCreateView.as_view(), name="api-contact-requests"),
    path(
        "contact-requests/<id:pk>/accept/",
        api.ContactRequestAnswerView.as_view(answer="accept"),
        name="api-contact-request-accept",
    ),
    path(
        "contact-requests/<id:pk>/decline/",
        api.ContactRequestAnswerView.as_view(answer="decline"),
        name="api-contact-request-decline",
    ),
    path("reports/", api.ReportCreateView.as_view(), name="api-reports"),
]
