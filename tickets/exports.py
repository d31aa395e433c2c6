"""Tickets as files: the requester's transcript.

Rendering only. What may appear comes from tickets.selectors: the transcript
is built from messages_public(), the same thread the ticket page shows, so
internal notes and history events cannot reach it.
"""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import Message, Ticket
from .selectors import messages_public

# --- requester transcript ------------------------------------------------------


def _when(value: datetime.datetime) -> str:
    # The page's format, in the reader's time zone, with the zone spelled out:
    # a file outlives the session that knew which zone it was in.
    local = timezone.localtime(value)
    return f"{date_format(local, 'DATETIME_FORMAT')} ({local.tzname()})"


def _author(message: Message, ticket: Ticket) -> str:
    """Who wrote a message, named as the ticket page names them."""
    if message.kind == Message.Kind.SYSTEM:
        return _("Support system")
    if message.author_id == ticket.requester_id:
        return _("You")
    name = message.author.get_short_name() if message.author else ""
    return " ".join(part for part in (_("Support agent"), name, f"({_('Official')})") if part)


def transcript_text(*, ticket: Ticket) -> str:
    """The requester's copy of a ticket: the public thread and nothing else."""
    lines = [
        f"{capfirst(Ticket._meta.get_field('reference').verbose_name)}: {ticket.reference}",
        f"{_('Subject')}: {ticket.subject}",
        f"{_('Status')}: {ticket.get_status_display()}",
        f"{capfirst(Ticket._meta.get_field('category').verbose_name)}: "
        f"{ticket.get_category_display()}",
        f"{_('Opened')}: {_when(ticket.created_at)}",
        "",
        _("Conversation"),
    ]
    for message in messages_public(ticket=ticket):
        lines += ["", "-" * 40, f"{_author(message, ticket)} · {_when(message.created_at)}", ""]
        lines.append(message.body.replace("\r\n", "\n").strip())
        files = [attachment.original_name for attachment in message.attachments.all()]
        if files:
            lines += ["", f"{_('Attachments')}: {', '.join(files)}"]
    return "\n".join(lines) + "\n"


def transcript_filename(*, ticket: Ticket) -> str:
    return f"{ticket.reference}-conversation.txt"
