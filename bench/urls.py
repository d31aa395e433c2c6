"""The portal's URLs plus a bare view: the floor every page is compared with."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("__bench__/bare", bare),
    path("", include("support_portal.urls")),
]
