"""Portal → exchange: signed events, retried with exponential backoff until a 2xx."""

import datetime
import json
import logging
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend

from .. import clients
from ..models import OutboundWebhook, WebhookAttempt
from .integration import signature_compute

logger = logging.getLogger(__name__)


def outbound_webhook_queue(*, type: str, data: dict) -> OutboundWebhook:
    """Store the event, then deliver it from the task queue after commit."""
    webhook = OutboundWebhook.objects.create(
        type=type, url=settings.EXCHANGE_WEBHOOK_URL, payload={}, next_attempt_at=timezone.now()
    )
    webhook.payload = {
        "event_id": str(webhook.event_id),
        "type": type,
        "occurred_at": webhook.created_at.isoformat(),
        "data": data,
    }
    webhook.save(update_fields=["payload"])
    _schedule(webhook, at=None)
    return webhook


def _schedule(webhook: OutboundWebhook, *, at: datetime.datetime | None) -> None:
    from ..tasks import webhook_deliver

    def enqueue():
        if at is None:
            webhook_deliver.enqueue(webhook_id=webhook.pk)
        elif default_task_backend.supports_defer:
            webhook_deliver.using(run_after=at).enqueue(webhook_id=webhook.pk)
        # Without deferred tasks (the immediate backend), retry_due_webhooks picks it up.

    transaction.on_commit(enqueue)


def backoff_seconds(attempt: int) -> int:
    """base * 2^(attempt-1), capped: 30 s, 1 min, 2 min... up to an hour by default."""
    delay = settings.EXCHANGE_WEBHOOK_BACKOFF_SECONDS * 2 ** max(attempt - 1, 0)
    return min(delay, settings.EXCHANGE_WEBHOOK_BACKOFF_MAX_SECONDS)


def outbound_webhook_attempt(*, webhook: OutboundWebhook) -> WebhookAttempt | None:
    """Try once; record the attempt; deliver on 2xx, else back off or give up.

    The HTTP call runs outside any transaction so a slow exchange never holds
    a database lock. Two workers racing may both deliver: the exchange
    deduplicates by the X-Event-Id it is sent.
    """
    webhook.refresh_from_db()
    if webhook.status != OutboundWebhook.Status.PENDING:
        return None
    body = json.dumps(webhook.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = str(int(time.time()))
    signature = signature_compute(
        secret=settings.EXCHANGE_WEBHOOK_SECRET, timestamp=timestamp, body=body
    )
    result = clients.exchange_event_post(
        url=webhook.url,
        body=body,
        headers={
            "X-Timestamp": timestamp,
            "X-Signature": f"sha256={signature}",
            "X-Event-Id": str(webhook.event_id),
        },
        timeout=settings.EXCHANGE_WEBHOOK_TIMEOUT,
    )
    with transaction.atomic():
        now = timezone.now()
        attempt = WebhookAttempt.objects.create(
            webhook=webhook,
            attempted_at=now,
            status_code=result.status,
            error=result.error,
            duration_ms=result.duration_ms,
        )
        webhook.attempt_count += 1
        if result.status is not None and 200 <= result.status < 300:
            webhook.status = OutboundWebhook.Status.DELIVERED
            webhook.delivered_at = now
            webhook.next_attempt_at = None
        elif webhook.attempt_count >= settings.EXCHANGE_WEBHOOK_MAX_ATTEMPTS:
            webhook.status = OutboundWebhook.Status.FAILED
            webhook.next_attempt_at = None
            logger.error("outbound webhook gave up type=%s id=%s", webhook.type, webhook.event_id)
        else:
            webhook.next_attempt_at = now + datetime.timedelta(
                seconds=backoff_seconds(webhook.attempt_count)
            )
            _schedule(webhook, at=webhook.next_attempt_at)
        webhook.save(update_fields=["attempt_count", "status", "delivered_at", "next_attempt_at"])
    return attempt


def outbound_webhook_retry_now(*, webhook: OutboundWebhook) -> OutboundWebhook:
    """An agent's "retry now": a failed webhook gets a fresh round of attempts."""
    webhook.status = OutboundWebhook.Status.PENDING
    webhook.next_attempt_at = timezone.now()
    webhook.save(update_fields=["status", "next_attempt_at"])
    _schedule(webhook, at=None)
    return webhook


def outbound_webhooks_retry_due() -> int:
    """Queue every pending webhook whose next attempt is due (a periodic safety net)."""
    due = OutboundWebhook.objects.filter(
        status=OutboundWebhook.Status.PENDING, next_attempt_at__lte=timezone.now()
    )
    count = 0
    for webhook in due:
        _schedule(webhook, at=None)
        count += 1
    return count
