from datetime import timedelta

from django.db import transaction
from django_tasks import task

from support_portal.periodic import periodic


@task(queue_name="default")
def webhook_deliver(*, webhook_id: int) -> None:
    """One delivery attempt; a failure schedules the next one with backoff."""
    from .models import OutboundWebhook
    from .services import outbound_webhook_attempt

    webhook = OutboundWebhook.objects.filter(pk=webhook_id).first()
    if webhook is not None:
        outbound_webhook_attempt(webhook=webhook)


@periodic(every=timedelta(minutes=1))
@task(queue_name="default")
def webhooks_retry_due() -> int:
    """Queue outbound webhooks whose next attempt is due: the safety net for
    queues that cannot defer a task, and for attempts lost to a worker crash."""
    from .services import outbound_webhooks_retry_due

    with transaction.atomic():
        return outbound_webhooks_retry_due()
