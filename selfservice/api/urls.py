from django.urls import path

from . import views
from .integration import IntegrationEventView

urlpatterns = [
    path("integrations/events/", IntegrationEventView.as_view(), name="integration-events"),
    path("selfservice/kyc/", views.KycStatusView.as_view(), name="selfservice-kyc"),
]
