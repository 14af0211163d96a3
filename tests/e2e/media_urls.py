"""The site's URLs plus uploaded files, for browser tests that show photos (production serves media elsewhere)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from marketplace.urls import urlpatterns as site_urlpatterns


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", media), *site_urlpatterns]
