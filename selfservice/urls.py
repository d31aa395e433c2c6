from django.urls import path

from . import views

app_name = "selfservice"

urlpatterns = [
    path("", views.hub, name="hub"),
    path("kyc/", views.kyc_status, name="kyc-status"),
]
