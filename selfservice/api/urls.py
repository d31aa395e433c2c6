from django.urls import path

from . import views
from .integration import IntegrationEventView

urlpatterns = [
    path("integrations/events/", IntegrationEventView.as_view(), name="integration-events"),
    path("selfservice/kyc/", views.KycStatusView.as_view(), name="selfservice-kyc"),
    path(
        "selfservice/deposit-trace/",
        views.DepositTraceView.as_view(),
        name="selfservice-deposit-trace",
    ),
    path(
        "selfservice/security-check/",
        views.SecurityCheckView.as_view(),
        name="selfservice-security-check",
    ),
    path(
        "selfservice/verify-channel/",
        views.ChannelVerifyView.as_view(),
        name="selfservice-verify-channel",
    ),
]
