"""Tickets as files: the requester's transcript and the agents' CSV.

Rendering only. What may appear comes from tickets.selectors: the transcript
is built from messages_public(), the same thread the ticket page shows, so
internal notes and history events cannot reach it.
"""

import csv
import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING, TypeAlias, TypedDict, cast

from django.db.models import Field, QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import Message, Ticket
from .selectors import SLA_LABELS, messages_public, sla_state

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# Spreadsheets run a cell that starts with one of these as a formula
# (=HYPERLINK(...) in a subject is enough to exfiltrate the sheet).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

EXPORT_CHUNK_SIZE = 2000
CSV_FIELDS = (
    "reference",
    "subject",
    "category",
    "status",
    "priority",
    "team",
    "assignee",
    "language",
    "channel",
    "created_at",
    "first_response_due",
    "resolution_due",
)


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


# --- agent CSV -----------------------------------------------------------------


def csv_safe(value: object) -> str:
    """A cell a spreadsheet shows as text, never evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _csv_time(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


class _ExportAnnotations(TypedDict):
    satisfaction: int | None  # the latest resolution's score


# A ticket as tickets_for_export() returns it.
ExportTicket: TypeAlias = "WithAnnotations[Ticket, _ExportAnnotations]"


def _field_label(name: str) -> str:
    field = Ticket._meta.get_field(name)
    assert isinstance(field, Field)  # CSV_FIELDS are the ticket's own columns, not relations
    return str(capfirst(field.verbose_name))


def ticket_csv_header() -> list[str]:
    labels = [_field_label(name) for name in CSV_FIELDS]
    return [*labels, _("SLA state"), _("Satisfaction rating")]


def ticket_csv_row(ticket: ExportTicket, now: datetime.datetime) -> list[str]:
    """One ticket's fields for the export; no message bodies, no requester."""
    state = sla_state(ticket, now)
    return [
        ticket.reference,
        ticket.subject,
        ticket.get_category_display(),
        ticket.get_status_display(),
        ticket.get_priority_display(),
        ticket.team.name if ticket.team else "",
        ticket.assignee.email if ticket.assignee else "",
        ticket.language,
        ticket.get_channel_display(),
        _csv_time(ticket.created_at),
        _csv_time(ticket.first_response_due),
        _csv_time(ticket.resolution_due),
        str(SLA_LABELS.get(state, "")),
        str(ticket.satisfaction) if ticket.satisfaction is not None else "",
    ]


class _Echo:
    """A file for csv.writer that hands each line back instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def tickets_csv_lines(*, tickets: QuerySet[Ticket]) -> Iterator[str]:
    """The CSV, line by line, for a StreamingHttpResponse.

    `tickets` comes from tickets_for_export(); it is read in chunks, so ten
    thousand rows are never in memory at once. Every cell is escaped against
    formula injection.
    """
    # tickets_for_export() annotates each row; its QuerySet[Ticket] does not say so.
    annotated = cast(QuerySet[ExportTicket], tickets)
    # The lines are written while the response streams, after the view and
    # the middleware that chose the agent's language and time zone have
    # returned: take both along.
    return _csv_lines(annotated, translation.get_language(), timezone.get_current_timezone())


def _csv_lines(
    tickets: QuerySet[ExportTicket], language: str, zone: datetime.tzinfo
) -> Iterator[str]:
    writer = csv.writer(_Echo())
    now = timezone.now()
    with translation.override(language), timezone.override(zone):
        # Excel reads a UTF-8 file without a byte-order mark as the local code
        # page, which garbles every Chinese, Japanese or Russian subject.
        yield "\ufeff" + writer.writerow([csv_safe(cell) for cell in ticket_csv_header()])
        for ticket in tickets.iterator(chunk_size=EXPORT_CHUNK_SIZE):
            yield writer.writerow([csv_safe(cell) for cell in ticket_csv_row(ticket, now)])
