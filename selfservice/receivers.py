"""allauth events feed the sign-in and password history of the security check."""

from allauth.account.adapter import get_adapter
from allauth.account.signals import password_changed, password_reset, password_set
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .models import PasswordChange
from .services import password_change_record, sign_in_record


@receiver(user_logged_in, dispatch_uid="selfservice_sign_in")
def _record_sign_in(sender, request, user, **kwargs):
    if request is None:
        return
    try:
        ip = get_adapter().get_client_ip(request)
    except Exception:
        ip = ""
    sign_in_record(user=user, ip=ip, user_agent=request.META.get("HTTP_USER_AGENT", ""))


@receiver(password_changed, dispatch_uid="selfservice_password_changed")
def _password_changed(sender, request, user, **kwargs):
    password_change_record(user=user, kind=PasswordChange.Kind.CHANGED)


@receiver(password_set, dispatch_uid="selfservice_password_set")
def _password_set(sender, request, user, **kwargs):
    password_change_record(user=user, kind=PasswordChange.Kind.SET)


@receiver(password_reset, dispatch_uid="selfservice_password_reset")
def _password_reset(sender, request, user, **kwargs):
    password_change_record(user=user, kind=PasswordChange.Kind.RESET)
