"""Outgoing e-mail goes through the task queue, after the transaction commits.

A request never waits on SMTP, and a rolled-back transaction sends nothing.
"""

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction


def email_enqueue(*, message: EmailMessage) -> None:
    """Queue a rendered message to be sent once the current transaction commits."""
    from .tasks import send_email

    html = None
    if isinstance(message, EmailMultiAlternatives):
        html = next((body for body, mime in message.alternatives if mime == "text/html"), None)
    payload = {
        "subject": str(message.subject),
        "body": str(message.body),
        "html": html,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": {k: str(v) for k, v in (message.extra_headers or {}).items()},
    }
    transaction.on_commit(lambda: send_email.enqueue(**payload))
