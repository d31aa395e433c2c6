"""Exchange → portal: signed events that update the portal's copy of account facts."""

import datetime
import hashlib
import hmac
import logging
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from support_portal.accounts.models import User

from ..models import (
    AccountFreeze,
    ChainNetwork,
    IntegrationEvent,
    KycChange,
    KycLevel,
    SecuritySnapshot,
)

logger = logging.getLogger(__name__)


def signature_compute(*, secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over ``timestamp + "." + body``, hex; both directions use it."""
    message = timestamp.encode("ascii") + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_verify(
    *, timestamp: str, signature: str, body: bytes, now: float | None = None
) -> None:
    """Reject unsigned, wrongly signed or stale (replayed) requests.

    The timestamp is part of the signed message, so an attacker cannot refresh
    an old request; the tolerance window bounds how long a captured one works,
    and event_id idempotency covers replays inside the window.
    """
    secret = settings.EXCHANGE_WEBHOOK_SECRET
    if not secret:
        raise ValidationError("The webhook secret is not configured.", code="not_configured")
    if not timestamp or not signature:
        raise ValidationError("X-Timestamp and X-Signature are required.", code="unsigned")
    try:
        sent = int(timestamp)
    except ValueError:
        raise ValidationError("X-Timestamp must be Unix seconds.", code="bad_timestamp") from None
    now = time.time() if now is None else now
    if abs(now - sent) > settings.EXCHANGE_WEBHOOK_TOLERANCE_SECONDS:
        raise ValidationError("The timestamp is too old or too far ahead.", code="stale")
    expected = signature_compute(secret=secret, timestamp=timestamp, body=body)
    given = signature.removeprefix("sha256=").strip().lower()
    if not hmac.compare_digest(expected.encode(), given.encode("ascii", "replace")):
        raise ValidationError("The signature does not match.", code="bad_signature")


def _user_for(uid: str) -> User | None:
    return User.objects.filter(exchange_uid=uid).first()


def _apply_kyc(*, user: User, data: dict, occurred_at: datetime.datetime) -> None:
    KycChange.objects.create(
        user=user,
        level=data["level"],
        status=data["status"],
        reason_codes=data.get("reason_codes", []),
        occurred_at=occurred_at,
    )
    level = KycLevel.objects.filter(user=user, level=data["level"]).first()
    if level and level.updated_at > occurred_at:
        return  # an older event arriving late does not overwrite a newer state
    KycLevel.objects.update_or_create(
        user=user,
        level=data["level"],
        defaults={
            "status": data["status"],
            "reason_codes": data.get("reason_codes", []),
            "estimated_review_hours": data.get("estimated_review_hours"),
            "updated_at": occurred_at,
        },
    )


def _apply_security(*, user: User, data: dict, occurred_at: datetime.datetime) -> None:
    current = SecuritySnapshot.objects.filter(user=user).first()
    if current and current.as_of > occurred_at:
        return
    keys = [
        {
            "label": key["label"],
            "scopes": sorted(key.get("scopes", [])),
            "last_used_at": key["last_used_at"].isoformat() if key.get("last_used_at") else None,
        }
        for key in data.get("api_keys", [])
    ]
    SecuritySnapshot.objects.update_or_create(
        user=user,
        defaults={
            "withdrawal_whitelist_enabled": data["withdrawal_whitelist_enabled"],
            "anti_phishing_code_set": data["anti_phishing_code_set"],
            "api_keys": keys,
            "as_of": occurred_at,
        },
    )


def _apply_frozen(*, user: User, occurred_at: datetime.datetime) -> None:
    if not AccountFreeze.objects.filter(user=user, lifted_at__isnull=True).exists():
        AccountFreeze.objects.create(
            user=user, source=AccountFreeze.Source.EXCHANGE, created_at=occurred_at
        )


def _apply_unfrozen(*, user: User, occurred_at: datetime.datetime) -> None:
    # The exchange lifted the freeze on its side after its own checks; the
    # portal mirrors that. Portal-side lifting goes through the four-eyes flow.
    AccountFreeze.objects.filter(user=user, lifted_at__isnull=True).update(lifted_at=occurred_at)


def _apply_chain(*, data: dict, occurred_at: datetime.datetime) -> None:
    network = ChainNetwork.objects.filter(code=data["network"]).first()
    if network is None:
        raise ValidationError("Unknown network.", code="unknown_network")
    if network.status_updated_at and network.status_updated_at > occurred_at:
        return
    network.deposits_enabled = data["deposits_enabled"]
    network.withdrawals_enabled = data["withdrawals_enabled"]
    network.notice = data.get("notice", "")
    network.status_updated_at = occurred_at
    network.save(
        update_fields=["deposits_enabled", "withdrawals_enabled", "notice", "status_updated_at"]
    )


def integration_event_receive(
    *, event_id: str, type: str, occurred_at: datetime.datetime, data: dict
) -> tuple[IntegrationEvent, bool]:
    """Apply one validated event exactly once; return (event, created).

    A replayed event_id changes nothing and returns the stored event. Events
    about a UID with no portal account are recorded (for idempotency) without
    their data.
    """
    existing = IntegrationEvent.objects.filter(event_id=event_id).first()
    if existing:
        return existing, False
    user = None
    if type != IntegrationEvent.Type.CHAIN_STATUS:
        user = _user_for(data["uid"])
    try:
        with transaction.atomic():
            event = IntegrationEvent.objects.create(
                event_id=event_id,
                type=type,
                user=user,
                occurred_at=occurred_at,
                data=_storable(type=type, data=data) if (user or not data.get("uid")) else {},
            )
            if type == IntegrationEvent.Type.CHAIN_STATUS:
                _apply_chain(data=data, occurred_at=occurred_at)
            elif user is not None:
                if type == IntegrationEvent.Type.KYC_UPDATED:
                    _apply_kyc(user=user, data=data, occurred_at=occurred_at)
                elif type == IntegrationEvent.Type.SECURITY_SNAPSHOT:
                    _apply_security(user=user, data=data, occurred_at=occurred_at)
                elif type == IntegrationEvent.Type.ACCOUNT_FROZEN:
                    _apply_frozen(user=user, occurred_at=occurred_at)
                elif type == IntegrationEvent.Type.ACCOUNT_UNFROZEN:
                    _apply_unfrozen(user=user, occurred_at=occurred_at)
    except IntegrityError:
        # Another worker stored the same event_id between our check and insert.
        return IntegrationEvent.objects.get(event_id=event_id), False
    logger.info("integration event accepted type=%s matched=%s", type, user is not None)
    return event, True


def _storable(*, type: str, data: dict) -> dict:
    """The event's data as JSON, without the UID (the row links the user)."""
    out = {}
    for key, value in data.items():
        if key == "uid":
            continue
        if key == "api_keys":
            value = [
                {
                    **k,
                    "last_used_at": k["last_used_at"].isoformat()
                    if k.get("last_used_at")
                    else None,
                }
                for k in value
            ]
        out[key] = value
    return out
