"""Concurrent replies on one ticket: nothing lost, nothing fails, state adds up.

Runs on whatever database the suite uses: a file-backed SQLite database (see
tests/settings.py) and PostgreSQL in CI. Each thread has its own connection,
so the test must see committed rows: it is a transactional test (the staff
groups it needs are put back by tests/conftest.py after earlier flushes).
"""

import itertools
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import translation

from tests.factories import StaffFactory, UserFactory
from tests.tickets.factories import TeamFactory, TicketFactory
from tickets.models import Message, Notification, Ticket, TicketEvent
from tickets.services import ticket_reply_as_agent, ticket_reply_as_requester

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
REPLIES = 50
# Every third reply is the requester's, every third a public agent reply and
# every third an internal note, interleaved differently in each thread.
KINDS = ("requester", "agent", "note")
S = Ticket.Status


def _kind(thread: int, n: int) -> str:
    return KINDS[(thread + n) % len(KINDS)]


def test_concurrent_replies_lose_nothing_and_fail_nowhere():
    requester = UserFactory(preferred_language="en")
    agent = StaffFactory(preferred_language="en")
    ticket = TicketFactory(requester=requester, assignee=agent, team=TeamFactory(), status=S.OPEN)
    start_version = ticket.version
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS, timeout=30)

    def replier(thread: int) -> None:
        try:
            barrier.wait()
            own = Ticket.objects.get(pk=ticket.pk)
            for n in range(REPLIES):
                body = f"reply {thread}-{n}"
                kind = _kind(thread, n)
                if kind == "requester":
                    ticket_reply_as_requester(ticket=own, user=requester, body=body)
                else:
                    ticket_reply_as_agent(
                        ticket=own, agent=agent, body=body, internal=kind == "note"
                    )
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=replier, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a replier hung"
    assert errors == []

    expected_kinds = {f"reply {t}-{n}": _kind(t, n) for t in range(THREADS) for n in range(REPLIES)}
    messages = list(Message.objects.filter(ticket=ticket).order_by("pk"))
    assert len(messages) == THREADS * REPLIES
    assert sorted(m.body for m in messages) == sorted(expected_kinds)
    for message in messages:
        kind = expected_kinds[message.body]
        assert message.author_id == (requester.pk if kind == "requester" else agent.pk)
        assert message.is_internal == (kind == "note")

    ticket.refresh_from_db()
    # Every reply bumped the version exactly once: no read-modify-write was lost.
    assert ticket.version == start_version + THREADS * REPLIES
    assert ticket.first_responded_at is not None
    # The status follows the last public message, whoever won the final race.
    last_public = [m for m in messages if not m.is_internal][-1]
    expected = S.OPEN if last_public.author_id == requester.pk else S.PENDING_CUSTOMER
    assert ticket.status == expected
    if expected == S.OPEN:
        assert ticket.next_response_due is not None
    else:
        assert ticket.next_response_due is None

    # The status history is one unbroken chain: each change starts where the last ended.
    # Labels are stored in the writer's language; the threads never activated one.
    events = list(TicketEvent.objects.filter(ticket=ticket, field="status").order_by("pk"))
    assert events
    with translation.override(settings.LANGUAGE_CODE):
        assert events[0].old_value == str(S.OPEN.label)
        assert events[-1].new_value == str(S(ticket.status).label)
    for before, after in itertools.pairwise(events):
        assert after.old_value == before.new_value

    # One e-mail per requester reply (to the assignee) and per public agent reply.
    kinds = list(expected_kinds.values())
    notifications = Notification.objects.filter(ticket=ticket)
    assert notifications.count() == kinds.count("requester") + kinds.count("agent")
    assert set(notifications.values_list("status", flat=True)) == {Notification.Status.SENT}
    assert len(mail.outbox) == notifications.count()
