from django.urls import path

from . import views

app_name = "selfservice"

urlpatterns = [
    path("", views.hub, name="hub"),
    path("kyc/", views.kyc_status, name="kyc-status"),
    path("security/", views.security_check, name="security-check"),
    path("security/sessions/end/", views.sessions_end_others, name="sessions-end-others"),
    path("freeze/", views.freeze, name="freeze"),
    path("freeze/request/", views.freeze_request, name="freeze-request"),
    path("freeze/confirm/<str:token>/", views.freeze_confirm, name="freeze-confirm"),
    path("deposit-trace/", views.deposit_trace_view, name="deposit-trace"),
    path("verify/", views.verify_channel, name="verify-channel"),
    path("troubleshoot/", views.troubleshooters, name="troubleshooters"),
    path("troubleshoot/<slug:slug>/", views.troubleshooter_detail, name="troubleshooter-detail"),
    path(
        "troubleshoot/<slug:slug>/answer/<int:answer_id>/",
        views.troubleshooter_answer_view,
        name="troubleshooter-answer",
    ),
    path("anti-phishing-code/", views.anti_phishing_code, name="anti-phishing-code"),
]
