from django_tasks import task


@task(queue_name="default")
def webhook_deliver(*, webhook_id: int) -> None:
    """One delivery attempt; a failure schedules the next one with backoff."""
    from .models import OutboundWebhook
    from .services import outbound_webhook_attempt

    webhook = OutboundWebhook.objects.filter(pk=webhook_id).first()
    if webhook is not None:
        outbound_webhook_attempt(webhook=webhook)
