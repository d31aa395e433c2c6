"""The e-mail outbox for tickets: queue after commit, send in a task, retry.

A reply is saved whether or not SMTP is up. Each e-mail is a Notification row
first; the task sends it and records the outcome, so a failed send is visible
to agents in the admin instead of being lost in a worker log.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation

from support_portal.accounts.models import User

from .models import Notification, Ticket

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF_BASE_SECONDS = 60  # 1, 2, 4, 8 minutes between attempts


def language_for(user: User, fallback: str = "en") -> str:
    return user.preferred_language or fallback or settings.LANGUAGE_CODE


def notification_queue(
    *,
    ticket: Ticket,
    recipient: User,
    kind: str,
    subject: str,
    body: str,
    send_now: bool = False,
) -> Notification:
    """Record an e-mail and send it once this transaction commits: from the task
    queue, or (`send_now`, for callers that already run in a task) right away."""
    notification = Notification.objects.create(
        ticket=ticket, recipient=recipient, kind=kind, subject=subject[:250], body=body
    )
    if send_now:
        transaction.on_commit(lambda: _send_now(notification))
    else:
        transaction.on_commit(lambda: _enqueue(notification.pk))
    return notification


def notifications_queue_and_send(*, notifications: list[Notification]) -> list[Notification]:
    """Record several e-mails in one INSERT and, once this transaction
    commits, send them and record the outcomes in one write. For callers that
    already run in a task; on SQLite every write takes the database's one
    lock, which requests opening tickets are waiting for."""
    for notification in notifications:
        notification.subject = notification.subject[:250]
    created = Notification.objects.bulk_create(notifications)
    transaction.on_commit(lambda: _send_now(*created))
    return created


def _send_now(*notifications: Notification) -> None:
    tried = []
    for notification in notifications:
        if notification.status == Notification.Status.SENT:
            continue
        try:
            _attempt(notification)
        except Exception:
            # SMTP errors are recorded by _attempt; this is anything else:
            # hand the row to the queue instead.
            logger.warning("Could not send notification %s", notification.pk, exc_info=True)
            _enqueue(notification.pk)
        else:
            tried.append(notification)
    try:
        with transaction.atomic():
            for notification in tried:
                notification.save(update_fields=OUTCOME_FIELDS)
    except Exception:
        # Sent (or failed) but not recorded: the queue tries again.
        logger.warning("Could not record notifications", exc_info=True)
        for notification in tried:
            _enqueue(notification.pk)
        return
    for notification in tried:
        _retry_later(notification)


def _enqueue(notification_id: int, run_after: datetime.datetime | None = None) -> None:
    from .tasks import notification_deliver

    task = notification_deliver
    if run_after is not None:
        task = task.using(run_after=run_after)
    try:
        task.enqueue(notification_id=notification_id)
    except Exception:
        # The row stays pending/retrying; notifications_retry picks it up.
        logger.warning("Could not enqueue notification %s", notification_id, exc_info=True)


OUTCOME_FIELDS = ["attempts", "status", "last_error", "next_attempt_at", "sent_at"]


def notification_send(*, notification: Notification) -> Notification:
    """Try to send one notification and record the result.

    Failures back off exponentially; after MAX_ATTEMPTS the row is marked failed
    and waits for an agent (or notification_retry) to act.
    """
    if notification.status == Notification.Status.SENT:
        return notification
    _attempt(notification)
    notification.save(update_fields=OUTCOME_FIELDS)
    _retry_later(notification)
    return notification


def _attempt(notification: Notification) -> None:
    """Send the e-mail and set the outcome on the row, unsaved."""
    now = timezone.now()
    message = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        to=[notification.recipient.email],
        headers={"X-Ticket-Reference": notification.ticket.reference},
    )
    notification.attempts += 1
    try:
        message.send(fail_silently=False)
    except Exception as exc:
        # The error class only: SMTP errors can echo addresses back.
        notification.last_error = type(exc).__name__[:200]
        if notification.attempts >= MAX_ATTEMPTS:
            notification.status = Notification.Status.FAILED
            notification.next_attempt_at = None
        else:
            notification.status = Notification.Status.RETRYING
            delay = BACKOFF_BASE_SECONDS * 2 ** (notification.attempts - 1)
            notification.next_attempt_at = now + datetime.timedelta(seconds=delay)
        logger.warning(
            "Notification %s failed (attempt %s)", notification.pk, notification.attempts
        )
    else:
        notification.status = Notification.Status.SENT
        notification.sent_at = now
        notification.next_attempt_at = None
        notification.last_error = ""


def _retry_later(notification: Notification) -> None:
    if notification.status == Notification.Status.RETRYING:
        from .tasks import notification_deliver

        if notification_deliver.get_backend().supports_defer:
            _enqueue(notification.pk, run_after=notification.next_attempt_at)


def notification_retry(*, notification: Notification) -> Notification:
    """An agent asks to send a failed notification again: start a fresh series."""
    notification.status = Notification.Status.PENDING
    notification.attempts = 0
    notification.next_attempt_at = None
    notification.save(update_fields=["status", "attempts", "next_attempt_at"])
    transaction.on_commit(lambda: _enqueue(notification.pk))
    return notification


def notifications_send_due(*, now: datetime.datetime | None = None) -> int:
    """Send notifications whose retry time has come (for backends without defer)."""
    now = now or timezone.now()
    due = Notification.objects.filter(
        status__in=[Notification.Status.RETRYING, Notification.Status.PENDING],
        next_attempt_at__lte=now,
    ).select_related("recipient", "ticket")
    count = 0
    for notification in due:
        notification_send(notification=notification)
        count += 1
    return count


def render_for(user: User, fallback: str, build) -> tuple[str, str]:
    """Build (subject, body) in the recipient's language."""
    with translation.override(language_for(user, fallback)):
        subject, body = build()
        return str(subject), str(body)
