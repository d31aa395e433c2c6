"""How many queries opening a ticket through the API costs, pinned.

Creation is the API's hottest write: every query here is paid on each
ticket, and on SQLite the writes among them hold the database's one lock.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.tickets.factories import ShiftFactory, SLAPolicyFactory, TeamFactory, deposit_intake
from tickets.models import Message, Notification, PriorityRule, Ticket

pytestmark = pytest.mark.django_db
LIST = "/api/tickets/"


@pytest.fixture
def client(customer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=customer).key}")
    return client


@pytest.fixture
def routable():
    team = TeamFactory(slug="deposits-withdrawals")
    ShiftFactory.create_batch(5, team=team)
    SLAPolicyFactory(priority=Ticket.Priority.NORMAL)
    PriorityRule.objects.create(name="Big", category="deposit", min_amount=1, priority=30)


def create(client, **overrides):
    data = {
        "category": "deposit",
        "subject": "Deposit missing",
        "body": "Not credited after 2 hours",
        "intake": deposit_intake(amount="2"),
        **overrides,
    }
    response = client.post(LIST, data, format="json")
    assert response.status_code == 201, response.content
    return response


def test_create_queries_stay_few(client, routable, django_assert_max_num_queries):
    create(client)  # loads teams, SLA policies and priority rules once
    # Token, shifts with their open loads; then savepoint, ticket, message,
    # due times, release. The response is built from what was just written.
    # (The acknowledgement's enqueue runs after the commit, outside this count.)
    with django_assert_max_num_queries(7):
        response = create(client)
    ticket = Ticket.objects.get(reference=response.json()["reference"])
    assert ticket.priority == Ticket.Priority.HIGH and ticket.assignee_id is not None
    assert ticket.first_response_due is not None


def test_create_response_shows_the_thread_as_a_read_does(client, routable):
    response = create(client)
    read = client.get(f"{LIST}{response.json()['reference']}/")
    assert response.json() == read.json()
    assert response.json()["messages"][0]["author"] == "requester"


def test_created_ticket_is_acknowledged_after_the_commit(client, routable, committed):
    with CaptureQueriesContext(connection) as queries, committed():
        response = create(client)
    ticket = Ticket.objects.get(reference=response.json()["reference"])
    assert ticket.acknowledged_at is not None
    assert ticket.messages.filter(kind=Message.Kind.SYSTEM).count() == 1
    # Nothing of the acknowledgement ran before the ticket's transaction ended.
    sql = [q["sql"] for q in queries.captured_queries]
    release = next(i for i, s in enumerate(sql) if s.startswith("RELEASE SAVEPOINT"))
    assert not any('"tickets_notification"' in s for s in sql[:release])


def test_acknowledgement_writes_little(client, routable, committed, django_assert_max_num_queries):
    """The db_worker writes while requests wait for SQLite's one write lock."""
    from tickets.services import ticket_acknowledge

    ticket = Ticket.objects.get(reference=create(client).json()["reference"])
    with django_assert_max_num_queries(12) as queries, committed():
        assert ticket_acknowledge(ticket_id=ticket.pk, assignee_id=ticket.assignee_id)
    writes = [q["sql"].split()[0] for q in queries.captured_queries]
    # Claim, system message and both e-mails in one transaction; both
    # outcomes in another.
    assert writes.count("INSERT") == 2 and writes.count("UPDATE") == 3
    assert Notification.objects.filter(ticket=ticket, status="sent").count() == 2
