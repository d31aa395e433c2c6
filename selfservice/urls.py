from django.urls import path

from . import views

app_name = "selfservice"

urlpatterns = [
    path("", views.hub, name="hub"),
    path("kyc/", views.kyc_status, name="kyc-status"),
    path("security/", views.security_check, name="security-check"),
    path("security/sessions/end/", views.sessions_end_others, name="sessions-end-others"),
    path("anti-phishing-code/", views.anti_phishing_code, name="anti-phishing-code"),
]
