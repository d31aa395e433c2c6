"""Emergency freeze: immediate, self-service; lifting it needs two different staff members."""

import logging
from collections.abc import Callable

from allauth.usersessions.adapter import get_adapter as get_sessions_adapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from support_portal.accounts.models import User
from support_portal.accounts.roles import Role
from support_portal.mail import email_enqueue
from tickets.models import Ticket
from tickets.services import ticket_open_for_freeze

from ..models import AccountFreeze
from .security import user_sessions_end_others
from .webhooks import outbound_webhook_queue

logger = logging.getLogger(__name__)
FREEZE_LINK_SALT = "selfservice.freeze-link"


def _has_role(user: User, *roles: Role) -> bool:
    return user.is_active and user.groups.filter(name__in=[r.value for r in roles]).exists()


@transaction.atomic
def account_freeze(
    *, user: User, source: str, keep_session_key: str | None = None
) -> tuple[AccountFreeze, bool]:
    """Freeze now: mark frozen, end every other session, tell the exchange and
    open an urgent ticket for the Account Security team.

    Returns (freeze, created). Freezing a frozen account changes nothing
    except signing out sessions again.
    """
    existing = AccountFreeze.objects.select_for_update().filter(user=user, lifted_at__isnull=True)
    freeze = existing.first()
    created = freeze is None
    if freeze is None:
        freeze = AccountFreeze.objects.create(user=user, source=source, created_at=timezone.now())
        outbound_webhook_queue(
            type="account.freeze_requested",
            data={"uid": user.exchange_uid or "", "source": source},
        )
        # Support must look at a freeze at once: an attacker may still hold the password.
        channel = (
            Ticket.Channel.EMAIL
            if source == AccountFreeze.Source.LOCKED_OUT
            else Ticket.Channel.WEB
        )
        ticket_open_for_freeze(user=user, channel=channel)
        logger.info("account freeze source=%s user_pk=%s", source, user.pk)
    if keep_session_key:
        user_sessions_end_others(user=user, keep_session_key=keep_session_key)
    else:
        get_sessions_adapter().end_sessions(UserSession.objects.filter(user=user))
    return freeze, created


def freeze_link_request(
    *, email: str, exchange_uid: str, link_builder: Callable[[str], str]
) -> None:
    """Mail a signed freeze link if e-mail and UID name the same account; else do nothing.

    The caller answers the same either way, so nobody learns whether an
    account exists. ``link_builder(token)`` returns the absolute URL.
    """
    user = User.objects.filter(
        email__iexact=email.strip(), exchange_uid=exchange_uid.strip(), is_active=True
    ).first()
    if user is None:
        return
    token = signing.dumps({"u": user.pk, "e": user.email}, salt=FREEZE_LINK_SALT)
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {"user": user, "link": link_builder(token), "SITE_NAME": settings.SITE_NAME}
        message = EmailMultiAlternatives(
            subject=_("[%(site)s] Confirm the freeze of your account")
            % {"site": settings.SITE_NAME},
            body=render_to_string("selfservice/email/freeze_link.txt", context),
            to=[user.email],
        )
    email_enqueue(message=message)


def account_freeze_confirm(*, token: str) -> AccountFreeze:
    """Follow a locked-out freeze link: valid, unexpired and for the same e-mail."""
    try:
        data = signing.loads(
            token, salt=FREEZE_LINK_SALT, max_age=settings.SELFSERVICE_FREEZE_LINK_MAX_AGE
        )
        user = User.objects.get(pk=data["u"], email=data["e"])
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError) as exc:
        raise ValidationError(_("This link is invalid or has expired."), code="invalid") from exc
    freeze, _created = account_freeze(user=user, source=AccountFreeze.Source.LOCKED_OUT)
    return freeze


@transaction.atomic
def freeze_unfreeze_request(*, freeze: AccountFreeze, agent: User, note: str) -> AccountFreeze:
    """First person: an agent who verified the customer's identity asks to lift the freeze."""
    if not _has_role(agent, Role.AGENT, Role.SENIOR_AGENT):
        raise PermissionDenied(_("Only agents can request an unfreeze."))
    freeze = AccountFreeze.objects.select_for_update().get(pk=freeze.pk)
    if freeze.lifted_at is not None:
        raise ValidationError(_("This freeze is already lifted."), code="lifted")
    if freeze.source == AccountFreeze.Source.EXCHANGE:
        raise ValidationError(_("The exchange placed this freeze; it lifts it."), code="exchange")
    if not note.strip():
        raise ValidationError(_("Say how you verified the customer's identity."), code="note")
    freeze.unfreeze_requested_by = agent
    freeze.unfreeze_requested_at = timezone.now()
    freeze.unfreeze_note = note.strip()
    freeze.save(update_fields=["unfreeze_requested_by", "unfreeze_requested_at", "unfreeze_note"])
    return freeze


@transaction.atomic
def freeze_unfreeze_approve(*, freeze: AccountFreeze, approver: User) -> AccountFreeze:
    """Second person: a different senior agent approves; the freeze is lifted."""
    if not _has_role(approver, Role.SENIOR_AGENT):
        raise PermissionDenied(_("Only senior agents can approve an unfreeze."))
    freeze = AccountFreeze.objects.select_for_update().get(pk=freeze.pk)
    if freeze.lifted_at is not None:
        raise ValidationError(_("This freeze is already lifted."), code="lifted")
    if freeze.unfreeze_requested_by_id is None:
        raise ValidationError(_("An agent must request the unfreeze first."), code="not_requested")
    if freeze.unfreeze_requested_by_id == approver.pk:
        raise PermissionDenied(_("The agent who requested the unfreeze cannot also approve it."))
    freeze.unfreeze_approved_by = approver
    freeze.lifted_at = timezone.now()
    freeze.save(update_fields=["unfreeze_approved_by", "lifted_at"])
    outbound_webhook_queue(
        type="account.unfreeze_approved", data={"uid": freeze.user.exchange_uid or ""}
    )
    return freeze
