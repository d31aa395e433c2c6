"""Outgoing e-mail goes through the task queue, after the transaction commits.

A request never waits on SMTP, and a rolled-back transaction sends nothing.
Every message to a single recipient who set an anti-phishing code starts
with that code, so a fake "support" e-mail without it stands out.
"""

from functools import partial

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext as _


def _anti_phishing_code(to: list[str]) -> str | None:
    if len(to) != 1:
        return None  # a code must never be shown to anyone but its owner
    from selfservice.models import AntiPhishingCode

    row = AntiPhishingCode.objects.filter(user__email__iexact=to[0]).only("code").first()
    return row.code if row else None


def email_enqueue(*, message: EmailMessage) -> None:
    """Queue a rendered message to be sent once the current transaction commits."""
    from .tasks import send_email

    html: str | None = None
    if isinstance(message, EmailMultiAlternatives):
        html = next(
            (
                body
                for body, mime in message.alternatives
                # Rendered templates are text; the task's JSON arguments take nothing else.
                if mime == "text/html" and isinstance(body, str)
            ),
            None,
        )
    body = str(message.body)
    code = _anti_phishing_code(list(message.to))
    if code:
        line = _("Your anti-phishing code: %(code)s") % {"code": code}
        body = f"{line}\n\n{body}"
        if html:
            html = f'<p class="anti-phishing-code"><strong>{escape(line)}</strong></p>\n{html}'
    enqueue = partial(
        send_email.enqueue,
        subject=str(message.subject),
        body=body,
        html=html,
        from_email=message.from_email,
        to=list(message.to),
        headers={k: str(v) for k, v in (message.extra_headers or {}).items()},
    )
    transaction.on_commit(enqueue)
