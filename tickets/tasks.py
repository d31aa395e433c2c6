from datetime import timedelta

from django_tasks import task

from support_portal.periodic import periodic

from .models import Notification


@task(queue_name="default")
def notification_deliver(*, notification_id: int) -> str:
    """Send one queued ticket e-mail; the outcome is recorded on the row."""
    from .notifications import notification_send

    notification = Notification.objects.select_related("recipient", "ticket").get(
        pk=notification_id
    )
    return notification_send(notification=notification).status


@periodic(every=timedelta(minutes=1))
@task(queue_name="default")
def sla_check() -> int:
    """Mark SLA breaches and escalate them; also resend notifications now due and
    catch up acknowledgements whose task was lost."""
    from .notifications import notifications_send_due
    from .services import tickets_acknowledge_missed, tickets_sla_check

    breached = tickets_sla_check()
    notifications_send_due()
    tickets_acknowledge_missed()
    return breached


@task(queue_name="default")
def acknowledgement_send(*, ticket_id: int, assignee_id: int | None = None) -> bool:
    """Acknowledge a newly opened ticket and tell its assignee (queued after commit)."""
    from .services import ticket_acknowledge

    return ticket_acknowledge(ticket_id=ticket_id, assignee_id=assignee_id)
