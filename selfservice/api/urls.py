from django.urls import path

from .integration import IntegrationEventView

urlpatterns = [
    path("integrations/events/", IntegrationEventView.as_view(), name="integration-events"),
]
