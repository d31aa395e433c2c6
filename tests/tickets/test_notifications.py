import datetime
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from tests.tickets.factories import TicketFactory
from tickets.models import Message, Notification
from tickets.notifications import MAX_ATTEMPTS, notification_retry, notifications_send_due
from tickets.services import ticket_reply_as_agent

pytestmark = pytest.mark.django_db

FAILING_BACKEND = "tests.tickets.smtp_down.EmailBackend"


def test_smtp_down_keeps_reply_and_marks_notification_for_retry(settings, agent, committed):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    ticket = TicketFactory()
    with committed():
        ticket_reply_as_agent(ticket=ticket, agent=agent, body="Your deposit is credited.")
    assert Message.objects.filter(ticket=ticket, body="Your deposit is credited.").exists()
    notification = Notification.objects.get(ticket=ticket)
    assert notification.status == Notification.Status.RETRYING
    assert notification.attempts == 1
    assert notification.last_error == "SMTPServerDisconnected"
    assert notification.next_attempt_at > timezone.now()


def test_retries_back_off_then_fail_visibly_then_succeed_after_recovery(settings, agent, committed):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    ticket = TicketFactory()
    with committed():
        ticket_reply_as_agent(ticket=ticket, agent=agent, body="hi")
    notification = Notification.objects.get(ticket=ticket)
    delays = []
    for _ in range(MAX_ATTEMPTS - 1):
        notification.refresh_from_db()
        delays.append(notification.next_attempt_at)
        notifications_send_due(now=timezone.now() + datetime.timedelta(days=1))
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == MAX_ATTEMPTS
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with committed():
        notification_retry(notification=notification)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert mail.outbox[0].to == [ticket.requester.email]


def test_due_sender_leaves_future_retries_alone(settings, agent, committed):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    ticket = TicketFactory()
    with committed():
        ticket_reply_as_agent(ticket=ticket, agent=agent, body="hi")
    assert notifications_send_due() == 0
    assert Notification.objects.get().attempts == 1


def test_smtp_backend_stub_really_fails():
    from tests.tickets.smtp_down import EmailBackend

    with pytest.raises(smtplib.SMTPServerDisconnected):
        EmailBackend().send_messages([mail.EmailMessage("s", "b", to=["x@example.com"])])


def test_sla_check_is_a_periodic_task():
    from support_portal.periodic import periodic_tasks

    names = {entry.name: entry for entry in periodic_tasks()}
    assert names["tickets.tasks.sla_check"].every == datetime.timedelta(minutes=1)
