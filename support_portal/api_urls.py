"""Every app's API routes, collected under /api/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("kb/", include("knowledge.api.urls")),
    path("", include("tickets.api.urls")),
    path("", include("selfservice.api.urls")),
]
