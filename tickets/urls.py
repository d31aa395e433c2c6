from django.urls import path

from . import views

app_name = "tickets"

urlpatterns = [
    path("", views.ticket_list, name="ticket-list"),
    path("new/", views.ticket_create, name="ticket-create"),
    path("cannot-log-in/", views.ticket_create_without_account, name="ticket-create-no-account"),
    path("confirm/<str:token>/", views.ticket_confirm, name="ticket-confirm"),
    path("deflected/", views.deflection_create, name="deflection-create"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("<str:reference>/", views.ticket_detail, name="ticket-detail"),
    path("<str:reference>/transcript/", views.ticket_transcript, name="ticket-transcript"),
    path("<str:reference>/close/", views.ticket_close_view, name="ticket-close"),
    path("<str:reference>/rate/", views.ticket_rate_view, name="ticket-rate"),
]
