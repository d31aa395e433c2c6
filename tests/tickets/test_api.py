import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import UserFactory
from tests.tickets.factories import TicketFactory, deposit_intake, upload
from tickets.models import Message, Ticket, TicketRating
from tickets.services import ticket_reply_as_agent

pytestmark = pytest.mark.django_db
S = Ticket.Status
LIST = "/api/tickets/"


def ticket_url(ticket, suffix=""):
    return f"/api/tickets/{ticket.reference}/{suffix}"


@pytest.fixture
def api(customer):
    client = APIClient()
    client.force_authenticate(customer)
    return client


def payload(**overrides):
    data = {
        "category": "deposit",
        "subject": "Deposit missing",
        "body": "Not credited after 2 hours",
        "intake": deposit_intake(),
    }
    data.update(overrides)
    return data


def test_paths_match_the_issue():
    assert reverse("api:ticket-list") == LIST
    assert reverse("api:agent-ticket-list") == "/api/agent/tickets/"


def test_anonymous_refused():
    assert APIClient().get(LIST).status_code in (401, 403)
    assert APIClient().post(LIST, payload(), format="json").status_code in (401, 403)


def test_create_and_read_back(api, customer):
    response = api.post(LIST, payload(), format="json")
    assert response.status_code == 201, response.content
    reference = response.json()["reference"]
    ticket = Ticket.objects.get(reference=reference)
    assert ticket.requester == customer and ticket.channel == "web"
    body = api.get(f"{LIST}{reference}/").json()
    assert body["messages"][0]["body"] == "Not credited after 2 hours"
    assert "id" not in body and "assignee" not in body


def test_create_with_token_auth(customer):
    token = Token.objects.create(user=customer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.post(LIST, payload(), format="json").status_code == 201


def test_create_multipart_with_attachment(api):
    data = payload(
        intake='{"coin": "BTC", "network": "BTC", "txid": "' + "a" * 64 + '", '
        '"amount": "1", "address": "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", '
        '"time": "2025-01-01"}',
        attachments=[upload()],
    )
    response = api.post(LIST, data, format="multipart")
    assert response.status_code == 201, response.content
    assert Ticket.objects.get().attachments.count() == 1


@pytest.mark.parametrize(
    "field", ["status", "priority", "assignee", "team", "is_internal", "tags", "internal"]
)
def test_requester_cannot_set_agent_fields(api, field):
    response = api.post(LIST, payload(**{field: "closed"}), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Ticket.objects.exists()


def test_internal_reply_flag_refused_on_messages(api, customer):
    ticket = TicketFactory(requester=customer)
    response = api.post(
        ticket_url(ticket, "messages/"), {"body": "x", "is_internal": True}, format="json"
    )
    assert response.status_code == 400
    assert not ticket.messages.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        payload(category="nope"),
        payload(intake={"txid": "xyz"}),
        payload(intake="not json"),
        payload(intake=["list"]),
        payload(subject="x" * 201),
        payload(attachments="string"),
    ],
)
def test_bad_input_is_400_with_field_errors(api, data):
    response = api.post(LIST, data, format="json")
    assert response.status_code == 400
    assert isinstance(response.json(), dict) and response.json()


def test_txid_error_names_the_expected_format(api):
    response = api.post(LIST, payload(intake=deposit_intake(txid="0x" + "a" * 64)), format="json")
    assert "64 hexadecimal characters" in response.json()["txid"][0]


def test_malformed_json_is_400(api):
    response = api.post(LIST, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_list_is_own_tickets_filterable(api, customer):
    TicketFactory(requester=customer, category="kyc")
    TicketFactory(requester=customer, category="api", status=S.OPEN)
    TicketFactory(category="kyc")
    assert len(api.get(LIST).json()["results"]) == 2
    assert len(api.get(LIST + "?category=kyc").json()["results"]) == 1
    assert len(api.get(LIST + "?status=open").json()["results"]) == 1
    assert api.get(LIST + "?status=bogus").status_code == 400


def test_foreign_ticket_404_everywhere(api, other_customer):
    other = TicketFactory(
        requester=other_customer, status=S.RESOLVED, resolved_at=timezone.now(), resolution_count=1
    )
    assert api.get(ticket_url(other)).status_code == 404
    assert api.post(ticket_url(other, "messages/"), {"body": "x"}, format="json").status_code == 404
    assert api.post(ticket_url(other, "close/")).status_code == 404
    assert api.post(ticket_url(other, "rating/"), {"score": 5}, format="json").status_code == 404
    assert api.get("/api/tickets/T-NOTREAL/").status_code == 404
    assert not TicketRating.objects.exists() and not other.messages.exists()


def test_internal_notes_never_in_api(api, customer, agent):
    ticket = TicketFactory(requester=customer)
    ticket_reply_as_agent(ticket=ticket, agent=agent, body="INTERNAL-ONLY", internal=True)
    ticket_reply_as_agent(ticket=ticket, agent=agent, body="Public")
    text = api.get(ticket_url(ticket)).content.decode() + api.get(LIST).content.decode()
    assert "INTERNAL-ONLY" not in text and "Public" in text


def test_reply_close_and_rate(api, customer, agent):
    ticket = TicketFactory(requester=customer)
    response = api.post(
        ticket_url(ticket, "messages/"),
        {"body": "More info", "attachments": [upload()]},
        format="multipart",
    )
    assert response.status_code == 201 and response.json()["attachments"][0]["name"]
    assert api.post(ticket_url(ticket, "rating/"), {"score": 5}, format="json").status_code == 400
    assert api.post(ticket_url(ticket, "close/")).json()["status"] == "closed"
    assert api.post(ticket_url(ticket, "close/")).status_code == 400
    ticket.refresh_from_db()
    ticket.status, ticket.resolution_count = S.RESOLVED, 1
    ticket.resolved_at = timezone.now()
    ticket.save()
    assert api.post(ticket_url(ticket, "rating/"), {"score": 9}, format="json").status_code == 400
    assert api.post(ticket_url(ticket, "rating/"), {"score": 4}, format="json").status_code == 201
    assert api.post(ticket_url(ticket, "rating/"), {"score": 4}, format="json").status_code == 400


def test_empty_reply_400(api, customer):
    ticket = TicketFactory(requester=customer)
    assert api.post(ticket_url(ticket, "messages/"), {"body": ""}, format="json").status_code == 400
    assert (
        api.post(
            ticket_url(ticket, "messages/"),
            {"body": "x", "attachments": [upload("a.png", b"<html>")]},
            format="multipart",
        ).status_code
        == 400
    )
    assert not Message.objects.exists()


def test_idempotency_key_returns_same_ticket(api, committed):
    with committed():
        first = api.post(LIST, payload(), format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
        second = api.post(LIST, payload(), format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["reference"] == second.json()["reference"]
    assert Ticket.objects.count() == 1
    assert len(mail.outbox) == 1  # one acknowledgement, not two
    third = api.post(LIST, payload(), format="json", HTTP_IDEMPOTENCY_KEY="abc-2")
    assert third.json()["reference"] != first.json()["reference"]


def test_idempotency_key_is_per_user(api):
    api.post(LIST, payload(), format="json", HTTP_IDEMPOTENCY_KEY="same")
    other = APIClient()
    other.force_authenticate(UserFactory())
    response = other.post(LIST, payload(), format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert response.status_code == 201 and Ticket.objects.count() == 2


def test_create_is_throttled_per_user(api, monkeypatch):
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "tickets_create_user": "2/hour"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    codes = [api.post(LIST, payload(), format="json").status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    assert api.get(LIST).status_code == 200  # reading is not throttled by this scope


def test_create_is_throttled_per_ip_across_accounts(monkeypatch):
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "tickets_create_ip": "2/hour"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    codes = []
    for _ in range(3):
        client = APIClient()
        client.force_authenticate(UserFactory())
        codes.append(client.post(LIST, payload(), format="json").status_code)
    assert codes == [201, 201, 429]


def test_agent_endpoint_staff_only_with_filters(api, agent):
    TicketFactory(status=S.OPEN, category="kyc")
    TicketFactory(status=S.NEW, first_response_breached=True)
    assert api.get("/api/agent/tickets/").status_code == 403
    staff = APIClient()
    token = Token.objects.create(user=agent)
    staff.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert len(staff.get("/api/agent/tickets/").json()["results"]) == 2
    assert len(staff.get("/api/agent/tickets/?status=open").json()["results"]) == 1
    assert len(staff.get("/api/agent/tickets/?breached=true").json()["results"]) == 1
    assert len(staff.get("/api/agent/tickets/?unassigned=true").json()["results"]) == 2
    assert staff.get("/api/agent/tickets/?priority=99").status_code == 400


def test_schema_includes_ticket_paths(admin_client):
    response = admin_client.get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/tickets/{reference}/messages/" in text
