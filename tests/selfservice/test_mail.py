"""Every e-mail the portal sends a user carries their anti-phishing code."""

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from selfservice.models import AntiPhishingCode
from support_portal.mail import email_enqueue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_password_reset_mail_starts_with_the_code(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="trader@example.com")
    AntiPhishingCode.objects.create(user=user, code="Tiger42")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "trader@example.com"})

    assert len(mail.outbox) == 1
    assert mail.outbox[0].body.startswith("Your anti-phishing code: Tiger42")


def test_any_other_mail_carries_the_code_in_text_and_escaped_html(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(email="trader@example.com")
    AntiPhishingCode.objects.create(user=user, code="AbC123")
    message = EmailMultiAlternatives(subject="Hi", body="Body", to=["Trader@example.com"])
    message.attach_alternative("<p>Body</p>", "text/html")

    with django_capture_on_commit_callbacks(execute=True):
        email_enqueue(message=message)

    sent = mail.outbox[0]
    assert sent.body.startswith("Your anti-phishing code: AbC123")
    assert sent.alternatives[0][0].startswith('<p class="anti-phishing-code">')
    assert "AbC123" in sent.alternatives[0][0]


def test_code_is_escaped_in_html(django_capture_on_commit_callbacks):
    user = UserFactory()
    AntiPhishingCode.objects.create(user=user, code="<b>x</b>")  # only via a bypassed form
    message = EmailMultiAlternatives(subject="Hi", body="Body", to=[user.email])
    message.attach_alternative("<p>Body</p>", "text/html")
    with django_capture_on_commit_callbacks(execute=True):
        email_enqueue(message=message)
    assert "&lt;b&gt;x&lt;/b&gt;" in mail.outbox[0].alternatives[0][0]


def test_no_code_for_users_without_one_or_for_several_recipients(
    django_capture_on_commit_callbacks,
):
    user, other = UserFactory(), UserFactory()
    AntiPhishingCode.objects.create(user=user, code="Tiger42")
    with django_capture_on_commit_callbacks(execute=True):
        email_enqueue(message=EmailMultiAlternatives(subject="a", body="B", to=[other.email]))
        email_enqueue(
            message=EmailMultiAlternatives(subject="a", body="B", to=[user.email, other.email])
        )
    assert [m.body for m in mail.outbox] == ["B", "B"]
