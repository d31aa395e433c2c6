import datetime
import io

import pytest
from django.utils import timezone

from support_portal.accounts import demo as accounts_demo
from tickets import demo
from tickets.models import Attachment, Message, Shift, Ticket

pytestmark = pytest.mark.django_db


def test_demo_loads_varied_tickets_and_is_idempotent():
    accounts_demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    tickets = Ticket.objects.all()
    assert tickets.count() == demo.DEMO_TICKETS
    assert set(tickets.values_list("category", flat=True)) == set(Ticket.Category.values)
    assert set(tickets.values_list("channel", flat=True)) == set(Ticket.Channel.values)
    assert {"en", "zh-hans"} <= set(tickets.values_list("language", flat=True))
    assert len(set(tickets.values_list("status", flat=True))) >= 5
    assert tickets.filter(first_response_breached=True).exists()
    assert Attachment.objects.exists()
    assert Message.objects.filter(is_internal=True).exists()
    demo.load(stdout=io.StringIO())
    assert Ticket.objects.count() == demo.DEMO_TICKETS


def test_demo_rota_covers_every_hour_today():
    accounts_demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    start = timezone.now().replace(hour=0, minute=30, second=0, microsecond=0)
    for hour in range(24):
        moment = start + datetime.timedelta(hours=hour)
        assert Shift.objects.filter(start__lte=moment, end__gt=moment).exists(), hour
