"""Sign-in history, password changes, sessions and the anti-phishing code."""

import datetime
import re

from allauth.usersessions.adapter import get_adapter as get_sessions_adapter
from allauth.usersessions.models import UserSession
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from support_portal.accounts.models import User

from ..devices import device_family, network_prefix
from ..models import AntiPhishingCode, PasswordChange, SignIn

ANTI_PHISHING_CODE = re.compile(r"^[A-Za-z0-9]{4,20}$")


@transaction.atomic
def sign_in_record(
    *, user: User, ip: str, user_agent: str, at: datetime.datetime | None = None
) -> SignIn:
    """Record a sign-in, flagging a network or browser family new for this user.

    The first sign-in ever sets the baseline and is never flagged. Only the
    network prefix and browser family are kept.
    """
    network = network_prefix(ip)
    device = device_family(user_agent)
    history = SignIn.objects.filter(user=user)
    has_history = history.exists()
    return SignIn.objects.create(
        user=user,
        created_at=at or timezone.now(),
        network=network,
        device=device,
        new_network=has_history and bool(network) and not history.filter(network=network).exists(),
        new_device=has_history and not history.filter(device=device).exists(),
    )


def password_change_record(*, user: User, kind: str) -> PasswordChange:
    return PasswordChange.objects.create(user=user, kind=kind, changed_at=timezone.now())


def user_sessions_end_others(*, user: User, keep_session_key: str | None) -> int:
    """Sign the user out everywhere except the given session; return how many ended."""
    others = [
        s for s in UserSession.objects.purge_and_list(user) if s.session_key != keep_session_key
    ]
    get_sessions_adapter().end_sessions(others)
    return len(others)


@transaction.atomic
def anti_phishing_code_set(*, user: User, code: str) -> AntiPhishingCode:
    """Save the personal code every e-mail from us will show; letters and digits only."""
    code = code.strip()
    if not ANTI_PHISHING_CODE.match(code):
        raise ValidationError(_("Use 4 to 20 letters and digits."), code="format")
    row, _created = AntiPhishingCode.objects.update_or_create(user=user, defaults={"code": code})
    return row
