import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.tickets.factories import (
    BTC_TXID,
    MessageFactory,
    SLAPolicyFactory,
    TicketFactory,
    deposit_intake,
    upload,
)
from tickets.models import Deflection, Message, Ticket, TicketRating
from tickets.services import (
    ticket_acknowledge,
    ticket_open,
    ticket_reply_as_agent,
    ticket_reply_as_requester,
)

pytestmark = pytest.mark.django_db
S = Ticket.Status


@pytest.fixture
def client_a(client, customer):
    client.force_login(customer)
    return client


def detail(ticket):
    return reverse("tickets:ticket-detail", args=[ticket.reference])


def test_pages_require_login(client):
    for name in ("tickets:ticket-list", "tickets:ticket-create"):
        assert client.get(reverse(name)).status_code == 302


def test_list_shows_only_own_tickets(client_a, customer):
    mine = TicketFactory(requester=customer, subject="Mine")
    TicketFactory(subject="Theirs")
    TicketFactory(requester=customer, subject="Held", held_for_confirmation=True)
    html = client_a.get(reverse("tickets:ticket-list")).content.decode()
    assert mine.reference in html and "Theirs" not in html and "Held" not in html


def test_category_picker_then_intake_form_with_prefill(client_a):
    response = client_a.get(reverse("tickets:ticket-create"))
    assert b"Deposit not credited" in response.content
    response = client_a.get(
        reverse("tickets:ticket-create")
        + f"?category=deposit&txid={BTC_TXID}&network=BTC&coin=USDT"
    )
    html = response.content.decode()
    assert f'value="{BTC_TXID}"' in html and 'value="USDT"' in html
    assert 'data-suggest-url="/api/kb/suggest/"' in html


def _post_data(**overrides):
    data = {f"intake_{k}": v for k, v in deposit_intake().items()}
    data.update({"category": "deposit", "subject": "Deposit missing", "body": "Please check"})
    data.update(overrides)
    return data


def test_create_ticket_redirects_to_detail_with_acknowledgement(client_a, customer):
    url = reverse("tickets:ticket-create") + "?category=deposit"
    response = client_a.post(url, _post_data(attachments=upload()))
    ticket = Ticket.objects.get(requester=customer)
    assert response.status_code == 302 and response.url == detail(ticket)
    html = client_a.get(detail(ticket)).content.decode()
    assert "We have received your request" in html and ticket.reference in html
    assert ticket.attachments.count() == 1


def test_detail_stands_in_for_an_acknowledgement_not_written_yet(client_a, customer, committed):
    SLAPolicyFactory(priority=Ticket.Priority.NORMAL, first_response_minutes=90)
    ticket = ticket_open(
        requester=customer,
        subject="Deposit missing",
        body="Please check",
        category="deposit",
        intake=deposit_intake(),
    )  # the acknowledgement task has not run
    html = client_a.get(detail(ticket)).content.decode()
    assert f"We have received your request {ticket.reference}." in html
    assert "We aim to reply within 90 minutes." in html
    with committed():
        ticket_acknowledge(ticket_id=ticket.pk)
    html = client_a.get(detail(ticket)).content.decode()
    assert html.count("We have received your request") == 1


def test_create_bad_input_shows_field_errors_not_500(client_a):
    url = reverse("tickets:ticket-create") + "?category=deposit"
    response = client_a.post(url, _post_data(intake_txid="0x123"))
    assert response.status_code == 200
    assert "64 hexadecimal characters" in response.content.decode()
    response = client_a.post(url, _post_data(subject=""))
    assert "This field is required" in response.content.decode()
    response = client_a.post(url, _post_data(attachments=upload("x.exe", b"MZ")))
    assert response.status_code == 200 and Ticket.objects.count() == 0


def test_create_with_unknown_category_shows_picker(client_a):
    response = client_a.get(reverse("tickets:ticket-create") + "?category=<script>")
    assert response.status_code == 200 and b"<script>" not in response.content


def test_redaction_warning_shown(client_a):
    url = reverse("tickets:ticket-create") + "?category=deposit"
    response = client_a.post(url, _post_data(body="2FA code 123456"), follow=True)
    assert "Support will never ask for these" in response.content.decode()


def test_detail_shows_public_thread_but_never_internal_notes(client_a, customer, agent):
    ticket = TicketFactory(requester=customer)
    ticket_reply_as_agent(ticket=ticket, agent=agent, body="Public answer")
    ticket_reply_as_agent(
        ticket=ticket, agent=agent, body="INTERNAL-SECRET", internal=True, attachments=[upload()]
    )
    html = client_a.get(detail(ticket)).content.decode()
    assert "Public answer" in html and "INTERNAL-SECRET" not in html
    internal = ticket.attachments.get(message__is_internal=True)
    url = reverse("tickets:attachment-download", args=[internal.pk])
    assert url not in html
    assert client_a.get(url).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_foreign_ticket_is_404(client_a, method):
    other = TicketFactory()
    for url in (
        detail(other),
        reverse("tickets:ticket-close", args=[other.reference]),
        reverse("tickets:ticket-rate", args=[other.reference]),
    ):
        response = getattr(client_a, method)(url, {"body": "x", "score": 5})
        assert response.status_code in (404, 405)
    assert not other.messages.exists()


def test_foreign_attachment_and_rating_404(client_a, other_customer):
    ticket = TicketFactory(
        requester=other_customer, status=S.RESOLVED, resolved_at=timezone.now(), resolution_count=1
    )
    message = ticket_reply_as_requester(
        ticket=ticket, user=other_customer, body="x", attachments=[upload()]
    )
    attachment = message.attachments.get()
    assert (
        client_a.get(reverse("tickets:attachment-download", args=[attachment.pk])).status_code
        == 404
    )
    response = client_a.post(reverse("tickets:ticket-rate", args=[ticket.reference]), {"score": 1})
    assert response.status_code == 404 and not TicketRating.objects.exists()


def test_attachment_download_headers(client_a, customer):
    ticket = TicketFactory(requester=customer)
    message = ticket_reply_as_requester(
        ticket=ticket, user=customer, body="x", attachments=[upload("../../a b.png")]
    )
    response = client_a.get(
        reverse("tickets:attachment-download", args=[message.attachments.get().pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"


def test_reply_close_and_reopen(client_a, customer):
    ticket = TicketFactory(requester=customer)
    assert client_a.post(detail(ticket), {"body": "More detail"}).status_code == 302
    assert ticket.messages.filter(body="More detail").exists()
    client_a.post(reverse("tickets:ticket-close", args=[ticket.reference]))
    ticket.refresh_from_db()
    assert ticket.status == S.CLOSED
    client_a.post(detail(ticket), {"body": "Not fixed"})
    ticket.refresh_from_db()
    assert ticket.status == S.OPEN


def test_empty_reply_shows_error(client_a, customer):
    ticket = TicketFactory(requester=customer)
    response = client_a.post(detail(ticket), {"body": ""})
    assert response.status_code == 200 and not ticket.messages.exists()


def test_rating_after_resolution_once(client_a, customer):
    ticket = TicketFactory(
        requester=customer, status=S.RESOLVED, resolved_at=timezone.now(), resolution_count=1
    )
    assert b"How satisfied" in client_a.get(detail(ticket)).content
    url = reverse("tickets:ticket-rate", args=[ticket.reference])
    client_a.post(url, {"score": "9"})
    assert not TicketRating.objects.exists()
    client_a.post(url, {"score": "4", "comment": "Quick"})
    client_a.post(url, {"score": "1"})
    assert TicketRating.objects.get().score == 4
    assert b"You rated this resolution 4" in client_a.get(detail(ticket)).content


def test_no_account_path_same_answer_and_no_enumeration(client, committed):
    UserFactory(email="stolen@example.com", exchange_uid="55555555")
    url = reverse("tickets:ticket-create-no-account")
    with committed():
        known = client.post(
            url, {"email": "stolen@example.com", "exchange_uid": "55555555", "body": "help"}
        )
    unknown = client.post(
        url, {"email": "nobody@example.com", "exchange_uid": "55555555", "body": "help"}
    )
    assert known.status_code == unknown.status_code == 200

    def strip_csrf(content: bytes) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode())

    assert strip_csrf(known.content) == strip_csrf(unknown.content)
    assert len(mail.outbox) == 1
    bad = client.post(url, {"email": "not-an-email", "exchange_uid": "abc", "body": ""})
    assert bad.status_code == 200 and b"errorlist" in bad.content


def test_confirm_link_get_shows_button_post_confirms(client, committed):
    UserFactory(email="stolen@example.com", exchange_uid="55555555")
    with committed():
        client.post(
            reverse("tickets:ticket-create-no-account"),
            {"email": "stolen@example.com", "exchange_uid": "55555555", "body": "help"},
        )
    token = mail.outbox[0].body.split("/tickets/confirm/")[1].split("/")[0]
    link = reverse("tickets:ticket-confirm", args=[token])
    assert client.get(link).status_code == 200
    assert Ticket.objects.get().held_for_confirmation
    assert client.post(link).status_code == 200
    assert not Ticket.objects.get().held_for_confirmation
    assert client.post(link[:-3] + "xx/").status_code == 400


def test_deflection_beacon_records_only_local_urls(client):
    url = reverse("tickets:deflection-create")
    assert client.post(url, {"q": "deposit", "url": "/help/en/deposit/"}).status_code == 204
    client.post(url, {"q": "deposit", "url": "https://evil.example/"})
    client.post(url, {})
    assert list(Deflection.objects.values_list("article_url", flat=True)) == ["/help/en/deposit/"]
    assert client.get(url).status_code == 405


def test_system_messages_visible_internal_hidden(client_a, customer):
    ticket = TicketFactory(requester=customer)
    MessageFactory(ticket=ticket, kind=Message.Kind.SYSTEM, author=None, body="SYSTEM-NOTE")
    MessageFactory(ticket=ticket, kind=Message.Kind.INTERNAL, is_internal=True, body="HIDDEN")
    html = client_a.get(detail(ticket)).content.decode()
    assert "SYSTEM-NOTE" in html and "HIDDEN" not in html


def test_pages_render_in_simplified_chinese(client):
    user = UserFactory(preferred_language="zh-hans")
    client.force_login(user)
    html = client.get(reverse("tickets:ticket-create") + "?category=deposit").content.decode()
    assert "充值未到账" in html and "交易哈希" in html
    response = client.post(
        reverse("tickets:ticket-create") + "?category=deposit",
        {**_post_data(), "intake_txid": "0x12"},
    )
    assert "64 个十六进制字符" in response.content.decode()
